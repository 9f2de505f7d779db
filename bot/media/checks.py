"""`companion doctor` checks for hearing, seeing and speaking: cheap, offline,
and each failure says what to set."""

from __future__ import annotations

import asyncio
import importlib.util
import os
from pathlib import Path

from bot.config import Settings
from bot.doctor import CheckResult, register, unreachable
from bot.media.seeing import HOW_TO_SEE
from bot.media.transcriber import build_transcriber, models_dir


@register
async def check_voice_notes(settings: Settings) -> CheckResult:
    name = "voice notes"
    try:
        build_transcriber(settings)
    except ValueError as exc:
        return CheckResult(name, False, str(exc), "Fix COMPANION_WHISPER_BACKEND / _API_URL.")
    backend = settings.whisper_backend
    if backend == "api":
        return CheckResult(name, True, f"transcription API at {settings.whisper_api_url}")
    package = "faster_whisper" if backend.startswith("faster") else "whisper"
    if importlib.util.find_spec(package) is None:
        return CheckResult(
            name,
            False,
            f"{backend} is not installed",
            "pip install 'companion[openai-whisper]'"
            if package == "whisper"
            else "pip install faster-whisper",
        )
    problem = await asyncio.to_thread(_local_model, settings)
    if problem is not None:
        return CheckResult(name, False, problem, OFFLINE_FIX)
    state = await asyncio.to_thread(_model_state, settings)
    if state is not None:
        return CheckResult(name, True, state)
    # A model name that is not on disk yet: fine if it can be downloaded from here.
    model, cache = settings.whisper_model, models_dir(settings)
    host = DOWNLOAD_HOSTS["faster" if backend.startswith("faster") else "openai"]
    offline = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes")
    problem = "HF_HUB_OFFLINE is set" if offline and host == HF else await unreachable(host)
    if problem is None:
        return CheckResult(
            name,
            True,
            f"{backend}, model {model!r}: downloaded into {cache} on the first voice note",
        )
    return CheckResult(
        name,
        False,
        f"{backend}, model {model!r} is not on this machine and cannot be downloaded here "
        f"({problem}): voice notes would not be understood",
        OFFLINE_FIX,
    )


HF = "https://huggingface.co"
DOWNLOAD_HOSTS = {"faster": HF, "openai": "https://openaipublic.azureedge.net"}
OFFLINE_FIX = (
    "Set COMPANION_WHISPER_MODEL to a folder holding the model (for faster-whisper: "
    "model.bin, config.json, tokenizer.json, vocabulary.*; e.g. copied from a machine "
    "with internet, where it is downloaded into <data dir>/models), or run once with "
    "internet."
)


def _local_model(settings: Settings) -> str | None:
    """What is wrong with a model folder; None when it is not a folder or looks right."""
    path = Path(settings.whisper_model).expanduser()
    if not path.is_dir():
        return None
    if settings.whisper_backend.startswith("faster"):
        if not (path / "model.bin").is_file():
            return f"{path} holds no faster-whisper model (no model.bin)"
        return None
    if len(list(path.glob("*.pt"))) != 1:
        return f"{path} should hold one openai-whisper .pt checkpoint"
    return None


def _model_state(settings: Settings) -> str | None:
    """Where the model is, when it is on this machine; None when it is not."""
    backend, model = settings.whisper_backend, settings.whisper_model
    if Path(model).expanduser().exists():
        return f"{backend}, model at {model}"
    cache = models_dir(settings)
    if backend.startswith("faster"):
        from bot.media.faster_backend import is_cached

        if is_cached(model, cache / "faster-whisper"):
            return f"{backend}, model {model!r} (downloaded in {cache})"
    elif (cache / "openai-whisper" / f"{model}.pt").is_file():
        return f"{backend}, model {model!r} (downloaded in {cache})"
    return None


@register
async def check_photos(settings: Settings) -> CheckResult:
    if not settings.vision_model:
        return CheckResult("photos", False, "no vision model", HOW_TO_SEE, optional=True)
    same = " (the chat model sees them itself)" if settings.vision_model == settings.model else ""
    return CheckResult("photos", True, f"described by {settings.vision_model}{same}")


@register
async def check_voice_replies(settings: Settings) -> CheckResult:
    if not settings.tts_url:
        return CheckResult(
            "voice replies",
            False,
            "off: no speech server",
            "Set COMPANION_TTS_URL to an OpenAI-compatible server (/v1/audio/speech).",
            optional=True,
        )
    return CheckResult("voice replies", True, f"{settings.tts_model}/{settings.tts_voice}")
