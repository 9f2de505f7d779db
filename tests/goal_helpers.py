"""Small helpers shared by the goals, onboarding and settings tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.runtime import Runtime, build_runtime
from bot.types import ChannelRef, Identity, IncomingMessage, OutgoingMessage, Person
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock


def dm(text: str = "", user: str = "42", **kw: object) -> IncomingMessage:
    return IncomingMessage(
        identity=Identity("telegram", user),
        channel=ChannelRef("telegram", user),
        text=text,
        display_name=f"user{user}",
        **kw,  # type: ignore[arg-type]
    )


async def say(runtime: Runtime, text: str, user: str = "42") -> str:
    return "\n".join(m.text for m in await runtime.companion.handle(dm(text, user)))


async def say_all(runtime: Runtime, text: str, user: str = "42") -> list[OutgoingMessage]:
    return await runtime.companion.handle(dm(text, user))


async def person_of(runtime: Runtime, user: str = "42") -> Person:
    person = await runtime.people.find(Identity("telegram", user))
    assert person is not None
    return person


@asynccontextmanager
async def no_model_runtime(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Runtime]:
    rt = await build_runtime(make_settings(tmp_path), clock=clock)
    try:
        yield rt
    finally:
        await rt.close()


class RecordingCheckins:
    """Stands in for the schedule helper's service: records reschedule calls."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    async def reschedule(self, person_id: int) -> None:
        self.calls.append(person_id)
