"""What a trigger is, and the scene triggers look at: one person's check-in state,
pending follow-ups, decided topics and goal signals, read once per check-in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.config import Settings
from bot.schedule.policy import Prefs
from bot.types import Person
from memory.schedule_schema import CheckinStateRow, FollowupRow

if TYPE_CHECKING:
    from bot.goals.signals import GoalSignal  # the goals feature, read through a Protocol


@dataclass(frozen=True, slots=True)
class Trigger:
    """Something worth raising now, found by a rule."""

    kind: str  # followup | care | goal_window | streak | deadline | hello | ...
    topic: str  # decided once, sent or not: "followup:12", "window:3:2026-05-04"
    priority: int  # lower goes first
    why: str  # for /checkins: "to ask how your job interview went"
    facts: tuple[str, ...]  # for the model, quoted as data
    template: str  # sent when no model writes it (or its answer does not fit)
    cheerful: bool = True  # held back for a day after a hard moment
    # A nudge (a goal, a hello) is thinned out by "less often" and held back longer
    # after unanswered check-ins; the person's own news (a follow-up) and the care
    # message after a crisis are not (but never two unanswered in one day either).
    nudge: bool = True
    model: bool = True  # False: the fixed text goes out, without a model call
    followup_id: int | None = None


class GoalSignals(Protocol):
    """The goals feature, as check-ins read it (``GoalsService.checkin_signals``)."""

    async def checkin_signals(
        self, person_id: int, instants: list[datetime], tz: str | None = None
    ) -> list[list[GoalSignal]]: ...


@dataclass
class Scene:
    person: Person
    prefs: Prefs
    state: CheckinStateRow | None
    last_seen: datetime | None  # the person's last message, command or button
    followups: list[FollowupRow]  # pending
    settings: Settings
    # Topics already decided (sent, or silence chosen), read only when a rule asks.
    decided_loader: Callable[[], Awaitable[set[str]]] | None = None
    unanswered: int = 0  # check-ins sent since the person last wrote
    goals: GoalSignals | None = None
    _goal_signals: dict[datetime, list[GoalSignal]] = field(default_factory=dict)
    _decided: set[str] | None = None

    async def is_decided(self, topic: str) -> bool:
        if self._decided is None:
            self._decided = await self.decided_loader() if self.decided_loader else set()
        return topic in self._decided

    async def preload_goals(self, instants: list[datetime]) -> None:
        """Read goal signals for many instants at once (/checkins looks ahead)."""
        missing = [at for at in instants if at not in self._goal_signals]
        if self.goals is None or not missing:
            return
        found = await self.goals.checkin_signals(self.person.id, missing, self.person.timezone)
        self._goal_signals.update(zip(missing, found, strict=True))

    async def goal_signals(self, at: datetime) -> list[GoalSignal]:
        if self.goals is None:
            return []
        if at not in self._goal_signals:
            await self.preload_goals([at])
        return self._goal_signals.get(at, [])

    @property
    def name(self) -> str:
        return self.person.display_name or "there"

    @property
    def lang(self) -> str:
        locale = (self.person.locale or "en").lower()
        return locale[:2] if locale[:2] in ("en", "de", "fr", "es") else "en"

    def setting(self, key: str, default: Any = None) -> Any:
        return self.person.settings.get(key, default)


class TriggerSource(Protocol):
    async def __call__(self, scene: Scene, at: datetime) -> list[Trigger]: ...


def local_text(instant: datetime, scene: Scene) -> str:
    return instant.astimezone(scene.prefs.tz).strftime("%a %d %b %H:%M")


def within(instant: datetime | None, at: datetime, span: timedelta) -> bool:
    return instant is not None and at - span < instant <= at
