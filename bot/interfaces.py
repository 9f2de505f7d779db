"""How features reach each other, and in what order they are installed.

Each feature installs its service into a typed slot of ``Runtime.services``; the slot
is None while (or when) that feature is not installed, and whoever reads it handles
that. A feature that needs something of another one names it by a small Protocol here
(only what it calls), so it depends on that much and no more, and a test can stand in
for the other feature with a few lines. Surfaces over the whole core (the personal
page, benches) read the slots for the full services.

Each feature also declares which features must be installed before it; the runtime
checks the order when it builds, so a wrong order fails at start, not in a chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.goals.service import GoalsService
    from bot.goals.signals import GoalSignal
    from bot.linking import LinkService
    from bot.media.hearing import Hearing
    from bot.media.seeing import Seeing
    from bot.media.speaking import Speaking
    from bot.onboarding.flow import Onboarding
    from bot.preferences.service import Preferences
    from bot.runtime import Runtime
    from bot.safety.feature import Safety
    from bot.schedule.followups.service import FollowupService
    from bot.schedule.leadership import LeaderOnly
    from bot.schedule.runner import SchedulerRunner
    from bot.schedule.service import ScheduleService
    from bot.web_access import WebAccess
    from memory.semantic.service import MemoryService

T = TypeVar("T")

# A feature that can combine its own data of two people: merger(from_id, to_id).
Merger = Callable[[int, int], Awaitable[None]]


# --------------------------------------------------------------------------- needs


class Linking(Protocol):
    """/link, as the features that keep personal data see it: each registers how to
    combine its data of two people, by the name it gave ``runtime.personal_data``."""

    mergers: dict[str, Merger]


class Checkins(Protocol):
    """The check-in scheduler, as /settings and /link see it: a person's settings or
    identities moved, so their check-ins are planned again."""

    async def reschedule(self, person_id: int) -> None: ...


class Remembering(Protocol):
    """Long-term memory, as the media feature sees it: keep what a photo showed."""

    async def remember(
        self,
        person_id: int,
        text: str,
        *,
        kind: str = ...,
        source_turn_ids: list[int] | None = ...,
        platform: str | None = ...,
        refers_to: datetime | None = ...,
    ) -> str: ...


class GoalSignals(Protocol):
    """The goals feature, as check-ins read it (``GoalsService.checkin_signals``)."""

    async def checkin_signals(
        self, person_id: int, instants: list[datetime], tz: str | None = None
    ) -> list[list[GoalSignal]]: ...


# --------------------------------------------------------------------------- offers


@dataclass
class Services:
    """What the installed features offer, one typed slot each (None: not installed)."""

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


class MissingFeature(LookupError):
    """A surface that cannot work without a feature was built without it."""


def require(service: T | None, name: str) -> T:
    """``service``, or a clear error naming the feature that is not installed."""
    if service is None:
        raise MissingFeature(f"the {name} feature is not installed")
    return service


# --------------------------------------------------------------------------- order


class FeatureOrderError(RuntimeError):
    """The features are listed in an order their needs do not allow."""


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature as the runtime installs it.

    ``needs``: the features that must be installed before this one, because it
    registers with them while installing (a merger on linking) or its hooks must run
    after theirs (safety screens a voice note once media has made it words). A service
    read only when a message comes needs no order, only a None check."""

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
