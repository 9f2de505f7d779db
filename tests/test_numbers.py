"""Numbers beyond anything real in command arguments: a kind answer, never a
traceback (SQLite and PostgreSQL take 64 bits, a timedelta less, int() 4,300 digits)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.numbers import MAX_WHOLE, NumberTooLarge, amount, whole
from bot.runtime import build_runtime
from bot.types import ChannelRef, Identity, IncomingMessage
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram
from tests.telegram_rig import TOKEN, running, telegram_settings

HUGE = "9" * 30  # beyond 64 bits
ENORMOUS = "9" * 5000  # beyond what int() reads

COMMANDS = [
    f"/forget {HUGE}",
    f"/forget #{HUGE}",
    f"/memories {HUGE}",
    f"/reminders cancel {HUGE}",
    f"/remind in {HUGE} minutes stretch",
    f"/remind in {HUGE}.5 hours stretch",
    f"/remind in {HUGE} weeks stretch",
    f"/goals log {HUGE}",
    f"/goals log 1 {HUGE} km",
    f"/goals done {HUGE}",
    f"/goals why {HUGE} because",
    f"/goals add Run {HUGE} times a week",
    f"/settings frequency {HUGE}",
    f"/settings pause {HUGE} days",
    f"/settings checkins {HUGE}:00",
    f"/settings quiet {HUGE}:00-07:00",
    f"/forget {ENORMOUS}",
    f"/goals done {ENORMOUS}",
]


async def test_huge_numbers_get_a_kind_answer_from_every_command(
    tmp_path: Path, clock: ManualClock, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = await build_runtime(
        make_settings(tmp_path, database_url=db_url), clock=clock, model=None
    )
    who = Identity("console", "local")

    async def say(text: str) -> str:
        msg = IncomingMessage(who, ChannelRef("console", "local"), text=text)
        return "\n".join(m.text for m in await runtime.companion.handle(msg))

    try:
        assert (await say("/goals add Run every day")).startswith("Added")
        answers = {}
        with caplog.at_level(logging.ERROR):
            for command in COMMANDS:
                answers[command] = await say(command)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        for command, answer in answers.items():
            assert "failed on my side" not in answer, command[:60]
            assert "00:00" not in answer, (command[:60], answer)  # "999:00" is no time
        assert answers[f"/forget {HUGE}"].startswith("999999999999… is far too large")
        assert answers[f"/remind in {HUGE} minutes stretch"] == "That's too far ahead for me."
        assert "1000 times" in answers[f"/goals add Run {HUGE} times a week"]
        assert "0 to 12" in answers[f"/settings frequency {HUGE}"]
        assert "up to a year" in answers[f"/settings pause {HUGE} days"]
        # Real numbers still work after all that.
        assert (await say("/goals log 1 5 km")).startswith("Logged: Run")
        assert "no upcoming reminder #12" in await say("/reminders cancel #12")
    finally:
        await runtime.close()


async def test_through_telegram(tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock) -> None:
    tg = await FakeTelegram(TOKEN).start()
    runtime = await build_runtime(telegram_settings(tmp_path, fake_llm, tg), clock=clock)
    try:
        async with running(runtime, tg):
            tg.push_text(42, f"/reminders cancel {HUGE}")
            tg.push_text(42, f"/memories {HUGE}")
            await tg.wait_for(lambda: len(tg.texts(42)) == 2)
        assert all("far too large a number" in text for text in tg.texts(42)), tg.texts(42)
    finally:
        await runtime.close()
        await tg.stop()


def test_the_shared_parser() -> None:
    assert whole("12") == 12 and whole(" #12 ") == 12 and whole("007") == 7
    assert whole("") is None and whole("12a") is None and whole("-3") is None
    assert whole("²") is None  # a digit to isdigit(), not to int()
    assert whole("٣") == 3  # an Arabic-Indic three is a decimal digit
    assert whole(str(MAX_WHOLE)) == MAX_WHOLE
    assert whole("0" * 40 + "5") == 5  # leading zeros are not size
    for text in (str(MAX_WHOLE + 1), HUGE, ENORMOUS):
        with pytest.raises(NumberTooLarge):
            whole(text)
    with pytest.raises(NumberTooLarge, match="custom"):
        whole("50", limit=10, too_large="custom")
    assert amount("2,5") == 2.5 and amount("3") == 3.0
    assert amount("1e400") is None and amount("inf") is None and amount("nan") is None
    with pytest.raises(NumberTooLarge):
        amount(ENORMOUS + ".5")
