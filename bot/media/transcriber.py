"""The transcription port: one blocking call, samples in, text out. Backends are
faster-whisper (default), openai-whisper and any OpenAI-compatible API; the
service runs them in a worker thread, so none of them may touch the event loop."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from bot.background import import_heavy
from bot.config import Settings

if TYPE_CHECKING:
    import numpy as np

# A transcript whose mean token log-probability is below this is "uncertain":
# the reply then shows what was heard (COMPANION_SHOW_TRANSCRIPT=uncertain).
UNCERTAIN_LOGPROB = -0.6
NO_SPEECH_PROB = 0.6


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    language: str | None = None
    avg_logprob: float | None = None  # None when the backend does not say
    no_speech_prob: float | None = None

    @property
    def uncertain(self) -> bool:
        low = self.avg_logprob is not None and self.avg_logprob < UNCERTAIN_LOGPROB
        quiet = self.no_speech_prob is not None and self.no_speech_prob > NO_SPEECH_PROB
        return low or quiet


class Transcriber(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray, language: str | None) -> Transcript:
        """Blocking: 16 kHz mono float32 samples to text."""
        ...


def weighted(values: list[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; None when there is nothing to average."""
    total = sum(w for _v, w in values)
    if total <= 0:
        return None
    return sum(v * w for v, w in values) / total


def models_dir(settings: Settings) -> Path:
    return settings.data_dir / "models"


def build_transcriber(settings: Settings) -> Transcriber:
    """The backend named by COMPANION_WHISPER_BACKEND. Models load lazily, on the
    first voice note, so a bot that never hears one never pays for it."""
    backend = settings.whisper_backend.strip().lower()
    if backend in ("faster-whisper", "faster_whisper", "faster"):
        # numpy and the model libraries: one importing thread at a time (bot/background.py)
        faster = import_heavy("bot.media.faster_backend")
        return faster.FasterWhisperTranscriber(  # type: ignore[no-any-return]
            settings.whisper_model,
            download_root=models_dir(settings) / "faster-whisper",
            beam_size=settings.whisper_beam_size,
            workers=settings.transcribe_concurrency,
        )
    if backend in ("openai-whisper", "openai_whisper", "whisper"):
        whisper = import_heavy("bot.media.openai_whisper_backend")
        return whisper.OpenAIWhisperTranscriber(  # type: ignore[no-any-return]
            settings.whisper_model, download_root=models_dir(settings) / "openai-whisper"
        )
    if backend == "api":
        ApiTranscriber = import_heavy("bot.media.api_backend").ApiTranscriber

        if not settings.whisper_api_url:
            raise ValueError(
                "COMPANION_WHISPER_BACKEND=api needs COMPANION_WHISPER_API_URL "
                "(an OpenAI-compatible server, e.g. https://api.openai.com/v1)"
            )
        return ApiTranscriber(
            settings.whisper_api_url,
            model=settings.whisper_model,
            api_key=speech_api_key(settings, settings.whisper_api_url),
        )
    raise ValueError(
        f"COMPANION_WHISPER_BACKEND must be faster-whisper, openai-whisper or api, "
        f"got {settings.whisper_backend!r}"
    )


def speech_api_key(settings: Settings, url: str) -> str | None:
    """COMPANION_SPEECH_API_KEY; else the chat model's key, but only for the chat
    model's own server (or OpenAI's, with an OpenAI model): a key never travels to
    a host it was not made for."""
    if settings.speech_api_key is not None:
        return settings.speech_api_key.get_secret_value() or None
    host = urlsplit(url).hostname
    if settings.model_base_url:
        same = urlsplit(settings.model_base_url).hostname == host
    else:
        same = settings.provider == "openai" and host == "api.openai.com"
    return settings.api_key() if same else None


def endpoint(base: str, path: str) -> str:
    """Accept a base URL (``.../v1``) or the full endpoint URL."""
    base = base.rstrip("/")
    return base if base.endswith(path) else f"{base}{path}"
