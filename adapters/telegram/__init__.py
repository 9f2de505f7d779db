"""The Telegram channel (python-telegram-bot v22): ``convert`` (updates -> core types),
``render`` (core Markdown -> Telegram HTML, splitting), ``limits`` (send limits),
``adapter`` (TelegramChannel), ``doctor`` (the `companion doctor` check).

Nothing is imported here, so loading the doctor check does not load the SDK."""
