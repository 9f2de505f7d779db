"""Strings no store can take: a lone surrogate (valid JSON, not encodable as UTF-8)
and a NUL character (PostgreSQL text refuses 0x00). Cleaned once where a message
enters the core, so every command and every store is safe, on every channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cleaning import clean_incoming, clean_name, clean_text
from bot.runtime import build_runtime
from bot.types import Attachment, AttachmentKind, ChannelRef, Identity, IncomingMessage
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.telegram_server import FakeTelegram
from tests.telegram_rig import TOKEN, running, telegram_settings

LONE = "\ud83d"  # the first half of an emoji's surrogate pair, alone


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram(TOKEN).start()
    yield server
    await server.stop()


async def test_a_lone_surrogate_in_a_telegram_name_no_longer_breaks_the_account(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    runtime = await build_runtime(telegram_settings(tmp_path, fake_llm, tg), clock=clock)
    try:
        async with running(runtime, tg):
            tg.push_text(42, "hello there", first_name=f"Sam{LONE}")
            tg.push_text(42, "/help", first_name=f"Sam{LONE}")
            await tg.wait_for(lambda: len(tg.texts(42)) == 2)
        hello, help_text = tg.texts(42)
        assert hello == "You said: hello there"
        assert "/memories" in help_text and "went wrong" not in help_text
        person = await runtime.people.find(Identity("telegram", "42"))
        assert person is not None and person.display_name == "Sam\ufffd"
        first, *_ = await runtime.turns.all(person.id)
        assert first.content == "hello there"
    finally:
        await runtime.close()


@pytest.mark.postgres
async def test_a_nul_in_a_telegram_message_is_kept_and_answered_on_postgresql(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock, pg_url: str
) -> None:
    settings = telegram_settings(tmp_path, fake_llm, tg, database_url=pg_url)
    runtime = await build_runtime(settings, clock=clock)
    try:
        async with running(runtime, tg):
            tg.push_text(42, "tea\x00 time", first_name="Jo\x00")
            tg.push_text(42, "/goals add Read\x00 every day")
            await tg.wait_for(lambda: len(tg.texts(42)) == 2)
        said, added = tg.texts(42)
        assert said == "You said: tea time"
        assert added.startswith("Added goal 1: Read every day")
        person = await runtime.people.find(Identity("telegram", "42"))
        assert person is not None and person.display_name == "Jo"
        turns = await runtime.turns.all(person.id)
        assert [t.content for t in turns] == ["tea time", "You said: tea time"]
    finally:
        await runtime.close()


async def test_every_command_and_store_takes_them_through_the_engine(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock, db_url: str
) -> None:
    settings = make_settings(
        tmp_path,
        database_url=db_url,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
    )
    runtime = await build_runtime(settings, clock=clock)
    who = Identity("discord", "7\x00")

    async def say(text: str, **kw: object) -> str:
        msg = IncomingMessage(
            identity=who,
            channel=ChannelRef("discord", "70", is_private=True),
            text=text,
            display_name=f"Al\x00ex{LONE}",
            **kw,  # type: ignore[arg-type]
        )
        return "\n".join(m.text for m in await runtime.companion.handle(msg))

    try:
        assert (await say("/goals add Walk\x00 the dog daily")).startswith(
            "Added goal 1: Walk the dog"
        )
        assert "Walk the dog" in await say("/goals")
        assert "remind you" in (await say("/remind in 5 minutes stretch\x00 a bit")).lower()
        assert "stretch a bit" in await say("/reminders")
        # The model may answer with a NUL too (it repeats what it is given).
        fake_llm.push(Reply(text="noted\x00, Alex"))
        assert await say("my cat is called Tom\x00") == "noted, Alex"
        assert "(the message" not in await say("/memories")  # the core keeps working
        person = await runtime.people.find(Identity("discord", "7"))
        assert person is not None and person.display_name == "Alex\ufffd"
        exported = await runtime.export_person(person.id)
        assert "\x00" not in str(exported)
    finally:
        await runtime.close()


def test_cleaning_keeps_what_is_fine_and_fixes_the_rest() -> None:
    assert clean_text("plain ✓ 👍") == "plain ✓ 👍"
    assert clean_text(f"a{LONE}b\x00c") == "a\ufffdbc"
    assert clean_name("  Sam\n\tSmith\u2028\x00 ") == "Sam Smith"
    assert clean_name("\x00\n") is None
    assert clean_name("x" * 500) == "x" * 100
    attachment = Attachment(AttachmentKind.FILE, mime="text/plain\x00", filename=f"a{LONE}.txt")
    msg = IncomingMessage(
        Identity("telegram", "1"),
        ChannelRef("telegram", "1"),
        text="fine",
        attachments=(attachment,),
        callback_data="x:\x00",
    )
    cleaned = clean_incoming(msg)
    assert cleaned.attachments[0].filename == "a\ufffd.txt"
    assert cleaned.attachments[0].mime == "text/plain"
    assert cleaned.callback_data == "x:"
    ok = IncomingMessage(Identity("telegram", "1"), ChannelRef("telegram", "1"), text="fine")
    assert clean_incoming(ok) is ok  # nothing to do: nothing copied
