"""Hearing: bytes of a voice note in, a transcript out, with the limits checked.

Decoding and transcription run in a worker thread under a semaphore
(COMPANION_TRANSCRIBE_CONCURRENCY), so one long voice note never stalls other
people's chats and a burst of them never exhausts memory."""

from __future__ import annotations

import asyncio
import logging
import re

from bot.background import import_heavy
from bot.config import Settings
from bot.media.problems import HearingUnavailable, MediaProblem, NoSpeech
from bot.media.transcriber import Transcriber, Transcript, build_transcriber

log = logging.getLogger(__name__)


class Hearing:
    def __init__(self, settings: Settings, transcriber: Transcriber | None = None) -> None:
        self.settings = settings
        self._transcriber = transcriber
        self._semaphore = asyncio.Semaphore(max(1, settings.transcribe_concurrency))

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            self._transcriber = build_transcriber(self.settings)
        return self._transcriber

    @transcriber.setter
    def transcriber(self, backend: Transcriber) -> None:
        """Share one loaded model (tests, the benchmark)."""
        self._transcriber = backend

    async def transcribe(self, data: bytes) -> Transcript:
        """The words in an audio file. Raises MediaProblem with a kind answer."""
        async with self._semaphore:
            return await asyncio.to_thread(self.transcribe_blocking, data)

    def transcribe_blocking(self, data: bytes) -> Transcript:
        # PyAV and numpy: on first use, one importing thread at a time (bot/background.py)
        media = import_heavy("bot.media.audio")
        audio = media.decode(data, max_seconds=self.settings.max_voice_seconds)
        media.check_audible(audio)
        try:
            transcript = self.transcriber.transcribe(audio.samples, self.language)
        except MediaProblem:
            raise
        except Exception as exc:
            log.error("transcription failed (%s): %s", self.settings.whisper_backend, exc)
            raise HearingUnavailable(detail=str(exc)) from exc
        if not transcript.text.strip() or _only_noise(transcript):
            raise NoSpeech()
        return transcript

    @property
    def language(self) -> str | None:
        value = (self.settings.whisper_language or "").strip().lower()
        return None if value in ("", "auto") else value


def _only_noise(transcript: Transcript) -> bool:
    """Whisper writes '[Music]' or '(silence)' for sounds without words."""
    words = _BRACKETED.sub(" ", transcript.text)
    return not any(ch.isalnum() for ch in words)


_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*")
