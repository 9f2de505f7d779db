"""Check-ins: a week in seconds on a manual clock; quiet hours, caps, backoff, pause,
and a blocked or flaky channel. The scheduling tests register one extra trigger
source that fires at every slot (``a_reason_at_every_slot``): without a reason, a
check-in is not sent (tests/test_checkin_decisions.py covers the real triggers)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from tests.conftest import make_settings
from tests.fakes.channel import CaptureChannel
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.schedule_helpers import a_reason_at_every_slot, run_for, say, service

START = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)  # Monday 07:00 in Berlin
HI = "Hi user42! How is your day going?"


@pytest.fixture
def always() -> Iterator[list[datetime]]:
    with a_reason_at_every_slot() as asked:
        yield asked


@pytest.fixture
async def rt(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Runtime]:
    clock.set(START)
    runtime = await build_runtime(make_settings(tmp_path), clock=clock)
    yield runtime
    await runtime.close()


@pytest.fixture
def channel(rt: Runtime, clock: ManualClock) -> CaptureChannel:
    ch = CaptureChannel(clock=clock)
    rt.outbox.register(ch)
    return ch


async def person(rt: Runtime, user: str = "42", **prefs: object) -> int:
    await say(rt, "hello", user)
    found = await rt.people.find(Identity("telegram", user))
    assert found is not None
    await rt.people.update(found.id, timezone="Europe/Berlin")
    if prefs:
        await rt.people.update_settings(found.id, **prefs)
    await service(rt).reschedule(found.id)
    return found.id


def local_times(channel: CaptureChannel) -> list[str]:
    from zoneinfo import ZoneInfo

    return [t.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %H:%M") for t in channel.times]


async def test_a_week_of_answered_checkins_at_the_default_times(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    await person(rt)
    for _ in range(7 * 24):
        before = len(channel.sent)
        await run_for(rt, clock, hours=1)
        if len(channel.sent) > before:
            clock.advance(minutes=3)
            await say(rt, "all good, thanks")  # answering keeps the usual rhythm
    assert len(channel.sent) == 14
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert local_times(channel) == [f"{d} {t}" for d in days for t in ("10:00", "18:00")]
    assert channel.texts()[0] == HI
    assert all(m.key and m.key.startswith("checkin:") for _, m in channel.sent)
    labels = [b.label for row in channel.sent[0][1].buttons for b in row]
    assert labels == ["Not now", "Less often", "This was useful"]


async def test_never_in_quiet_hours_and_at_most_n_a_day(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    pid = await person(
        rt, checkin_times=["07:00", "12:00", "23:30", "15:00", "17:00"], checkins_per_day=2
    )
    for _ in range(48):
        before = len(channel.sent)
        await run_for(rt, clock, hours=1)
        if len(channel.sent) > before:
            await say(rt, "hi")
    # 23:30 and 07:00 fall in the default quiet hours (22:00-08:00); 17:00 is a third.
    assert local_times(channel) == ["Mon 12:00", "Mon 15:00", "Tue 12:00", "Tue 15:00"]
    status = await say(rt, "/checkins")
    assert "up to 2 a day" in status and "quiet hours 22:00-08:00" in status
    assert "around 12:00, 15:00" in status
    # The cap also holds at send time: lowered to one a day after Wednesday's first.
    await run_for(rt, clock, hours=6)  # Wed 12:00 goes out
    await say(rt, "hi")
    await rt.people.update_settings(pid, checkins_per_day=1)
    counts = await run_for(rt, clock, hours=4)  # Wed 15:00 was already scheduled: held back
    assert local_times(channel)[-1] == "Wed 12:00"
    assert counts["cap"] == 1


async def test_unanswered_ones_are_never_stacked_then_back_off_and_resume_on_reply(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    await person(rt)
    await run_for(rt, clock, hours=8 * 24)
    # Never two unanswered the same day; then two days apart, four, a week.
    assert local_times(channel) == ["Mon 10:00", "Tue 10:00", "Thu 10:00", "Mon 10:00"]
    assert "check in less often" in channel.texts()[2]
    assert "check in less often" not in channel.texts()[1]
    assert "less often" in await say(rt, "/checkins")
    await say(rt, "sorry, busy week!")
    await run_for(rt, clock, hours=24)
    # Back to the usual rhythm, without the note (and still one unanswered per day).
    assert local_times(channel)[4:] == ["Tue 10:00"]
    assert "less often" not in channel.texts()[-1]


async def test_pause_is_honoured_then_resumes(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    until = (START + timedelta(days=3)).isoformat()
    await person(rt, checkins_paused_until=until)
    assert "Paused until Thu 07 May 07:00" in await say(rt, "/checkins")
    await run_for(rt, clock, hours=72)
    assert channel.sent == []
    await run_for(rt, clock, hours=6)
    assert local_times(channel) == ["Thu 10:00"]


async def test_checkins_off_and_on(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    await person(rt)
    assert "Check-ins are off" in await say(rt, "/checkins off")
    await run_for(rt, clock, hours=48)
    assert channel.sent == []
    answer = await say(rt, "/checkins on")
    assert "Next check-in: Wed 06 May 10:00" in answer
    assert "Next check-in" in await say(rt, "/checkins next")
    await run_for(rt, clock, hours=6)
    assert len(channel.sent) == 1


def decision(send: bool, message: str = "", reason: str = "a test") -> Reply:
    args = {"send": send, "message": message, "reason": reason}
    return Reply(tool_calls=[("CheckinDecision", args)])


async def test_the_model_decides_through_its_tool_and_anything_else_falls_back(
    tmp_path: Path,
    clock: ManualClock,
    fake_llm: FakeOpenAI,
    always: list[datetime],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.schedule")
    clock.set(START)
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        memory_extraction=False,
    )
    rt = await build_runtime(settings, clock=clock)
    channel = CaptureChannel(clock=clock)
    rt.outbox.register(channel)
    try:
        fake_llm.say("Hello!")
        pid = await person(rt)
        fake_llm.push(decision(False, reason="they seem busy"), decision(True, "Good morning!"))
        await run_for(rt, clock, hours=12)  # 10:00: silence chosen; 18:00: sent
        assert channel.texts() == ["Good morning!"]
        request = fake_llm.chat_requests()[-1]
        assert request["tool_choice"]["function"]["name"] == "CheckinDecision"
        system = request["messages"][0]["content"]
        assert "A test reason to write." in system and "> user: hello" in system
        deliveries = (await rt.export_person(pid))["schedule"]["deliveries"]
        assert [d["status"] for d in deliveries] == ["silent", "sent"]
        assert deliveries[0]["decision"]["model_reason"] == "they seem busy"
        assert deliveries[1]["decision"]["reason"] == "model_send"
        # Each decision is logged with its reason and cost, never with the message.
        lines = [r.getMessage() for r in caplog.records if "check-in decision" in r.getMessage()]
        assert "reason=model_silent" in lines[0] and "reason=model_send" in lines[1]
        assert "tokens=2 (today: 2 model calls, 4 tokens)" in lines[1]
        assert not any("Good morning" in r.getMessage() for r in caplog.records)
        # Answers that are not a decision never reach the person: the template does.
        bad = [Reply(text="SKIP."), Reply(status=500, error="down")]
        for answer in [*bad, decision(True, "Nothing new today, I'll skip")]:
            await say(rt, "ok")
            fake_llm.push(answer)
            before = len(channel.sent)
            while len(channel.sent) == before:
                await run_for(rt, clock, hours=1)
        assert channel.texts()[1:] == [HI, HI, HI]
        deliveries = (await rt.export_person(pid))["schedule"]["deliveries"]
        reasons = [d["decision"]["reason"] for d in deliveries]
        assert reasons[2:] == [
            "fallback:no_tool_call",
            "fallback:model_error",
            "fallback:unfit_narration",
        ]
        state = (await rt.export_person(pid))["schedule"]["checkins"]
        assert state["model_usage"]["calls"] >= 1 and state["model_usage"]["tokens"] >= 2
    finally:
        await rt.close()


async def test_a_blocked_channel_is_not_retried_and_resumes_when_they_write(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    pid = await person(rt)
    channel.blocked.add("42")
    await run_for(rt, clock, hours=7 * 24)
    assert channel.attempts == 1 and channel.sent == []
    statuses = [d["status"] for d in (await rt.export_person(pid))["schedule"]["deliveries"]]
    assert statuses == ["blocked"]
    channel.blocked.clear()
    await say(rt, "I'm back")  # writing makes the channel reachable again
    await run_for(rt, clock, hours=24)
    assert local_times(channel) == ["Mon 10:00"]


async def test_transient_failures_are_retried_then_given_up(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    pid = await person(rt)
    channel.transient_failures = 2
    await run_for(rt, clock, hours=4)
    assert len(channel.sent) == 1 and channel.attempts == 3
    await say(rt, "thanks")
    channel.transient_failures = 100
    await run_for(rt, clock, hours=12)
    deliveries = (await rt.export_person(pid))["schedule"]["deliveries"]
    assert [d["status"] for d in deliveries] == ["sent", "gave_up"]
    assert channel.attempts == 3 + 5


async def test_export_and_erase_cover_schedule_data(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    pid = await person(rt)
    await say(rt, "/remind in 1 hour call the bank")
    await run_for(rt, clock, hours=6)
    data = await rt.export_person(pid)
    assert data["schedule"]["reminders"][0]["text"] == "call the bank"
    assert {d["kind"] for d in data["schedule"]["deliveries"]} == {"reminder", "checkin"}
    await rt.erase_person(pid)
    store = service(rt).store
    assert await store.upcoming(pid) == [] and await store.history(pid) == []
    assert await store.state(pid) is None


async def test_checkin_times_stay_local_across_a_dst_change(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    clock.set(datetime(2026, 3, 28, 6, 0, tzinfo=UTC))  # Saturday; clocks go forward Sunday
    await person(rt)
    for _ in range(48):
        before = len(channel.sent)
        await run_for(rt, clock, hours=1)
        if len(channel.sent) > before:
            await say(rt, "fine")
    assert local_times(channel) == ["Sat 10:00", "Sat 18:00", "Sun 10:00", "Sun 18:00"]
    assert [t.hour for t in channel.times] == [9, 17, 8, 16]


async def test_a_week_of_reminders_and_checkins_together(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    await person(rt)
    await say(rt, "/remind every day at 8:30 vitamins")
    await say(rt, "/remind on Wednesday at 14:00 dentist")
    for _ in range(7 * 24):
        before = len(channel.sent)
        await run_for(rt, clock, hours=1)
        if len(channel.sent) > before:
            await say(rt, "ok")
    texts = channel.texts()
    assert texts.count("⏰ Reminder: vitamins") == 7
    assert texts.count("⏰ Reminder: dentist") == 1
    assert texts.count(HI) == 14
    assert len({m.key for _, m in channel.sent}) == len(channel.sent) == 22


async def test_a_late_checkin_that_would_land_in_quiet_hours_is_held_back(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock, always: list[datetime]
) -> None:
    pid = await person(rt)
    await run_for(rt, clock, hours=4)  # Mon 10:00 goes out
    await say(rt, "thanks")
    clock.set(datetime(2026, 5, 4, 21, 0, tzinfo=UTC))  # down over 18:00; back at 23:00
    counts = await service(rt).run_due(clock.now())
    assert len(channel.sent) == 1 and counts["coalesced"] == 1
    deliveries = (await rt.export_person(pid))["schedule"]["deliveries"]
    assert [d["status"] for d in deliveries] == ["sent"]
    await run_for(rt, clock, hours=12)
    assert local_times(channel) == ["Mon 10:00", "Tue 10:00"]


async def test_a_slow_model_and_non_decisions_mean_silence_when_so_configured(
    tmp_path: Path, clock: ManualClock, fake_llm: FakeOpenAI, always: list[datetime]
) -> None:
    clock.set(START)
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        model_timeout=0.5,
        memory_extraction=False,
        checkin_fallback="silent",
    )
    rt = await build_runtime(settings, clock=clock)
    channel = CaptureChannel(clock=clock)
    rt.outbox.register(channel)
    try:
        fake_llm.say("Hello!")
        pid = await person(rt)
        fake_llm.push(
            Reply(delay=1.0, tool_calls=[("CheckinDecision", {"send": True, "message": "Hi!"})]),
            Reply(text="Nothing new today, so no message."),
        )
        await run_for(rt, clock, hours=12)
        assert channel.sent == []
        deliveries = (await rt.export_person(pid))["schedule"]["deliveries"]
        assert [(d["status"], d["decision"]["reason"]) for d in deliveries] == [
            ("silent", "fallback:timeout"),
            ("silent", "fallback:no_tool_call"),
        ]
    finally:
        await rt.close()
