"""Discord catch-up: Discord does not redeliver gateway events, so what a DM chat got
while the bot was stopped, or disconnected past what a RESUME replays, is read from
the chat's history after the last message taken in, and answered in order, once.

Through the real discord.py client against the fake Discord (REST and gateway on
127.0.0.1), the real engine and the fake OpenAI server; the cursor store on SQLite
and PostgreSQL."""

from __future__ import annotations

import errno
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.discord import adapter
from bot.inbox_path import STORAGE_FULL_NOTE, Arrival
from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from memory.channel_cursors import ChannelCursors
from memory.db import Database
from tests.conftest import make_settings
from tests.fakes.discord_server import BOT_USER, FakeDiscord, rate_limited, server_error
from tests.fakes.openai_server import FakeOpenAI
from tests.test_discord_gateway import (
    ALEX,
    SAM,
    channel_for,
    fake_discord_fixture,  # noqa: F401 - the fixture "fake_discord"
    running,
    settled,
    until,
)

AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


async def test_dms_sent_while_the_bot_was_stopped_are_answered_once_in_order(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    dm = fake_discord.dm_channel(SAM)
    async with running(channel_for(runtime, fake_discord), runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "hello")
        await until(lambda: fake_discord.posted(dm) == ["You said: hello"])
    # The bot is stopped: these reach no session, only the chat's history.
    await fake_discord.say(SAM, "are you there?")
    await fake_discord.say(SAM, "I ran 5k today")
    fake_discord.store(fake_discord.message(dm, BOT_USER, "(an old message of the bot)"))
    assert fake_discord.posted(dm) == ["You said: hello", "(an old message of the bot)"]

    async with running(channel_for(runtime, fake_discord), runtime):
        await until(lambda: len(fake_discord.posted(dm)) >= 4)
        await fake_discord.say(SAM, "and now live")
        await until(lambda: len(fake_discord.posted(dm)) >= 5)
        await settled()
    assert fake_discord.posted(dm) == [
        "You said: hello",
        "(an old message of the bot)",
        "You said: are you there?",
        "You said: I ran 5k today",
        "You said: and now live",
    ]
    reads = [
        r
        for r in fake_discord.requests
        if r.method == "GET" and r.path == f"/api/v10/channels/{dm}/messages"
    ]
    assert reads[0].query["after"] == str(fake_discord.history[dm][0])  # after "hello"
    assert len(fake_llm.chat_requests()) == 4


async def test_a_dropped_connection_resumes_and_each_missed_dm_is_answered_once(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    """While the socket is down a DM arrives: the RESUME replays it and the catch-up
    after RESUMED reads it from the history too; it is answered once."""
    dm = fake_discord.dm_channel(SAM)
    async with running(channel_for(runtime, fake_discord), runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "before the blip")
        await until(lambda: len(fake_discord.posted(dm)) == 1)
        await fake_discord.gateway.drop()
        await fake_discord.say(SAM, "during the blip")
        await fake_discord.gateway.wait_for(lambda: len(fake_discord.gateway.resumes) == 1)
        await until(lambda: len(fake_discord.posted(dm)) >= 2)
        await settled()
    assert fake_discord.posted(dm) == ["You said: before the blip", "You said: during the blip"]
    [resumed] = fake_discord.gateway.resumes
    assert resumed["session_id"] == "fake-session-1"  # resumed, not identified again
    assert len(fake_discord.gateway.identifies) == 1
    assert len(fake_llm.chat_requests()) == 2


async def test_a_live_message_waits_for_its_chats_catch_up(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    """A person writes again just after the bot starts: what they wrote while it was
    away is answered first (their chat's history is read before the live message)."""
    sam_dm, alex_dm = fake_discord.dm_channel(SAM), fake_discord.dm_channel(ALEX)
    async with running(channel_for(runtime, fake_discord), runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "first")
        await fake_discord.say(ALEX, "hi from alex")
        await until(lambda: len(fake_discord.posted(sam_dm)) == 1)
        await until(lambda: len(fake_discord.posted(alex_dm)) == 1)
    await fake_discord.say(SAM, "while away")
    # Reading Sam's history is slow this time (a 429 to wait out, then a 500 that
    # discord.py retries after a second): the live message must still come second.
    fake_discord.fail(f"GET /channels/{sam_dm}/messages", rate_limited(0.3), server_error(500))
    async with running(channel_for(runtime, fake_discord), runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "back again")
        await until(lambda: len(fake_discord.posted(sam_dm)) >= 3, within=15)
        await settled()
    assert fake_discord.posted(sam_dm) == [
        "You said: first",
        "You said: while away",
        "You said: back again",
    ]
    assert fake_discord.posted(alex_dm) == ["You said: hi from alex"]
    refused = [r.status for r in fake_discord.requests if r.status != 200]
    assert 429 in refused and 500 in refused


async def test_missed_messages_older_than_a_day_are_left(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    """Like Telegram, which keeps a bot's updates for 24 hours: a week-old DM is not
    answered out of the blue."""
    dm = fake_discord.dm_channel(SAM)
    async with running(channel_for(runtime, fake_discord), runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "hello")
        await until(lambda: len(fake_discord.posted(dm)) == 1)
    week_ago = (int((datetime.now(UTC).timestamp() - 7 * 86400) * 1000) - 1420070400000) << 22
    old = fake_discord.message(dm, fake_discord.users[SAM], "a week ago")
    old["id"] = str(week_ago)
    fake_discord.store(old)
    await fake_discord.say(SAM, "today")
    async with running(channel_for(runtime, fake_discord), runtime):
        await until(lambda: len(fake_discord.posted(dm)) >= 2)
        await settled()
    assert fake_discord.posted(dm) == ["You said: hello", "You said: today"]


async def test_erasing_a_person_erases_their_chats_cursor(
    runtime: Runtime, fake_discord: FakeDiscord
) -> None:
    dm = fake_discord.dm_channel(SAM)
    async with running(channel_for(runtime, fake_discord), runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "hello")
        await until(lambda: len(fake_discord.posted(dm)) == 1)
    cursors = ChannelCursors(runtime.db)
    assert [c.channel_id for c in await cursors.all("discord")] == [str(dm)]
    person = await runtime.people.find(Identity("discord", str(SAM)))
    assert person is not None
    exported = await runtime.export_person(person.id)
    assert exported["chat_positions"] == [
        {"platform": "discord", "chat": str(dm), "read_up_to": str(fake_discord.history[dm][0])}
    ]
    await runtime.erase_person(person.id)
    assert await cursors.all("discord") == []


async def test_a_message_that_could_not_be_recorded_is_read_again_from_the_chat(
    runtime: Runtime,
    fake_discord: FakeDiscord,
    fake_llm: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk is full when a DM arrives: the person is told (once), and when there is
    room again the message is read from the chat's history and answered, once."""
    monkeypatch.setattr(adapter, "RETRY_FIRST", 0.3)
    channel = channel_for(runtime, fake_discord)
    receive = channel.path.receive
    full = {"left": 2}  # the live message, then the first read again, fail

    async def disk_full(arrivals: list[Arrival]) -> None:
        if full["left"]:
            full["left"] -= 1
            raise OSError(errno.ENOSPC, "No space left on device")
        await receive(arrivals)

    monkeypatch.setattr(channel.path, "receive", disk_full)
    dm = fake_discord.dm_channel(SAM)
    async with running(channel, runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "can you hear me?")
        await until(lambda: len(fake_discord.posted(dm)) >= 2, within=15)
        await settled()
    note, answer = fake_discord.posted(dm)
    assert note == STORAGE_FULL_NOTE
    assert answer == "You said: can you hear me?"
    assert full["left"] == 0


async def test_someone_refused_leaves_no_chat_behind(
    tmp_path: Path, fake_llm: FakeOpenAI, fake_discord: FakeDiscord
) -> None:
    """With COMPANION_ALLOWED_USERS set, a stranger gets one refusal and nothing of
    theirs is kept: not their words, and not their chat for catch-up either."""
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        allowed_users=str(ALEX),
    )
    rt = await build_runtime(settings, with_features=False)
    try:
        async with running(channel_for(rt, fake_discord), rt):
            await fake_discord.gateway.wait_live(1)
            await fake_discord.say(SAM, "let me in")
            await fake_discord.say(SAM, "please?")
            await fake_discord.say(ALEX, "hello")
            await until(lambda: len(fake_discord.posted(fake_discord.dm_channel(ALEX))) == 1)
            await settled()
        [refusal] = fake_discord.posted(fake_discord.dm_channel(SAM))
        assert "private" in refusal
        chats = [c.channel_id for c in await ChannelCursors(rt.db).all("discord")]
        assert chats == [str(fake_discord.dm_channel(ALEX))]
    finally:
        await rt.close()


# ---------------------------------------------------------------------- the cursor store


async def test_cursors_never_move_back_and_erase_per_person(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    try:
        cursors = ChannelCursors(db)
        await cursors.advance("discord", "10", 500, user_key="1", at=AT)
        await cursors.advance("discord", "10", 400, user_key="1", at=AT)  # an older one, late
        await cursors.advance("discord", "20", 700, user_key="2", at=AT)
        await cursors.advance("discord", "10", 9_000_000_000_000_000_000, user_key="1", at=AT)
        assert await cursors.get("discord", "10") == 9_000_000_000_000_000_000  # 63-bit ids
        assert await cursors.get("discord", "20") == 700
        assert await cursors.get("telegram", "10") is None
        await cursors.erase_for([("discord", "1")])
        assert [c.channel_id for c in await cursors.all("discord")] == ["20"]
    finally:
        await db.close()


async def test_the_migration_seeds_cursors_from_the_inbox(db_url: str) -> None:
    """Chats answered before the upgrade are caught up too: 0030 reads their ids
    from the inbox's Discord entries (the newest message per private chat)."""
    db = Database(db_url)
    try:
        await db.migrate()
        async with db.transaction() as conn:
            await conn.execute(text("DROP TABLE channel_cursors"))
            await conn.execute(text("DELETE FROM alembic_version WHERE version_num = '0030'"))
            rows = [
                ("1", {"kind": "message", "channel_id": 10, "message_id": 5, "private": True}),
                ("2", {"kind": "message", "channel_id": 10, "message_id": 9, "private": True}),
                ("3", {"kind": "message", "channel_id": 30, "message_id": 7, "private": False}),
                ("4", {"kind": "button", "channel_id": 40, "user_id": 1, "private": True}),
                ("5", "not json"),
            ]
            for update_id, payload in rows:
                await conn.execute(
                    text(
                        "INSERT INTO inbox (platform, update_id, payload, user_key, status,"
                        " attempts, received_at) VALUES ('discord', :u, :p, '77', 'done', 1, :at)"
                    ),
                    {
                        "u": update_id,
                        "p": json.dumps(payload) if isinstance(payload, dict) else payload,
                        "at": AT.replace(tzinfo=None),
                    },
                )
        await db.migrate()
        cursors = ChannelCursors(db)
        [seeded] = await cursors.all("discord")
        assert (seeded.channel_id, seeded.user_key, seeded.last_message_id) == ("10", "77", 9)
    finally:
        await db.close()


@pytest.mark.parametrize("status", [403, 404])
async def test_a_chat_whose_history_is_refused_is_skipped(
    runtime: Runtime, fake_discord: FakeDiscord, status: int
) -> None:
    """The person blocked the bot or the chat is gone: catch-up goes on with the others."""
    from tests.fakes.discord_server import Fault

    sam_dm, alex_dm = fake_discord.dm_channel(SAM), fake_discord.dm_channel(ALEX)
    async with running(channel_for(runtime, fake_discord), runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "one")
        await fake_discord.say(ALEX, "two")
        await until(lambda: len(fake_discord.posted(sam_dm) + fake_discord.posted(alex_dm)) == 2)
    await fake_discord.say(ALEX, "missed")
    refusal = Fault(status, {"message": "Missing Access", "code": 50001})
    fake_discord.fail(f"GET /channels/{sam_dm}/messages", refusal)
    async with running(channel_for(runtime, fake_discord), runtime):
        await until(lambda: len(fake_discord.posted(alex_dm)) == 2)
    assert fake_discord.posted(alex_dm) == ["You said: two", "You said: missed"]
    assert fake_discord.posted(sam_dm) == ["You said: one"]
    assert f"GET /api/v10/channels/{sam_dm}/messages" in fake_discord.paths()
