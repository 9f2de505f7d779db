"""Check-ins worth receiving, where the person gets them: the real Telegram adapter
against the fake Bot API server, the real langchain-openai client against the fake
OpenAI server, the real sweep on a manual clock.

An interview mentioned on Monday brings one "how did it go?" on Thursday evening and
nothing before; what the model says outside a valid decision never reaches the chat;
"Less often" halves the rhythm; and nothing arrives while the person is mid-conversation."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.telegram_server import FakeTelegram
from tests.schedule_helpers import a_reason_at_every_slot, run_for, service
from tests.test_telegram import TOKEN, running, tg_settings

START = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
USER = 42


def decision(send: bool, message: str = "", reason: str = "test") -> Reply:
    return Reply(tool_calls=[("CheckinDecision", {"send": send, "message": message,
                                                  "reason": reason})])  # fmt: skip


def asks_for_a_decision(body: dict[str, Any]) -> bool:
    tools = body.get("tools") or []
    return any(t.get("function", {}).get("name") == "CheckinDecision" for t in tools)


class Model:
    """The fake model's part: a short reply in conversation; check-in decisions from
    ``decide`` (counted)."""

    def __init__(self, decide: Callable[[dict[str, Any]], Reply]) -> None:
        self.decide = decide
        self.decisions: list[dict[str, Any]] = []

    def __call__(self, body: dict[str, Any]) -> Reply:
        if asks_for_a_decision(body):
            self.decisions.append(body)
            return self.decide(body)
        return Reply(text="Noted!")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram(TOKEN).start()
    yield server
    await server.stop()


class Chat:
    """One person talking to the companion over Telegram, on the manual clock."""

    def __init__(self, rt: Runtime, tg: FakeTelegram, clock: ManualClock) -> None:
        self.rt, self.tg, self.clock = rt, tg, clock
        self.person_id = 0

    async def say(self, text: str, at: datetime | None = None) -> str:
        if at is not None:
            self.clock.set(at)
        before = len(self.tg.sent("sendMessage", USER))
        self.tg.push_text(USER, text, date=int(self.clock.now().timestamp()))
        await self.tg.wait_for(lambda: len(self.tg.sent("sendMessage", USER)) > before)
        return self.tg.texts(USER)[-1]

    async def press(self, data: str) -> str:
        before = len(self.tg.sent("sendMessage", USER))
        self.tg.push_callback(USER, data)
        await self.tg.wait_for(lambda: len(self.tg.sent("sendMessage", USER)) > before)
        return self.tg.texts(USER)[-1]

    async def proactive(self) -> list[dict[str, Any]]:
        """Check-ins sent so far: text, local send time, delivery id (from the log)."""
        data = await self.rt.export_person(self.person_id)
        return [
            {"text": d["text"], "at": datetime.fromisoformat(d["sent_at"]).astimezone(BERLIN)}
            for d in data["schedule"]["deliveries"]
            if d["kind"] == "checkin" and d["status"] == "sent"
        ]


@asynccontextmanager
async def chat(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock, **kw: object
) -> AsyncIterator[Chat]:
    clock.set(START)
    settings = tg_settings(tmp_path, fake_llm, tg, memory_extraction=False, **kw)
    rt = await build_runtime(settings, clock=clock)
    try:
        async with running(rt, tg):
            talk = Chat(rt, tg, clock)
            await talk.say("hi")
            found = await rt.people.find(Identity("telegram", str(USER)))
            assert found is not None
            talk.person_id = found.id
            await rt.people.update(found.id, timezone="Europe/Berlin")
            await service(rt).reschedule(found.id)
            yield talk
    finally:
        await rt.close()


async def run_until(talk: Chat, until: datetime) -> Counter[str]:
    hours = (until - talk.clock.now()).total_seconds() / 3600
    return await run_for(talk.rt, talk.clock, hours=hours)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in May 2026, Berlin (4 May is a Monday)."""
    return datetime(2026, 5, day, hour, minute, tzinfo=BERLIN)


