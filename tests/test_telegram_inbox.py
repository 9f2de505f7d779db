"""What the inbox keeps and how receiving holds up, through the real Telegram channel
(python-telegram-bot over HTTP to the fake Bot API), the real core and real storage:
/deleteme answers though it erases its own update (SQLite and PostgreSQL), refused
people leave nothing behind, raw updates are kept only for the retention, and an
update the library cannot parse is skipped without stopping the rest."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from memory.inbox_replies_schema import InboxReplyRow
from memory.refusals_schema import RefusalRow
from memory.schema import InboxRow
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram
from tests.test_telegram import TOKEN, running, tg_settings


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram(TOKEN).start()
    yield server
    await server.stop()


@pytest.fixture
async def rt(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(tg_settings(tmp_path, fake_llm, tg), clock=clock)
    yield runtime
    await runtime.close()


async def inbox_rows(rt: Runtime) -> list[InboxRow]:
    async with rt.db.session() as s:
        return list(await s.scalars(select(InboxRow).order_by(InboxRow.id)))


# ---------------------------------------------------------------------- /deleteme


async def test_deleteme_confirmed_gets_its_done_reply_and_keeps_nothing(
    db_url: str, tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    """Confirmed by typing (42) and by the button (43): the erasure deletes the
    confirming update's own inbox entry, and the reply must still go out."""
    settings = tg_settings(tmp_path, fake_llm, tg, database_url=db_url)
    rt = await build_runtime(settings, clock=clock)
    try:
        async with running(rt, tg):
            for user in (42, 43):
                tg.push_text(user, "my cat is called Tofu")
                tg.push_text(user, "/deleteme")
            await tg.wait_for(lambda: all(len(tg.texts(u)) == 2 for u in (42, 43)), 30)
            tg.push_text(42, "/deleteme yes")
            tg.push_callback(43, "memerase:yes")
            await tg.wait_for(lambda: all(len(tg.texts(u)) == 3 for u in (42, 43)), 30)
            await asyncio.sleep(0.3)  # a late write would show up now
        for user in (42, 43):
            assert tg.texts(user)[-1].startswith("Done: everything I kept about you is erased")
            assert await rt.people.find(Identity("telegram", str(user))) is None
        assert await inbox_rows(rt) == []
        async with rt.db.session() as s:
            assert list(await s.scalars(select(InboxReplyRow))) == []
    finally:
        await rt.close()


# ---------------------------------------------------------------------- refused people


