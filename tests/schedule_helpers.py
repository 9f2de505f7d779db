"""Shared helpers for the reminder and check-in tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.schedule.service import ScheduleService
from bot.schedule.triggers import SOURCES, Scene, Trigger
from bot.types import ChannelRef, Identity, IncomingMessage
from tests.fakes.clock import ManualClock


def dm(text: str, user: str = "42", **kw: object) -> IncomingMessage:
    return IncomingMessage(
        identity=Identity("telegram", user),
        channel=ChannelRef("telegram", user),
        text=text,
        display_name=f"user{user}",
        **kw,  # type: ignore[arg-type]
    )


def press(data: str, user: str = "42") -> IncomingMessage:
    return dm("", user, callback_data=data)


async def say(runtime: Runtime, text: str, user: str = "42") -> str:
    return "\n".join(m.text for m in await runtime.companion.handle(dm(text, user)))


def service(runtime: Runtime) -> ScheduleService:
    svc = runtime.services.checkins
    assert isinstance(svc, ScheduleService)
    return svc


async def run_for(
    runtime: Runtime, clock: ManualClock, *, hours: float, step_minutes: float = 5
) -> Counter[str]:
    """Move the clock on by ``hours``, sweeping as the scheduler would: at most
    ``step_minutes`` after anything falls due (jumping over idle stretches)."""
    counts: Counter[str] = Counter()
    end = clock.now() + timedelta(hours=hours)
    svc = service(runtime)
    while clock.now() < end:
        due = await svc.store.next_due()
        target = clock.now() + timedelta(minutes=step_minutes)
        if due is None or due > target:
            target = due if due is not None and due < end else end
            target = max(target, clock.now() + timedelta(seconds=1))
        clock.set(min(target, end))
        counts.update(await svc.run_due(clock.now()))
    return counts


@contextmanager
def a_reason_at_every_slot() -> Iterator[list[datetime]]:
    """Register one more trigger source that fires at every check-in slot, so tests of
    the scheduling itself (times, quiet hours, caps, backoff) have something to send.
    Yields the instants it was asked about."""
    asked: list[datetime] = []

    async def every_slot(scene: Scene, at: datetime) -> list[Trigger]:
        asked.append(at)
        return [
            Trigger(
                kind="test",
                topic=f"test:{at:%Y%m%dT%H%M}",
                priority=50,
                why="because a test asks",
                facts=("A test reason to write.",),
                template=f"Hi {scene.name}! How is your day going?",
            )
        ]

    SOURCES.append(every_slot)
    try:
        yield asked
    finally:
        SOURCES.remove(every_slot)
