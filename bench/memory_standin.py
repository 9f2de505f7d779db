"""What the memory benches share: a scripted stand-in chat model, an injected clock,
and a companion built with the default settings (the bot's own code path).

The stand-in plays only the roles a real model plays: it answers the conversation
(with the line the script gives), answers extraction calls (with facts the script
gives) and reconciliation calls (ADD), and may call the ``remember`` tool. It
records the system prompt of every conversation call, so a bench reads the memory
part of the prompt exactly as the model would have seen it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings
from bot.memories.context import MEMORY_TITLE
from bot.runtime import Runtime, build_runtime
from bot.types import ChannelRef, Identity, IncomingMessage, OutgoingMessage

Answer = str | AIMessage


class BenchClock:
    """The injected clock: set to each message's date."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2020, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    async def sleep(self, seconds: float) -> None:
        import asyncio

        await asyncio.sleep(0)


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(str(b.get("text", "")) if isinstance(b, dict) else str(b) for b in content)


class StandIn(BaseChatModel):
    """A LangChain chat model whose answers come from the bench's script."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    reply: Callable[[str], Answer] = Field(default=lambda _text: "I see.")
    extract: Callable[[str], list[dict[str, Any]]] = Field(default=lambda _text: [])
    prompts: list[str] = Field(default_factory=list)
    calls: dict[str, int] = Field(default_factory=dict)

    @property
    def _llm_type(self) -> str:
        return "memory-bench-stand-in"

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return self  # tool calls come from the script

    def answer(self, messages: list[BaseMessage]) -> AIMessage:
        system = next((_text(m) for m in messages if isinstance(m, SystemMessage)), "")
        user = next((_text(m) for m in reversed(messages) if isinstance(m, HumanMessage)), "")
        if system.startswith("MEMORY EXTRACTION"):
            self.calls["extract"] = self.calls.get("extract", 0) + 1
            said = user.split("<<<\n", 1)[-1].rsplit("\n>>>", 1)[0]
            return AIMessage(content=json.dumps({"memories": self.extract(said)}))
        if system.startswith("MEMORY RECONCILIATION"):
            self.calls["reconcile"] = self.calls.get("reconcile", 0) + 1
            return AIMessage(content='{"decisions": []}')  # everything new is added
        self.calls["chat"] = self.calls.get("chat", 0) + 1
        if any(m.type == "tool" for m in messages):
            return AIMessage(content="Done.")
        self.prompts.append(system)
        answer = self.reply(user)
        return answer if isinstance(answer, AIMessage) else AIMessage(content=answer)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.answer(messages))])

    async def _agenerate(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.answer(messages))])


def memory_part(system_prompt: str) -> list[str]:
    """The items of the memory part of a system prompt, in the order listed."""
    lines = system_prompt.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            inside = line.startswith(f"## {MEMORY_TITLE}")
            continue
        if inside and line.startswith("> "):
            out.append(line[2:])
        elif inside and line.strip():
            inside = False
    return out


async def companion(data_dir: Path, model: StandIn, clock: BenchClock, **settings: Any) -> Runtime:
    """The companion with every feature and the default settings, on a fresh data dir."""
    config = Settings(_env_file=None, data_dir=data_dir, **settings)  # type: ignore[call-arg]
    return await build_runtime(config, clock=clock, model=model)


def message(text: str, at: datetime, user: str = "bench") -> IncomingMessage:
    return IncomingMessage(
        identity=Identity("console", user),
        channel=ChannelRef("console", user),
        text=text,
        display_name=user,
        sent_at=at,
    )


async def say(
    runtime: Runtime, text: str, at: datetime, user: str = "bench"
) -> list[OutgoingMessage]:
    return await runtime.companion.handle(message(text, at, user))


def model_dir(value: Path | None) -> Path | None:
    import os

    if value is None and os.environ.get("COMPANION_EMBEDDING_MODEL_DIR"):
        return Path(os.environ["COMPANION_EMBEDDING_MODEL_DIR"])
    return value
