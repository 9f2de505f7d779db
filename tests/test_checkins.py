"""Check-ins: a week in seconds on a manual clock; quiet hours, caps, backoff, pause,
the model's words (or its silence), and a blocked or flaky channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from tests.conftest import make_settings
from tests.fakes.channel import CaptureChannel
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.schedule_helpers import run_for, say, service

START = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)  # Monday 07:00 in Berlin


class StubGoals:
    async def active_summary(self, person_id: int) -> list[str]:
        return ["Run a 5k (3 of 4 runs this week, streak 6 days)"]


class StubMemory:
    def __init__(self) -> None:
        self.queries: list[tuple[int, str]] = []

    async def recall(self, person_id: int, query: str, k: int = 10) -> list[str]:
        self.queries.append((person_id, query))
        return ["Job interview at Acme on Tuesday 14:00"]


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
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    rt.services["goals"] = StubGoals()
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
    assert channel.texts()[0] == "Hi user42! How is it going with Run a 5k today?"
    assert all(m.key and m.key.startswith("checkin:") for _, m in channel.sent)


async def test_never_in_quiet_hours_and_at_most_n_a_day(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(
        rt, checkin_times=["07:00", "12:00", "23:30", "15:00", "17:00"], checkins_per_day=2
    )
    for _ in range(2):
        await run_for(rt, clock, hours=24)
        await say(rt, "hi")
    # 23:30 and 07:00 fall in the default quiet hours (22:00-08:00); 17:00 is a third.
    assert local_times(channel) == ["Mon 12:00", "Mon 15:00", "Tue 12:00", "Tue 15:00"]
    status = await say(rt, "/checkins")
    assert "up to 2 a day" in status and "quiet hours 22:00-08:00" in status
    assert "around 12:00, 15:00" in status
    # The cap also holds at send time: lowered to one a day after Wednesday's first.
    await run_for(rt, clock, hours=6)  # Wed 12:00 goes out
    await rt.people.update_settings(pid, checkins_per_day=1)
    await run_for(rt, clock, hours=4)  # Wed 15:00 was already scheduled: held back
    assert local_times(channel)[-1] == "Wed 12:00"
    reasons = [d["status"] for d in (await rt.export_person(pid))["schedule"]["deliveries"]]
    assert reasons[-1] == "skipped"


async def test_two_unanswered_then_back_off_say_so_and_resume_on_reply(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    await person(rt)
    await run_for(rt, clock, hours=7 * 24)
    # Mon 10:00 and 18:00 go unanswered; then two days apart, then four.
    assert local_times(channel) == ["Mon 10:00", "Mon 18:00", "Wed 18:00", "Sun 18:00"]
    assert "checking in less often" in channel.texts()[2]
    assert "checking in less often" not in channel.texts()[1]
    assert "less often" in await say(rt, "/checkins")
    await say(rt, "sorry, busy week!")
    await run_for(rt, clock, hours=24)
    assert local_times(channel)[-2:] == ["Mon 10:00", "Mon 18:00"]
    assert "less often" not in channel.texts()[-1]


async def test_pause_is_honoured_then_resumes(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    until = (START + timedelta(days=3)).isoformat()
    await person(rt, checkins_paused_until=until)
    assert "Paused until Thu 07 May 07:00" in await say(rt, "/checkins")
    await run_for(rt, clock, hours=72)
    assert channel.sent == []
    await run_for(rt, clock, hours=6)
    assert local_times(channel) == ["Thu 10:00"]


async def test_checkins_off_and_on(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
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


async def test_the_model_writes_from_goals_and_memories_and_may_stay_silent(
    tmp_path: Path, clock: ManualClock, fake_llm: FakeOpenAI
) -> None:
    clock.set(START)
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
    )
    rt = await build_runtime(settings, clock=clock)
    channel = CaptureChannel(clock=clock)
    rt.outbox.register(channel)
    rt.services["goals"] = StubGoals()
    memory = StubMemory()
    rt.services["memory"] = memory
    try:
        fake_llm.say("Hello!")
        pid = await person(rt)
        fake_llm.push(Reply(text="SKIP"), Reply(text="Good luck at Acme tomorrow! Nervous?"))
        await run_for(rt, clock, hours=12)
        assert channel.texts() == ["Good luck at Acme tomorrow! Nervous?"]
        system = fake_llm.chat_requests()[-1]["messages"][0]["content"]
        assert "Run a 5k" in system and "Job interview at Acme" in system
        assert "> user: hello" in system and "SKIP" in system
        assert memory.queries and memory.queries[0][0] == pid
        statuses = [d["status"] for d in (await rt.export_person(pid))["schedule"]["deliveries"]]
        assert statuses == ["silent", "sent"]
        # The model down: a templated check-in still goes out.
        fake_llm.push(Reply(status=500, error="down"))
        await run_for(rt, clock, hours=16)
        assert channel.texts()[-1].startswith("Hi user42! How is it going with Run a 5k")
    finally:
        await rt.close()


async def test_a_blocked_channel_is_not_retried_and_resumes_when_they_write(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
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
    assert len(channel.sent) == 2


async def test_transient_failures_are_retried_then_given_up(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
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
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
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
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
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
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
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
    assert sum(t.startswith("Hi user42") for t in texts) == 14
    assert len({m.key for _, m in channel.sent}) == len(channel.sent) == 22


async def test_a_late_checkin_that_would_land_in_quiet_hours_is_held_back(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await run_for(rt, clock, hours=4)  # Mon 10:00 goes out
    await say(rt, "thanks")
    clock.set(datetime(2026, 5, 4, 21, 0, tzinfo=UTC))  # down over 18:00; back at 23:00
    await service(rt).run_due(clock.now())
    assert len(channel.sent) == 1
    deliveries = (await rt.export_person(pid))["schedule"]["deliveries"]
    assert [d["status"] for d in deliveries] == ["sent", "skipped"]
    await run_for(rt, clock, hours=12)
    assert local_times(channel) == ["Mon 10:00", "Tue 10:00"]
