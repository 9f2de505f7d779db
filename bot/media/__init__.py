"""Voice notes and photos: hearing (Whisper), seeing (a vision model) and speaking
(voice replies). Kept light: importing ``bot.media.hearing`` for the CLI must not
pull in the chat model stack. The feature itself is ``bot.media.feature.install``."""
