"""The composition root of the core: settings in, a running companion out.

Adapters (and the CLI) build a Runtime, register their channels on its outbox and
feed messages to ``runtime.companion.handle``."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from bot import core_commands, heap, inbox_path
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings
from bot.delivery import Outbox
from bot.engine import Companion
from bot.llm import DeferredChatModel, build_chat_model
from bot.startup import database_problem
from memory.db import Database
from memory.inbox import Inbox
from memory.people import PeopleStore
from memory.refusals import RefusalStore
from memory.scrub import compact
from memory.turns import TurnStore

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    # The services' types, named through the feature packages features() installs.
    from bot.goals import GoalsService, Onboarding, Preferences
    from bot.linking import LinkService
    from bot.media.feature import Hearing, Seeing, Speaking
    from bot.safety import Safety
    from bot.schedule import LeaderOnly, SchedulerRunner, ScheduleService
    from bot.schedule.followups.service import FollowupService
    from bot.web_access import WebAccess
    from memory.semantic.service import MemoryService

log = logging.getLogger(__name__)

_FROM_SETTINGS: Any = object()


@dataclass
class Services:
    """What the installed features offer, one typed slot each (None: not installed).
    Another feature reads a slot through the Protocol of bot/interfaces.py that names
    what it needs; a surface over the whole core (the personal page) reads it whole."""

    linking: LinkService | None = None
    hearing: Hearing | None = None
    seeing: Seeing | None = None
    speaking: Speaking | None = None
    safety: Safety | None = None
    memory: MemoryService | None = None
    checkins: ScheduleService | None = None  # reminders too
    followups: FollowupService | None = None
    scheduler: SchedulerRunner | None = None  # only where this process may sweep
    scheduler_leader: LeaderOnly | None = None
    goals: GoalsService | None = None
    preferences: Preferences | None = None
    onboarding: Onboarding | None = None
    web_access: WebAccess | None = None

    def installed(self) -> list[str]:
        """The names of the filled slots, for logs and benches."""
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


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
    # What the features offer each other, one typed slot each.
    services: Services = field(default_factory=Services)
    # Personal data each feature keeps: exported by /export, erased by /deleteme.
    exporters: dict[str, Callable[[int], Awaitable[Any]]] = field(default_factory=dict)
    erasers: list[Callable[[int], Awaitable[None]]] = field(default_factory=list)
    _closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _starters: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def worker_id(self) -> str:
        """Who holds inbox entries. Stable across restarts of a single process, so a
        restart takes back its own unfinished work at once; unique per worker process."""
        if self.settings.worker_id:
            return self.settings.worker_id
        host = socket.gethostname()
        return host if self.settings.role == "all" else f"{host}-{os.getpid()}"

    def on_start(self, start: Callable[[], Awaitable[None]]) -> None:
        self._starters.append(start)

    def on_close(self, close: Callable[[], Awaitable[None]]) -> None:
        self._closers.append(close)

    def personal_data(
        self,
        name: str,
        export: Callable[[int], Awaitable[Any]],
        erase: Callable[[int], Awaitable[None]],
    ) -> None:
        """A feature declares what it keeps about a person, so export and erasure
        cannot forget it."""
        self.exporters[name] = export
        self.erasers.append(erase)

    async def export_person(self, person_id: int) -> dict[str, Any]:
        """Everything stored about one person, as plain JSON-able data."""
        person = await self.people.get(person_id)
        identities = await self.people.identities(person_id)
        turns = await self.turns.all(person_id)
        data: dict[str, Any] = {
            "person": None
            if person is None
            else {
                "id": person.id,
                "display_name": person.display_name,
                "timezone": person.timezone,
                "locale": person.locale,
                "settings": person.settings,
            },
            "identities": [
                {"platform": i.platform, "platform_user_id": i.platform_user_id} for i in identities
            ],
            "turns": [
                {
                    "role": t.role,
                    "content": t.content,
                    "at": t.created_at.isoformat(),
                    "platform": t.platform,
                }
                for t in turns
            ],
        }
        for name, export in self.exporters.items():
            data[name] = await export(person_id)
        return data

    async def erase_person(self, person_id: int) -> None:
        """Every trace of a person: each feature's data (the inbox path's raw updates,
        unsent replies and chat positions among them), then turns, identities and the
        person row."""
        for erase in self.erasers:
            await erase(person_id)
        await self.turns.erase(person_id)
        await self.people.erase(person_id)
        await compact(self.db)  # deleted rows linger in SQLite's free pages and log

    async def start(self) -> None:
        """Start background services (the scheduler...) once channels are registered."""
        for start in self._starters:
            await start()
        heap.settle()  # a long-running process from here on: see bot/heap.py

    async def close(self, *, grace: float | None = None) -> None:
        """Stop background services; ``grace``: at most that many seconds for work
        still running in the background (Ctrl-C at the console), else wait for it."""
        await self.companion.drain(grace=grace)
        for close in reversed(self._closers):
            try:
                await close()
            except Exception:
                log.exception("error while closing")
        await self.db.close()
        heap.release()


async def open_database(settings: Settings) -> Database:
    """The database, migrated; one that cannot be reached or opened is a ConfigError
    naming COMPANION_DATABASE_URL, not a traceback."""
    db: Database | None = None
    try:
        db = Database(settings.resolved_database_url)
        await db.migrate()
    except Exception as exc:
        if db is not None:
            await db.close()
        problem = database_problem(settings, exc)
        if problem is None:
            raise
        raise ConfigError(problem) from exc
    return db


class FeatureOrderError(RuntimeError):
    """The features are listed in an order their needs do not allow."""


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature as the runtime installs it.

    ``needs`` (the ``NEEDS`` beside each feature's ``install``): the features that must
    be installed before this one, because it registers with them while installing (a
    merger on linking) or its hooks must run after theirs (safety screens a voice note
    once media has made it words). A service read only when a message comes needs no
    order, only a None check."""

    name: str
    install: Callable[[Runtime], Awaitable[None]]
    needs: tuple[str, ...] = ()


