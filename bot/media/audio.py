"""Audio in and out with PyAV (it ships its own FFmpeg: no system ffmpeg needed).

In: whatever the platforms send (OGG/Opus voice notes, MP3, M4A, WAV...) becomes
16 kHz mono float32 samples, the form every Whisper takes. Out: OGG/Opus, the
format Telegram shows as a voice bubble and Discord as a voice message."""

from __future__ import annotations

import io
from dataclasses import dataclass

import av
import numpy as np

from bot.media.problems import AudioEmpty, AudioSilent, AudioTooLong, AudioUndecodable

SAMPLE_RATE = 16_000
# Below this RMS level (about -60 dBFS) a recording holds no audible sound.
SILENCE_RMS = 0.001
MIN_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class Audio:
    samples: np.ndarray  # float32, mono, 16 kHz, in [-1, 1]

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @property
    def rms(self) -> float:
        if not len(self.samples):
            return 0.0
        return float(np.sqrt(np.mean(np.square(self.samples, dtype=np.float64))))


def decode(data: bytes, *, max_seconds: float | None = None) -> Audio:
    """Decode any audio file to 16 kHz mono. Stops early (AudioTooLong) once past
    ``max_seconds``, so a huge file is never decoded in full."""
    if not data:
        raise AudioEmpty()
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except Exception as exc:  # PyAV raises many FFmpegError kinds; all mean "can't read"
        raise AudioUndecodable(detail=f"open: {exc}") from exc
    chunks: list[np.ndarray] = []
    total = 0
    limit = None if max_seconds is None else int((max_seconds + 0.5) * SAMPLE_RATE)
    try:
        with container:
            if not container.streams.audio:
                raise AudioUndecodable(detail="no audio stream")
            declared = _declared_seconds(container)
            if max_seconds is not None and declared is not None and declared > max_seconds + 0.5:
                raise AudioTooLong(declared, max_seconds)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += len(chunk)
                if limit is not None and total > limit:
                    raise AudioTooLong(total / SAMPLE_RATE, max_seconds or 0)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (AudioTooLong, AudioUndecodable):
        raise
    except Exception as exc:
        raise AudioUndecodable(detail=f"decode: {exc}") from exc
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    audio = Audio(samples)
    if audio.seconds < MIN_SECONDS:
        raise AudioEmpty() if not chunks else AudioSilent()
    return audio


def check_audible(audio: Audio) -> None:
    if audio.rms < SILENCE_RMS:
        raise AudioSilent()


def _declared_seconds(container: av.container.InputContainer) -> float | None:
    if container.duration:
        return float(container.duration) / av.time_base
    stream = container.streams.audio[0]
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def to_wav(audio: Audio) -> bytes:
    """16-bit PCM WAV: what every transcription API accepts."""
    pcm = (np.clip(audio.samples, -1.0, 1.0) * 32767).astype(np.int16)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buffer.getvalue()


def is_ogg_opus(data: bytes) -> bool:
    return data[:4] == b"OggS" and b"OpusHead" in data[:200]


def to_ogg_opus(data: bytes, *, bit_rate: int = 32_000) -> bytes:
    """Any audio (MP3, WAV, AAC...) as OGG/Opus; OGG/Opus input is kept as it is."""
    if is_ogg_opus(data):
        return data
    try:
        source = av.open(io.BytesIO(data), mode="r")
    except Exception as exc:
        raise AudioUndecodable(detail=f"speech audio: {exc}") from exc
    buffer = io.BytesIO()
    with source, av.open(buffer, mode="w", format="ogg") as out:
        if not source.streams.audio:
            raise AudioUndecodable(detail="speech audio has no audio stream")
        stream = out.add_stream("libopus", rate=48_000, layout="mono")
        stream.bit_rate = bit_rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        for frame in source.decode(audio=0):
            frame.pts = None
            for resampled in resampler.resample(frame):
                out.mux(stream.encode(resampled))
        for resampled in resampler.resample(None):
            out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))
    return buffer.getvalue()
