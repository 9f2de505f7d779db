"""Voice replies as Discord voice messages.

A voice message is an OGG/Opus upload with the voice flag, its duration and a
waveform (base64 of up to 256 amplitude bytes). discord.py has no parameter for
those attachment fields, so this File adds them to the upload's description."""

from __future__ import annotations

import base64
import io
from typing import Any

import discord

OPUS_RATE = 48_000  # Ogg Opus granule positions always count 48 kHz samples


def ogg_duration(data: bytes) -> float:
    """Seconds of audio in an Ogg Opus stream, from its last page's granule
    position minus the pre-skip in its OpusHead; 0.0 when it is not Ogg Opus."""
    last = data.rfind(b"OggS")
    if last < 0 or len(data) < last + 14:
        return 0.0
    granule = int.from_bytes(data[last + 6 : last + 14], "little", signed=True)
    head = data.find(b"OpusHead")
    pre_skip = int.from_bytes(data[head + 10 : head + 12], "little") if head >= 0 else 0
    return max(0.0, (granule - pre_skip) / OPUS_RATE)


def flat_waveform(samples: int = 64) -> str:
    """A gentle, even waveform: the real amplitudes would need decoding the audio."""
    return base64.b64encode(bytes([96 + (i % 4) * 8 for i in range(samples)])).decode()


class VoiceFile(discord.File):
    def __init__(self, audio: bytes, filename: str = "voice-message.ogg") -> None:
        super().__init__(io.BytesIO(audio), filename=filename)
        self.duration = ogg_duration(audio)
        self.waveform = flat_waveform()

    def to_dict(self, index: int) -> dict[str, Any]:
        payload = super().to_dict(index)
        payload["duration_secs"] = round(self.duration, 2)
        payload["waveform"] = self.waveform
        return payload
