"""The chat model, by name, through LangChain. Knows nothing of the conversation."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

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


# The integration package of the usual providers: checked at start (cheaply), so a
# missing one is said at once although the model itself loads on first use.
PROVIDER_PACKAGES = {
    "openai": "langchain_openai",
    "azure_openai": "langchain_openai",
    "anthropic": "langchain_anthropic",
    "ollama": "langchain_ollama",
    "groq": "langchain_groq",
    "mistralai": "langchain_mistralai",
    "google_genai": "langchain_google_genai",
    "deepseek": "langchain_deepseek",
    "xai": "langchain_xai",
}


class DeferredChatModel:
    """Stands in for the chat model until it is first used: LangChain and the provider's
    SDK take a second or more to import, which a command like /help never needs. A
    long-running process loads it in the background at start (``warm_up``)."""

    def __init__(self, settings: Settings, name: str) -> None:
        self._settings = settings
        self._name = name
        self._model: BaseChatModel | None = None
        self._lock = threading.Lock()
        self._warming: asyncio.Future[Any] | None = None

    def load(self) -> BaseChatModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _build(self._settings, self._name)
        return self._model

    async def warm_up(self) -> None:
        from bot.background import warm_in_background

        self._warming = warm_in_background(self.load, "chat model")
        self._warming.add_done_callback(_log_failure)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.load(), attr)


def _log_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("loading the chat model failed: %s", task.exception())


def build_chat_model(
    settings: Settings, *, name: str | None = None, deferred: bool = False
) -> BaseChatModel | None:
    """A chat model from ``provider:model``, or None when none is configured; with
    ``deferred``, loaded on first use (a missing package of a usual provider is still
    an ImportError at once).

    Any OpenAI-compatible server works as ``openai:<model>`` plus a base URL."""
    model_name = name or settings.model
    if not model_name:
        return None
    provider = model_name.partition(":")[0]
    package = PROVIDER_PACKAGES.get(provider)
    if not deferred or package is None:
        return _build(settings, model_name)  # an unusual provider: LangChain checks it now
    if importlib.util.find_spec(package) is None:
        raise ImportError(
            f"the {provider} provider needs its package: pip install {package.replace('_', '-')}"
        )
    return cast("BaseChatModel", DeferredChatModel(settings, model_name))


def _build(settings: Settings, model_name: str) -> BaseChatModel:
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
