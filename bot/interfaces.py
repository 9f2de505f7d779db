"""What one feature needs of another, as small Protocols.

A feature reads another's service from its typed slot on ``Runtime.services`` (None
when that feature is not installed: the reader handles it) through the Protocol here
that names only what it calls. So it depends on that much and no more, mypy checks the
call and that the service offers it, and a test stands in for the other feature with
a few lines. This module imports no feature, so every feature may import it. (What
check-ins need of goals, ``GoalSignals``, stands beside the scene that holds it, in
bot/schedule/triggers/base.py.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.types import Person

T = TypeVar("T")

# A feature that can combine its own data of two people: merger(from_id, to_id).
Merger = Callable[[int, int], Awaitable[None]]


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


class FollowUps(Protocol):
    """Follow-ups, as the memory extractor sees them: a dated event it found in a
    message ("job interview on Monday"), to be asked about once afterwards."""

    async def accept_event(
        self,
        person: Person,
        text: str,
        refers_to: datetime,
        *,
        said_at: datetime,
        turn_id: int | None = ...,
        message: str | None = ...,
    ) -> int | None: ...


class MissingFeature(LookupError):
    """A surface over the whole core (the personal page) was built without a feature
    it cannot work without."""


def require(service: T | None, name: str) -> T:
    """``service``, or a clear error naming the feature that is not installed."""
    if service is None:
        raise MissingFeature(f"the {name} feature is not installed")
    return service