async def test_refused_people_leave_nothing_and_are_refused_once_across_restarts(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    settings = tg_settings(tmp_path, fake_llm, tg, allowed_users="42")
    secret = "Zanzibar-marmalade-7731"
    for start in range(2):
        rt = await build_runtime(settings, clock=clock)
        try:
            async with running(rt, tg):
                tg.push(message=tg.message(7, f"{secret} {start}", first_name="Quintessa"))
                tg.push_callback(7, "memerase:yes")
                tg.push_text(42, f"hello {start}")
                await tg.wait_for(lambda n=start + 1: len(tg.texts(42)) == n, 20)
                await asyncio.sleep(0.5)  # a second refusal would show up now
            assert {r.user_key for r in await inbox_rows(rt)} == {"42"}
            async with rt.db.session() as s:
                rows = await s.scalars(select(RefusalRow))
                refused = [(r.platform, r.platform_user_id) for r in rows]
            assert refused == [("telegram", "7")]
        finally:
            await rt.close()
    assert len(tg.texts(7)) == 1 and "private" in tg.texts(7)[0]
    # Nothing they wrote or are called is anywhere in the database files.
    for path in (tmp_path / "data").glob("companion.db*"):
        content = path.read_bytes()
        assert secret.encode() not in content and b"Quintessa" not in content, path.name


# ---------------------------------------------------------------------- retention


async def test_raw_updates_are_exported_while_kept_and_emptied_after_the_retention(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    settings = tg_settings(tmp_path, fake_llm, tg, inbox_retention_hours=2)
    rt = await build_runtime(settings, clock=clock)
    try:
        async with running(rt, tg):
            update_id = tg.push_text(42, "remember the blue bicycle")
            await tg.wait_for(lambda: tg.texts(42), 20)
        person = await rt.people.find(Identity("telegram", "42"))
        assert person is not None
        [kept] = (await rt.export_person(person.id))["inbox"]
        assert kept["update_id"] == str(update_id) and kept["status"] == "done"
        assert kept["update"]["message"]["text"] == "remember the blue bicycle"

        clock.advance(hours=3)  # past the retention: the next start purges
        async with running(rt, tg):
            for _ in range(200):
                if (await inbox_rows(rt))[0].payload == "":
                    break
                await asyncio.sleep(0.02)
        [row] = await inbox_rows(rt)
        assert row.payload == "" and row.status == "done" and row.update_id == str(update_id)
        assert (await rt.export_person(person.id))["inbox"] == []
        async with running(rt, tg):  # the empty row still recognises a redelivery
            tg.updates.append({"update_id": update_id, "message": tg.message(42, "again")})
            tg.push_text(42, "next")
            await tg.wait_for(lambda: len(tg.texts(42)) == 2, 20)
            await asyncio.sleep(0.3)
        assert tg.texts(42)[1] == "You said: next"
    finally:
        await rt.close()


async def test_a_retention_of_zero_forgets_the_update_once_answered(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    settings = tg_settings(tmp_path, fake_llm, tg, inbox_retention_hours=0)
    rt = await build_runtime(settings, clock=clock)
    try:
        async with running(rt, tg):
            tg.push_text(42, "a passing thought")
            await tg.wait_for(lambda: tg.texts(42), 20)
            for _ in range(100):
                rows = await inbox_rows(rt)
                if rows and rows[0].status == "done":
                    break
                await asyncio.sleep(0.02)
        [row] = await inbox_rows(rt)
        assert row.status == "done" and row.payload == ""
    finally:
        await rt.close()


# ---------------------------------------------------------------------- receiving


def callback_without_chat_instance(update_id: int) -> dict[str, Any]:
    """Valid for Telegram some day, unreadable for this python-telegram-bot (its
    CallbackQuery requires chat_instance): parsing the batch would raise TypeError."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "cq-odd",
            "from": {"id": 42, "is_bot": False, "first_name": "Sam"},
            "data": "memerase:no",
        },
    }


async def test_an_update_the_library_cannot_parse_is_kept_raw_and_skipped(
    rt: Runtime, tg: FakeTelegram
) -> None:
    tg.push_text(42, "before")
    odd_id = tg.push(callback_query=callback_without_chat_instance(0)["callback_query"])
    tg.push_text(43, "after")
    async with running(rt, tg):
        await tg.wait_for(lambda: tg.texts(42) and tg.texts(43), 20)
        await tg.wait_for(lambda: tg.confirmed > odd_id)  # the offset moved past it
        tg.push_text(42, "and later")
        await tg.wait_for(lambda: len(tg.texts(42)) == 2, 20)
    assert tg.texts(42) == ["You said: before", "You said: and later"]
    assert tg.texts(43) == ["You said: after"]
    odd = [r for r in await inbox_rows(rt) if r.update_id == str(odd_id)]
    assert [(r.status, r.user_key) for r in odd] == [("unreadable", "42")]
    assert json.loads(odd[0].payload)["callback_query"]["id"] == "cq-odd"


async def test_the_command_menu_never_delays_receiving(rt: Runtime, tg: FakeTelegram) -> None:
    """setMyCommands failing for a while is side work: messages are answered meanwhile."""
    from tests.fakes.telegram_server import Fault

    tg.fail("setMyCommands", *(Fault(500) for _ in range(4)))
    async with running(rt, tg):
        tg.push_text(42, "hi")
        await tg.wait_for(lambda: tg.texts(42), 20)
        answered = len(tg.commands)
        await tg.wait_for(lambda: tg.commands, 20)  # the menu arrives in the end
    assert answered == 0  # answered while the menu was still being retried
    statuses = [c.status for c in tg.calls if c.method == "setmycommands"]
    assert statuses[:4] == [500] * 4 and statuses[-1] == 200
