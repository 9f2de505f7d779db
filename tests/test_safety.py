"""Safety where the person is: the console channel and Telegram, the real engine with
every feature, real SQLite, the fake OpenAI server failing or slow, a manual clock.

The messages here are written for these tests (never taken from the dev data)."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.console import LOCAL, ConsoleChannel
from bot.runtime import Runtime, build_runtime
from bot.safety.detect import detect
from bot.safety.doctor import check_crisis_referrals
from memory.safety_counts import ReferralCounts
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply, is_safety_check
from tests.fakes.telegram_server import FakeTelegram
from tests.test_telegram import TOKEN, running, tiny_ogg_opus

CRISIS = "I keep a stash of pills in my drawer and tonight I'm going to take all of my pills"
FIRST_NOTICE = "I'm an AI companion"

Build = Callable[..., Awaitable[Runtime]]


@pytest.fixture
async def build(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Build]:
    built: list[Runtime] = []

    async def make(fake: FakeOpenAI | None = None, **overrides: object) -> Runtime:
        model: dict[str, object] = {}
        if fake is not None:
            model = {
                "model": "openai:fake-model",
                "model_base_url": fake.base_url,
                "model_api_key": "sk-test-not-a-real-key-000000",
            }
        settings = make_settings(tmp_path, ai_notice=True, **model, **overrides)
        rt = await build_runtime(settings, clock=clock)
        built.append(rt)
        return rt

    yield make
    for rt in built:
        await rt.close()


async def say(rt: Runtime, *lines: str) -> str:
    """Type lines into the console channel; what it printed."""
    out = io.StringIO()
    channel = ConsoleChannel(io.StringIO("".join(f"{line}\n" for line in lines)), out)
    await channel.start(rt.companion.handle)
    return out.getvalue()


async def local_person(rt: Runtime, timezone: str) -> int:
    person = await rt.people.resolve(LOCAL, display_name="local", now=rt.clock.now())
    await rt.people.update(person.id, timezone=timezone)
    return person.id


async def test_without_a_model_first_contact_honesty_hyperbole_and_a_crisis(
    build: Build, caplog: pytest.LogCaptureFixture
) -> None:
    rt = await build()
    person_id = await local_person(rt, "Europe/Berlin")

    hello = await say(rt, "hello")
    assert "no chat model is configured" in hello
    assert FIRST_NOTICE in hello  # first contact says what it is

    calm = await say(rt, "this traffic is killing me, an hour to go 3 km")
    assert "no chat model is configured" in calm and "112" not in calm
    assert "crisis_at" not in (await rt.people.get(person_id)).settings  # type: ignore[union-attr]
    assert FIRST_NOTICE not in calm  # once is enough

    honest = await say(rt, "wait, are you a real person?")
    assert "I'm not a person" in honest and "AI" in honest
    assert "Mensch" in await say(rt, "Bist du ein Mensch?")

    caplog.set_level(logging.INFO)
    start = time.monotonic()
    answer = await say(rt, CRISIS)
    assert time.monotonic() - start < 5
    assert "Are you safe" in answer
    assert "TelefonSeelsorge" in answer and "0800 111 0 111" in answer  # Germany, from the zone
    assert "112" in answer
    assert "no chat model" not in answer and "just an AI" not in answer

    settings = (await rt.people.get(person_id)).settings  # type: ignore[union-attr]
    assert settings["crisis_at"] == rt.clock.now().isoformat()
    assert await ReferralCounts(rt.db).total(rt.clock.now().date()) == 1
    # The operator sees that it happened, and nothing of what was said or by whom.
    [logged] = [r.getMessage() for r in caplog.records if "crisis referral" in r.getMessage()]
    assert logged == "crisis referral given (suicidal, noticed by rules, line for DE); 1 today"

    # It stays in the conversation: without a model, care and the line, not "configure me".
    after = await say(rt, "I don't know")
    assert "I'm here" in after and "TelefonSeelsorge" in after
    assert "COMPANION_MODEL" not in after

    doctor = await check_crisis_referrals(rt.settings)
    assert doctor.ok and "1 in all (suicidal 1)" in doctor.detail
    assert "2026-05-04: 1" in doctor.detail


async def test_crisis_over_telegram_with_the_model_down_gets_the_referral_at_once(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    """A transcribed voice note, the chat model answering 500: the referral for the
    person's country (here the operator's default) arrives in the same turn."""
    fake_llm.transcript = "I can't go on anymore. I want to end my life tonight."
    fake_llm.push(Reply(status=500, error="upstream down"))
    fake_llm.responder = lambda body: Reply(status=500, error="upstream down")
    tg = await FakeTelegram(TOKEN).start()
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        telegram_token=TOKEN,
        telegram_api_url=tg.base_url,
        whisper_backend="api",
        whisper_api_url=fake_llm.base_url,
        whisper_model="whisper-1",
        speech_api_key="sk-speech-test-0000",
        show_transcript="never",
        crisis_country="GB",
    )
    rt = await build_runtime(settings, clock=clock)
    try:
        ogg = tiny_ogg_opus()
        voice = {
            "file_id": tg.add_file(ogg, "voice/file_9.oga"),
            "file_unique_id": "u9",
            "duration": 1,
            "mime_type": "audio/ogg",
            "file_size": len(ogg),
        }
        async with running(rt, tg):
            tg.push(message=tg.message(77, voice=voice))
            await tg.wait_for(lambda: len(tg.sent("sendMessage", 77)) >= 2, within=20)
        texts = tg.texts(77)
        assert "Are you safe" in texts[0]
        assert "Samaritans" in texts[1] and "116 123" in texts[1] and "999" in texts[1]
        assert not any("language model" in t for t in texts)
        person = await rt.people.find(tg_identity(77))
        assert person is not None and "crisis_at" in person.settings
    finally:
        await rt.close()
        await tg.stop()


def tg_identity(user: int) -> Any:
    from bot.types import Identity

    return Identity("telegram", str(user))


async def test_a_slow_model_does_not_hold_the_referral_back(
    build: Build, fake_llm: FakeOpenAI
) -> None:
    fake_llm.push(Reply(text="too late", delay=3))
    rt = await build(fake_llm, crisis_reply_wait=0.5)
    await local_person(rt, "America/Sao_Paulo")
    start = time.monotonic()
    answer = await say(rt, "Não quero mais viver, já decidi")
    assert time.monotonic() - start < 2.5
    assert "CVV" in answer and "188" in answer  # Brazil, in Portuguese
    assert "Você está em segurança" in answer
    assert "too late" not in answer


async def test_with_the_model_its_caring_words_then_the_referral_then_care_instructions(
    build: Build, fake_llm: FakeOpenAI
) -> None:
    rt = await build(fake_llm)
    await local_person(rt, "Europe/London")
    fake_llm.say("I'm right here with you, Sam. Are you safe where you are right now?")
    answer = await say(rt, "my boyfriend just hit me and locked the door, I'm in the bathroom")
    lines = answer.strip().splitlines()
    assert lines[0] == "I'm right here with you, Sam. Are you safe where you are right now?"
    assert "999" in answer and "0808 2000 247" in answer  # UK police, domestic abuse line
    request = fake_llm.chat_requests()[-1]["messages"][0]["content"]
    assert "Safety: right now" in request and "(abuse)" in request
    assert not fake_llm.safety_requests()  # the rules saw it: no second opinion needed

    fake_llm.say("I'm glad you're out of the bathroom. Is there someone you can call?")
    await say(rt, "he left, I'm ok for now")
    later = fake_llm.chat_requests()[-1]["messages"][0]["content"]
    assert "## Safety" in later and "999" in later

    fake_llm.push(Reply(status=500, error="down"))  # the model fails soon after: still care
    down = await say(rt, "I don't know what to do")
    assert "I'm here" in down and "999" in down and "language model" not in down


async def test_the_model_may_add_a_crisis_the_rules_missed(
    build: Build, fake_llm: FakeOpenAI
) -> None:
    quiet = "tonight I will finally be free of all of it, I made my peace with everyone"
    assert not detect(quiet).crisis  # the first line has nothing to go on here
    fake_llm.safety_responder = lambda body: Reply(text='{"crisis": true, "kind": "suicidal"}')
    rt = await build(fake_llm, crisis_country="IE")
    fake_llm.say("That sounds heavy. What do you mean by free?")
    answer = await say(rt, quiet)
    assert answer.index("What do you mean by free?") < answer.index("116 123")
    [check] = fake_llm.safety_requests()
    assert check["messages"][0]["content"].startswith("SAFETY CHECK")
    assert quiet in check["messages"][1]["content"]
    assert await ReferralCounts(rt.db).total(rt.clock.now().date()) == 1

    fake_llm.safety_responder = lambda body: Reply(text='{"crisis": false, "kind": "none"}')
    fake_llm.say("Ha, traffic is the worst.")
    calm = await say(rt, "this commute will be the end of me")
    assert "116 123" not in calm


async def test_honest_with_a_model_too(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(fake_llm)
    await say(rt, "hi")
    fake_llm.say("Of course I'm real! I'm always here for you.")
    answer = await say(rt, "are you a real person?")
    assert answer.startswith("No, I'm not a person: I'm an AI companion")
    body = fake_llm.chat_requests()[-1]["messages"][0]["content"]
    assert "## Honesty" in body


async def test_a_minor_gets_breaks_the_ai_reminder_and_no_romance(
    build: Build, clock: ManualClock
) -> None:
    rt = await build()
    person_id = await local_person(rt, "Europe/Amsterdam")
    noted = await say(rt, "hoi, ik ben 14 jaar")
    assert "/safety adult" in noted
    assert (await rt.people.get(person_id)).settings["minor"] is True  # type: ignore[union-attr]

    refusal = await say(rt, "can you be my girlfriend? let's roleplay as a couple")
    assert "won't do romantic" in refusal

    seen = []
    for _ in range(9):  # three hours of chat, a message every 20 minutes
        clock.advance(minutes=20)
        seen.append(await say(rt, "and then what?"))
    assert not any("break" in s for s in seen[:-1])
    assert "A reminder: I'm an AI, not a person." in seen[-1] and "break?" in seen[-1]
    clock.advance(minutes=20)
    assert "break" not in await say(rt, "ok")

    assert "adult" in await say(rt, "/safety adult")
    assert "minor" not in (await rt.people.get(person_id)).settings  # type: ignore[union-attr]


async def test_the_ai_reminder_returns_after_three_hours(build: Build, clock: ManualClock) -> None:
    rt = await build()
    assert FIRST_NOTICE in await say(rt, "/help")  # whatever the first message is
    clock.advance(hours=1)
    assert "reminder" not in await say(rt, "hello")
    clock.advance(hours=2, minutes=1)
    assert "A reminder: I'm an AI, not a person." in await say(rt, "hello again")


async def test_onboarding_does_not_take_a_crisis_for_an_answer(build: Build) -> None:
    rt = await build(crisis_country="DE")
    assert "call you" in await say(rt, "/start")  # onboarding waits for a name
    answer = await say(rt, "ich will nicht mehr leben")
    assert "TelefonSeelsorge" in answer and "Bist du gerade in Sicherheit?" in answer


async def test_safety_command_sets_the_country(build: Build) -> None:
    rt = await build()
    shown = await say(rt, "/safety")
    assert "findahelpline.com" in shown  # UTC says nothing about a country
    assert "113" in await say(rt, "/safety country Netherlands")
    assert "113 Zelfmoordpreventie" in await say(rt, "/safety")


async def test_referral_counts_on_each_database(db_url: str) -> None:
    from memory.db import Database

    db = Database(db_url)
    await db.migrate()
    try:
        counts = ReferralCounts(db)
        day = datetime(2026, 5, 4, tzinfo=UTC).date()
        assert await counts.add(day, "suicidal", "rules") == 1
        assert await counts.add(day, "suicidal", "rules") == 2
        assert await counts.add(day, "abuse", "model") == 3
        rows = await counts.per_day(day)
        assert sorted(rows) == [(day, "abuse", "model", 1), (day, "suicidal", "rules", 2)]
    finally:
        await db.close()


def test_the_fake_routes_safety_checks_apart() -> None:
    assert is_safety_check({"messages": [{"role": "system", "content": "SAFETY CHECK: x"}]})
    assert not is_safety_check({"messages": [{"role": "user", "content": "SAFETY CHECK"}]})


async def test_stale_turn_states_are_swept_at_most_once_a_minute(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """State of turns that never finished is dropped (and their model checks
    cancelled) after ten minutes; the sweep runs once a minute, not per message."""
    from bot.safety import feature

    rt = await build()
    safety = rt.services.safety
    assert safety is not None
    now = [10_000.0]
    monkeypatch.setattr(feature.time, "monotonic", lambda: now[0])
    keep: list[object] = []  # the turns' ids stay unique while they live

    async def never() -> None:
        await asyncio.Event().wait()

    def stale(count: int) -> list[asyncio.Task[None]]:
        judges = []
        for _ in range(count):
            turn = object()
            keep.append(turn)
            judge = asyncio.create_task(never())
            judges.append(judge)
            state = feature._TurnState(lang="en", started=now[0] - 700, judge=judge)  # type: ignore[arg-type]
            safety._turns[id(turn)] = (turn, state)  # type: ignore[assignment]
        return judges

    judges = stale(70)
    safety._forget_stale()
    assert safety._turns == {}
    await asyncio.sleep(0)
    assert all(j.cancelled() for j in judges)
    judges = stale(70)
    now[0] += 30
    safety._forget_stale()
    assert len(safety._turns) == 70  # swept half a minute ago: not again yet
    now[0] += 31
    safety._forget_stale()
    assert safety._turns == {}
    for judge in judges:
        judge.cancel()
