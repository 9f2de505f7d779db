"""The composition root of the core: settings in, a running companion out.

Adapters (and the CLI) build a Runtime, register their channels on its outbox and
feed messages to ``runtime.companion.handle``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from bot import core_commands
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.delivery import Outbox
from bot.engine import Companion
from bot.llm import build_chat_model
from memory.db import Database
from memory.inbox import Inbox
from memory.people import PeopleStore
from memory.turns import TurnStore

log = logging.getLogger(__name__)

_FROM_SETTINGS: Any = object()


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    db: Database
    people: PeopleStore
    turns: TurnStore
    inbox: Inbox
    companion: Companion
    outbox: Outbox
    # Features keep their services here by name ("memory", "scheduler", ...).
    services: dict[str, Any] = field(default_factory=dict)
    _closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _starters: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def on_start(self, start: Callable[[], Awaitable[None]]) -> None:
        self._starters.append(start)

    def on_close(self, close: Callable[[], Awaitable[None]]) -> None:
        self._closers.append(close)

    async def start(self) -> None:
        """Start background services (the scheduler...) once channels are registered."""
        for start in self._starters:
            await start()

    async def close(self) -> None:
        await self.companion.drain()
        for close in reversed(self._closers):
            try:
                await close()
            except Exception:
                log.exception("error while closing")
        await self.db.close()


Feature = Callable[[Runtime], Awaitable[None]]


def features() -> list[Feature]:
    """Every feature the core is built with, in install order."""
    return []


async def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    model: BaseChatModel | None = _FROM_SETTINGS,
    with_features: bool = True,
) -> Runtime:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    clock = clock or SystemClock()
    db = Database(settings.resolved_database_url)
    await db.migrate()
    people = PeopleStore(db, default_timezone=settings.default_timezone)
    turns = TurnStore(db)
    model_error = None
    if model is _FROM_SETTINGS:
        try:
            model = build_chat_model(settings)
        except Exception as exc:  # a missing provider package, a bad name...
            log.error("could not build the chat model %s: %s", settings.model, exc)
            model = None
            model_error = f"the chat model {settings.model} could not be loaded ({exc})"
    companion = Companion(
        settings=settings,
        clock=clock,
        people=people,
        turns=turns,
        model=model,
        model_error=model_error,
    )
    core_commands.install(companion)
    runtime = Runtime(
        settings=settings,
        clock=clock,
        db=db,
        people=people,
        turns=turns,
        inbox=Inbox(db),
        companion=companion,
        outbox=Outbox(people),
    )
    if with_features:
        for feature in features():
            await feature(runtime)
    return runtime
