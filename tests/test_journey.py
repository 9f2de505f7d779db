"""A person's journey across platforms, end to end: they talk on Telegram (the real
Telegram channel against the fake Bot API), a memory is extracted in the background,
they link their Discord account, start a fresh conversation there, and the companion
recalls on Discord what they said on Telegram, from long-term memory."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest
import yarl

from adapters.discord.adapter import DiscordChannel
from bot.runtime import Runtime, build_runtime
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.telegram_server import FakeTelegram
from tests.memory.helpers import ScriptedMemoryModel, system_text
from tests.test_discord import DM, feed, payload
from tests.test_telegram import TOKEN, running

CODE = re.compile(r"([A-Z0-9]{4}-[A-Z0-9]{4})")


@pytest.fixture
async def world(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Runtime, FakeTelegram, FakeDiscord, DiscordChannel]]:
    tg = await FakeTelegram(TOKEN).start()
    dc = await FakeDiscord().start()
    monkeypatch.setattr(discord.http.Route, "BASE", dc.api)
    gateway = yarl.URL(f"{dc.url.replace('http', 'ws')}/gateway")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        telegram_token=TOKEN,
        telegram_api_url=tg.base_url,
    )
    runtime = await build_runtime(settings, clock=clock)
    channel = DiscordChannel("fake.discord.token", runtime=runtime)
    runtime.outbox.register(channel)
    try:
        async with channel.client:
            await channel.listen(runtime.companion.handle)
            await channel.client.login("fake.discord.token")
            yield runtime, tg, dc, channel
            await channel.stop()
    finally:
        await runtime.close()
        await dc.stop()
        await tg.stop()


async def test_what_was_said_on_telegram_is_recalled_on_discord(
    world: tuple[Runtime, FakeTelegram, FakeDiscord, DiscordChannel],
    fake_llm: FakeOpenAI,
    clock: ManualClock,
) -> None:
    runtime, tg, dc, discord_channel = world
    clock.set(datetime.now(UTC))  # the fake platforms stamp messages with real time
    model = ScriptedMemoryModel()
    fake_llm.responder = model
    model.extracts(
        "Anna", {"text": "Their sister Anna is running the Berlin marathon.", "kind": "person"}
    )
    sam = 424242
    async with running(runtime, tg):
        tg.push_text(sam, "/skip")
        await tg.wait_for(lambda: len(tg.texts(sam)) >= 1)
        tg.push_text(sam, "My sister Anna is running the Berlin marathon in September!")
        await tg.wait_for(lambda: len(tg.texts(sam)) >= 2)
        await runtime.companion.drain()  # background extraction lands
        clock.advance(minutes=5)
        tg.push_text(sam, "/link")
        await tg.wait_for(lambda: len(tg.texts(sam)) >= 3)
    found = CODE.search(tg.texts(sam)[-1])
    assert found, tg.texts(sam)[-1]

    clock.advance(minutes=1)
    await feed(discord_channel, payload("dm_text.json", dc, content=f"/link {found.group(1)}"))
    assert dc.sent_texts(DM)[-1].startswith("Linked: Discord and Telegram")
    clock.advance(minutes=1)
    await feed(
        discord_channel, payload("dm_text.json", dc, id="1369012346000000081", content="/reset")
    )

    clock.advance(minutes=1)
    fake_llm.push(Reply(text="How is Anna's marathon training going?"))
    await feed(
        discord_channel,
        payload("dm_text.json", dc, id="1369012346000000082", content="guess who called me"),
    )
    assert dc.sent_texts(DM)[-1] == "How is Anna's marathon training going?"
    conversation = fake_llm.chat_requests()[-1]
    # A fresh conversation: the Telegram turn is not in the history...
    assert all(
        "Berlin marathon in September" not in str(m.get("content"))
        for m in conversation["messages"][1:]
    )
    # ...yet the memory extracted on Telegram is in the context, quoted as data.
    assert "Their sister Anna is running the Berlin marathon." in system_text(conversation)
