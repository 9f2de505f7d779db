"""The core's inbox path through the contract a channel implements: here a plain-text
pull channel (as the console is), on real SQLite/PostgreSQL with the real engine and
the fake model. The Telegram channel's own tests drive the same path over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from bot.inbox_path import (
    GAVE_UP,
    Arrival,
    Inbound,
    InboxPath,
    message_from_payload,
    message_payload,
)
from bot.runtime import Runtime, build_runtime
from bot.types import ChannelRef, Identity, IncomingMessage, OutgoingMessage
from memory.inbox import InboxEntry
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI


class PlainChannel:
    """A channel that prints: it keeps what it was asked to deliver."""

    platform = "plain"

    def __init__(self) -> None:
        self.out: list[tuple[str, str]] = []  # (chat, text)

    async def rebuild(self, entry: InboxEntry) -> Inbound | None:
        return Inbound(message_from_payload(entry.payload))

    async def deliver(self, inbound: Inbound, reply: OutgoingMessage) -> None:
        self.out.append((inbound.message.channel.chat_id, reply.text))

    def working(self, inbound: Inbound) -> AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()


def said(user: str, text: str, n: int) -> Arrival:
    msg = IncomingMessage(
        identity=Identity("plain", user),
        channel=ChannelRef("plain", user),
        text=text,
        display_name="Ada",
        message_id=str(n),
    )
    return Arrival.of(f"{user}-{n}", message_payload(msg), msg)


@pytest.fixture
async def rt(
    db_url: str, tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock
) -> AsyncIterator[Runtime]:
    settings = make_settings(
        tmp_path,
        database_url=db_url,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
    )
    runtime = await build_runtime(settings, clock=clock, with_features=False)
    yield runtime
    await runtime.close()


async def test_submit_answers_once_and_a_redelivery_is_dropped(rt: Runtime) -> None:
    channel = PlainChannel()
    path = InboxPath(rt, channel)
    await path.start(rt.companion.handle)
    try:
        replies = await path.submit(said("1", "hello", 1))
        again = await path.submit(said("1", "hello", 1))
    finally:
        await path.stop()
    assert [r.text for r in replies] == ["You said: hello"]
    assert again == []
    assert channel.out == [("1", "You said: hello")]
    assert await rt.inbox.status("plain", "1-1") == "done"


async def test_pending_entries_are_replayed_and_hopeless_ones_set_aside_with_a_word(
    rt: Runtime, fake_llm: FakeOpenAI
) -> None:
    """What a crash left: one entry mid-way (its words may be stored: replayed=True),
    one that already failed three times (the person hears it was given up)."""
    now = rt.clock.now()
    first, hopeless = said("1", "where was I", 1), said("2", "poison", 1)
    for arrival in (first, hopeless):
        entry = await rt.inbox.record(
            "plain", arrival.update_id, arrival.payload, at=now, user_key=None
        )
        assert entry is not None
        for _ in range(1 if arrival is first else 3):
            assert await rt.inbox.claim(entry, rt.worker_id, at=now)
    seen: list[IncomingMessage] = []

    async def handler(msg: IncomingMessage) -> list[OutgoingMessage]:
        seen.append(msg)
        return await rt.companion.handle(msg)

    channel = PlainChannel()
    path = InboxPath(rt, channel)
    await path.start(handler)
    for _ in range(200):
        if len(channel.out) == 2:
            break
        await asyncio.sleep(0.02)
    await path.stop()
    assert sorted(channel.out) == [("1", "You said: where was I"), ("2", GAVE_UP)]
    assert [m.text for m in seen] == ["where was I"] and seen[0].replayed
    assert await rt.inbox.status("plain", "2-1") == "failed"
    assert len(fake_llm.chat_requests()) == 1
