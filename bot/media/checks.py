"""`companion doctor` checks for hearing, seeing and speaking: cheap, offline,
and each failure says what to set."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

from bot.config import Settings
from bot.doctor import CheckResult, register
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
    return CheckResult(name, True, await asyncio.to_thread(_model_state, settings))


def _model_state(settings: Settings) -> str:
    backend, model = settings.whisper_backend, settings.whisper_model
    if Path(model).expanduser().exists():
        return f"{backend}, model at {model}"
    cache = models_dir(settings)
    if backend.startswith("faster"):
        from bot.media.faster_backend import is_cached

        if is_cached(model, cache / "faster-whisper"):
            return f"{backend}, model {model!r} (downloaded in {cache})"
    return (
        f"{backend}, model {model!r}: downloaded into {cache} on the first voice note "
        "(needs internet once; or set COMPANION_WHISPER_MODEL to a model folder)"
    )


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
