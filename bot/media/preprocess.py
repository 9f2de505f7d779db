"""The media preprocessor: voice notes become the person's words, photos become
images for a vision model plus a description in the text. Every problem becomes
a short, kind answer; a message with something usable left still gets a reply."""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.config import Settings
from bot.downloads import DownloadTooLarge, download_limit
from bot.llm import ModelFailed
from bot.media.hearing import Hearing
from bot.media.problems import AudioTooLong, FileTooLarge, MediaProblem
from bot.media.seeing import Seeing
from bot.media.transcriber import Transcript
from bot.turn import ImagePart, TurnInput
from bot.types import Attachment, AttachmentKind, OutgoingMessage

log = logging.getLogger(__name__)

AUDIO_KINDS = (AttachmentKind.VOICE, AttachmentKind.AUDIO)
MAX_IMAGES = 4  # per message: an album beyond this is described in part, and said so


class FetchFailed(MediaProblem):
    answer = "I couldn't download that file. Could you send it again?"


class MediaPreprocessor:
    def __init__(self, settings: Settings, clock: Clock, hearing: Hearing, seeing: Seeing) -> None:
        self.settings = settings
        self.clock = clock
        self.hearing = hearing
        self.seeing = seeing

    async def __call__(self, turn: TurnInput) -> None:
        attachments = turn.message.attachments
        voices = [a for a in attachments if a.kind in AUDIO_KINDS]
        photos = [a for a in attachments if a.kind == AttachmentKind.IMAGE]
        if not voices and not photos:
            return
        caption = turn.text.strip()
        problems: list[str] = []
        heard = await self._hear(turn, voices, problems)
        seen = await self._see(turn, photos, caption, problems)
        parts = [*(f"[photo of {d}]" for d in seen), *([caption] if caption else []), *heard]
        turn.text = "\n".join(parts)
        answers = [OutgoingMessage(text=p) for p in dict.fromkeys(problems)]
        if not turn.text.strip() and not turn.images:
            turn.reply = answers or [
                OutgoingMessage(text="I couldn't use that. Could you try again?")
            ]
            return
        turn.prefix.extend(answers)

    # ------------------------------------------------------------------ voice

    async def _hear(
        self, turn: TurnInput, voices: list[Attachment], problems: list[str]
    ) -> list[str]:
        heard: list[str] = []
        for attachment in voices:
            try:
                transcript = await self._transcribe(attachment)
            except MediaProblem as problem:
                log.info("voice note not used for person %s: %s", turn.person.id, problem)
                problems.append(problem.answer)
                continue
            heard.append(transcript.text)
            kind = "voice note" if attachment.kind == AttachmentKind.VOICE else "audio file"
            turn.notes.append(f"({kind}, transcribed)")
            turn.meta["voice_note"] = True
            mode = self.settings.show_transcript
            if mode == "always" or (mode == "uncertain" and transcript.uncertain):
                turn.prefix.append(OutgoingMessage(text=f'_I heard:_ "{transcript.text}"'))
        return heard

    async def _transcribe(self, attachment: Attachment) -> Transcript:
        limit = self.settings.max_voice_seconds
        if attachment.duration is not None and attachment.duration > limit + 0.5:
            raise AudioTooLong(attachment.duration, limit)
        if attachment.size is not None and attachment.size > self.settings.max_voice_bytes:
            raise FileTooLarge("voice note", attachment.size, self.settings.max_voice_bytes)
        data = await _fetch(attachment, "voice note", self.settings.max_voice_bytes)
        if len(data) > self.settings.max_voice_bytes:
            raise FileTooLarge("voice note", len(data), self.settings.max_voice_bytes)
        return await self.hearing.transcribe(data)

    # ------------------------------------------------------------------ photos

    async def _see(
        self, turn: TurnInput, photos: list[Attachment], caption: str, problems: list[str]
    ) -> list[str]:
        if not photos:
            return []
        if not self.seeing.available:
            problems.append(self.seeing.unavailable_text())
            turn.notes.append("(the person sent a photo, which you cannot see)")
            return []
        if len(photos) > MAX_IMAGES:
            problems.append(f"I looked at the first {MAX_IMAGES} photos only.")
        seen: list[str] = []
        for attachment in photos[:MAX_IMAGES]:
            try:
                image = await self._prepare(attachment)
                description = await self.seeing.describe(image, caption)
            except MediaProblem as problem:
                problems.append(problem.answer)
                continue
            except ModelFailed as failure:
                log.warning("vision model failed for person %s: %s", turn.person.id, failure)
                problems.append(
                    f"I couldn't look at your photo just now: my vision model {failure.reason}. "
                    "Try again in a little while?"
                )
                continue
            seen.append(description)
            if self.seeing.direct:
                turn.images.append(image)
        if seen:
            when = turn.message.sent_at or self.clock.now()
            turn.meta["photos"] = seen
            turn.meta["photo_at"] = when.isoformat()
        return seen

    async def _prepare(self, attachment: Attachment) -> ImagePart:
        limit = self.settings.max_image_bytes
        if attachment.size is not None and attachment.size > limit:
            raise FileTooLarge("photo", attachment.size, limit)
        data = await _fetch(attachment, "photo", limit)
        from bot.media.images import prepare_in_worker  # Pillow: only once a photo comes

        return await prepare_in_worker(
            data,
            max_bytes=limit,
            max_pixels=self.settings.max_image_pixels,
            max_side=self.settings.image_max_side,
        )


async def _fetch(attachment: Attachment, what: str, limit: int) -> bytes:
    """The attachment's bytes; the channel's download stops past ``limit``."""
    try:
        with download_limit(limit):
            return await attachment.fetch()
    except MediaProblem:
        raise
    except DownloadTooLarge as exc:
        raise FileTooLarge(what, exc.size, limit) from exc
    except Exception as exc:  # the platform's download failed: say so, keep running
        log.warning("could not fetch a %s attachment: %s", attachment.kind, type(exc).__name__)
        raise FetchFailed(detail=str(exc)) from exc
