"""The chat model, by name, through LangChain. Knows nothing of the conversation."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

HOW_TO_CONFIGURE = (
    "Set COMPANION_MODEL to a LangChain model name, e.g. `openai:gpt-4o-mini` (with "
    "OPENAI_API_KEY), `ollama:llama3.2` for a local model, or `openai:<name>` with "
    "COMPANION_MODEL_BASE_URL for any OpenAI-compatible server."
)


class ModelNotConfigured(Exception):
    pass


class ModelFailed(Exception):
    """The provider did not answer usefully: timeout, rate limit, server error."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    base_url: str | None


def build_chat_model(settings: Settings, *, name: str | None = None) -> BaseChatModel | None:
    """A chat model from ``provider:model``, or None when none is configured.

    Any OpenAI-compatible server works as ``openai:<model>`` plus a base URL."""
    model_name = name or settings.model
    if not model_name:
        return None
    from langchain.chat_models import init_chat_model  # heavy: import when needed

    provider, _, model = model_name.partition(":")
    kwargs: dict[str, Any] = {"timeout": settings.model_timeout}
    if provider not in ("ollama",):
        kwargs["max_retries"] = settings.model_max_retries
    if settings.model_temperature is not None:
        kwargs["temperature"] = settings.model_temperature
    if settings.model_base_url:
        kwargs["base_url"] = settings.model_base_url
    key = settings.api_key()
    if key:
        kwargs["api_key"] = key
    elif provider == "openai" and settings.model_base_url:
        kwargs["api_key"] = "not-needed"  # local OpenAI-compatible servers ignore it
    return init_chat_model(model, model_provider=provider, **kwargs)


def classify_error(exc: BaseException) -> ModelFailed:
    """Map provider exceptions (each SDK has its own) to a reason a person can read."""
    name = type(exc).__name__.lower()
    text = str(exc).lower()
    timed_out = isinstance(exc, asyncio.TimeoutError | TimeoutError)
    if timed_out or "timeout" in name or "timed out" in text:
        return ModelFailed("timed out", str(exc)[:200])
    if "ratelimit" in name or "429" in text or "rate limit" in text:
        return ModelFailed("is rate limiting us", str(exc)[:200])
    if "authentication" in name or "401" in text or "api key" in text:
        return ModelFailed("rejected the API key", str(exc)[:200])
    if "connect" in name or "connection" in text:
        return ModelFailed("could not be reached", str(exc)[:200])
    if "notfound" in name or "404" in text:
        return ModelFailed("does not know this model", str(exc)[:200])
    return ModelFailed("returned an error", f"{type(exc).__name__}: {str(exc)[:200]}")