def check_order(features: Sequence[Feature]) -> None:
    """Raise FeatureOrderError unless every feature comes after all it needs."""
    order = [f.name for f in features]
    seen: set[str] = set()
    for feature in features:
        if feature.name in seen:
            raise FeatureOrderError(f"the {feature.name} feature is listed twice")
        for need in feature.needs:
            if need not in seen:
                where = "comes after it" if need in order else "is not installed"
                raise FeatureOrderError(
                    f"the {feature.name} feature needs {need} installed before it, but "
                    f"{need} {where} (install order: {', '.join(order)})"
                )
        seen.add(feature.name)


def features() -> list[Feature]:
    """Every feature the core is built with, in install order. Each declares the
    features it needs installed before it (its ``NEEDS``), and ``check_order`` holds
    the list to them; /web comes last, so /help and the menus list it after the rest."""
    from bot import goals, linking, memories, safety, schedule, web_access
    from bot.media import feature as media

    return [
        Feature("linking", linking.install, linking.NEEDS),
        Feature("media", media.install, media.NEEDS),
        Feature("safety", safety.install, safety.NEEDS),
        Feature("memories", memories.install, memories.NEEDS),
        Feature("schedule", schedule.install, schedule.NEEDS),
        Feature("goals", goals.install, goals.NEEDS),
        Feature("web_access", web_access.install, web_access.NEEDS),
    ]


async def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    model: BaseChatModel | None = _FROM_SETTINGS,
    with_features: bool = True,
    defer_model: bool = False,
) -> Runtime:
    """``defer_model``: the chat model loads on first use (or in the background once
    started), so a short command (`companion chat` answering /help) never pays for it."""
    chosen = features() if with_features else []
    check_order(chosen)  # a wrong order fails here, before anything is opened
    settings.ensure_data_dir()  # ConfigError naming COMPANION_DATA_DIR when it can't be
    clock = clock or SystemClock()
    db = await open_database(settings)
    people = PeopleStore(db, default_timezone=settings.default_timezone)
    turns = TurnStore(db)
    model_error = None
    if model is _FROM_SETTINGS:
        try:
            model = build_chat_model(settings, deferred=defer_model)
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
    companion.refusals = RefusalStore(db)
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
    if isinstance(model, DeferredChatModel):
        runtime.on_start(model.warm_up)  # a long-running process: load it meanwhile
    inbox_path.install(runtime)
    for feature in chosen:
        await feature.install(runtime)
    return runtime