async def test_an_interview_mentioned_on_monday_is_asked_about_once_after_it(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    model = Model(lambda body: decision(True, "So, how did the interview go?"))
    fake_llm.responder = model
    async with chat(tmp_path, fake_llm, tg, clock) as talk:
        await talk.say("I have a job interview Thursday at 10, wish me luck", at=local(4, 9, 5))
        why = await talk.say("/checkins")
        assert "Next check-in: Thu 07 May 18:00, to ask how your job interview went" in why
        await run_for(talk.rt, clock, hours=24 * 3 + 6)  # to Thursday 15:00: nothing
        assert await talk.proactive() == [] and model.decisions == []
        await run_for(talk.rt, clock, hours=24 * 3)  # to Sunday
        sent = await talk.proactive()
        assert [(s["text"], f"{s['at']:%a %H:%M}") for s in sent] == [
            ("So, how did the interview go?", "Thu 18:00")
        ]
        assert len(model.decisions) == 1  # idle days cost no model call
        prompt = model.decisions[0]["messages"][0]["content"]
        assert "I have a job interview Thursday at 10" in prompt
        keyboard = tg.sent("sendMessage", USER)[-1].params["reply_markup"]["inline_keyboard"]
        assert [b["text"] for b in keyboard[0]] == ["Not now", "Less often", "This was useful"]


async def test_model_answers_that_are_not_a_decision_never_reach_the_person(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    bad = [
        Reply(text="Nothing new today, I'll skip."),
        decision(True, "Since there is nothing time-bound, I'll ask lightly how their week is."),
        Reply(tool_calls=[("CheckinDecision", '{"send": true, "message": "Hey')]),
        Reply(text="I'm sorry, but I can't help with writing messages like that."),
        Reply(text="SKIP"),
    ]
    answers = iter(bad)
    fake_llm.responder = Model(lambda body: next(answers))
    async with chat(tmp_path, fake_llm, tg, clock) as talk:
        await talk.say(
            "dentist tomorrow at 9, job interview on Wednesday at 10, exam on Thursday at 9, "
            "presentation on Friday at 2pm and a concert on Saturday at 8pm!",
            at=local(4, 9, 5),
        )
        for _ in range(7 * 24):
            if (await run_for(talk.rt, clock, hours=1))["sent"]:
                await talk.say("thanks!", at=clock.now() + timedelta(minutes=30))
        sent = [s["text"] for s in await talk.proactive()]
        assert sent == [
            "How did the dentist appointment go?",
            "How did the job interview go?",
            "How did the exam go?",
            "How did the presentation go?",
            "How was the concert?",
        ]
        everything = " ".join(tg.texts(USER))
        for phrase in ("skip", "SKIP", "time-bound", "their week", '"send"', "I'm sorry"):
            assert phrase not in everything
        reasons = [
            d["decision"]["reason"]
            for d in (await talk.rt.export_person(talk.person_id))["schedule"]["deliveries"]
        ]
        assert reasons == [
            "fallback:no_tool_call",
            "fallback:unfit_narration",
            "fallback:malformed_tool_call",
            "fallback:no_tool_call",
            "fallback:no_tool_call",
        ]


async def test_less_often_halves_the_rhythm(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    fake_llm.responder = Model(lambda body: decision(True, "How's your day going?"))
    with a_reason_at_every_slot():  # a steady stream of reasons: only the rhythm limits
        async with chat(tmp_path, fake_llm, tg, clock) as talk:

            async def a_week() -> list[dict[str, Any]]:
                first = len(await talk.proactive())
                start = clock.now().replace(minute=0, second=0, microsecond=0)
                for step in range(1, 7 * 6 + 1):  # four-hour steps, one slot at most each
                    if (await run_until(talk, start + timedelta(hours=4 * step)))["sent"]:
                        await talk.say("good, thanks", at=clock.now() + timedelta(minutes=20))
                return (await talk.proactive())[first:]

            before = await a_week()
            assert len(before) == 14  # 10:00 and 18:00, every day
            keyboard = tg.sent("sendMessage", USER)[-2].params["reply_markup"]["inline_keyboard"]
            less = next(b["callback_data"] for b in keyboard[0] if b["text"] == "Less often")
            answer = await talk.press(less)
            assert "less often" in answer and "about 7 a week at most" in answer
            after = await a_week()
            assert len(after) == 7, [f"{s['at']:%a %H:%M}" for s in after]
            assert "You asked for fewer" in await talk.say("/checkins")
            assert "Back to the usual rhythm" in await talk.say("/checkins more")


async def test_no_checkin_arrives_within_minutes_of_their_last_message(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    fake_llm.responder = Model(lambda body: decision(True, "How was the dentist?"))
    async with chat(tmp_path, fake_llm, tg, clock) as talk:
        await talk.say("dentist at 11 today, ugh", at=local(4, 9, 5))
        await run_until(talk, local(4, 17, 0))
        await talk.say("home at last", at=local(4, 17, 50))
        await run_until(talk, local(4, 18, 5))  # 18:00 comes: they wrote 10 minutes ago
        await talk.say("making dinner now", at=local(4, 18, 5))
        assert await talk.proactive() == []
        await run_for(talk.rt, clock, hours=2)
        [sent] = await talk.proactive()
        assert sent["text"] == "How was the dentist?"
        assert local(4, 18, 25) <= sent["at"] <= local(4, 18, 35)
