"""Reminders: /remind without a model, the set_reminder tool, buttons, listing, DST."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from tests.conftest import make_settings
from tests.fakes.channel import CaptureChannel
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.schedule_helpers import press, run_for, say, service


@pytest.fixture
async def rt(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(make_settings(tmp_path, quiet_hours="off"), clock=clock)
    yield runtime
    await runtime.close()


@pytest.fixture
def channel(rt: Runtime) -> CaptureChannel:
    ch = CaptureChannel()
    rt.outbox.register(ch)
    return ch


async def berlin(rt: Runtime, user: str = "42") -> int:
    await say(rt, "/help", user)  # first contact creates the person
    person = await rt.people.find(Identity("telegram", user))
    assert person is not None
    await rt.people.update(person.id, timezone="Europe/Berlin")
    await rt.people.update_settings(person.id, checkins_enabled=False)
    await service(rt).reschedule(person.id)
    return person.id


def reminders_only(channel: CaptureChannel) -> list[str]:
    return [t for t in channel.texts() if t.startswith("⏰")]


async def test_remind_tomorrow_at_6pm_in_the_persons_timezone(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    await berlin(rt)
    answer = await say(rt, "/remind tomorrow 6pm to call mom")
    assert "Tue 05 May 18:00" in answer and "Europe/Berlin" in answer and "call mom" in answer
    clock.set(datetime(2026, 5, 5, 15, 55, tzinfo=UTC))  # 17:55 in Berlin
    await service(rt).run_due(clock.now())
    assert reminders_only(channel) == []
    await run_for(rt, clock, hours=2)
    assert reminders_only(channel) == ["⏰ Reminder: call mom"]
    message = channel.sent[0][1]
    labels = [b.label for row in message.buttons for b in row]
    assert labels == ["Done", "Skip", "Snooze 10 min", "1 h", "Tomorrow"]
    assert all(len(b.data.encode()) <= 64 for row in message.buttons for b in row)
    assert "no upcoming reminders" in await say(rt, "/reminders")


async def test_in_20_minutes_and_snooze_then_done(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    await berlin(rt)
    await say(rt, "/remind in 20 minutes take the pasta off")
    await run_for(rt, clock, hours=0.5, step_minutes=1)
    assert reminders_only(channel) == ["⏰ Reminder: take the pasta off"]
    snooze = channel.sent[0][1].buttons[1][0].data
    reply = await rt.companion.handle(press(snooze))
    assert "Snoozed until" in reply[0].text
    # Pressing again does not snooze twice.
    assert "Already noted" in (await rt.companion.handle(press(snooze)))[0].text
    await run_for(rt, clock, hours=0.25, step_minutes=1)
    assert len(reminders_only(channel)) == 2
    done = channel.sent[1][1].buttons[0][0].data
    assert "Done" in (await rt.companion.handle(press(done)))[0].text
    await run_for(rt, clock, hours=3)
    assert len(reminders_only(channel)) == 2
    export = await rt.export_person(await berlin(rt))
    outcomes = [d["outcome"] for d in export["schedule"]["deliveries"] if d["kind"] == "reminder"]
    assert outcomes == ["snoozed", "done"]


async def test_skip_and_snooze_tomorrow_keep_the_local_time(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    await berlin(rt)
    await say(rt, "/remind at 18:00 water the tomatoes")
    await run_for(rt, clock, hours=10)
    assert len(reminders_only(channel)) == 1
    tomorrow = channel.sent[0][1].buttons[1][2].data
    reply = (await rt.companion.handle(press(tomorrow)))[0].text
    assert "Tue 05 May 18:00" in reply
    await run_for(rt, clock, hours=24)
    assert len(reminders_only(channel)) == 2
    skip = channel.sent[1][1].buttons[0][1].data
    assert "Skipped" in (await rt.companion.handle(press(skip)))[0].text


async def test_weekly_reminder_over_a_dst_change_stays_at_nine_local(
    tmp_path: Path, channel: CaptureChannel, rt: Runtime, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 3, 16, 12, 0, tzinfo=UTC))
    await berlin(rt)
    await say(rt, "/remind every Sunday at 9 water the plants")
    channel.clock = clock
    await run_for(rt, clock, hours=3 * 7 * 24, step_minutes=15)
    delivered = channel.times
    # 22 Mar 08:00 UTC (CET), 29 Mar and 5 Apr 07:00 UTC (CEST): 9:00 in Berlin each time.
    assert [(d.day, d.hour) for d in delivered] == [(22, 8), (29, 7), (5, 7)]
    assert reminders_only(channel) == ["⏰ Reminder: water the plants"] * 3


async def test_list_and_cancel_only_your_own(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    await berlin(rt)
    await berlin(rt, user="99")
    await say(rt, "/remind every day at 8 stretch")
    answer = await say(rt, "/remind in 2 hours stand up")
    rid = int(answer.rsplit("#", 1)[1].rstrip(")"))
    listing = await say(rt, "/reminders")
    assert "stretch (every day)" in listing and f"#{rid}" in listing
    assert "no upcoming reminder" in await say(rt, f"/reminders cancel {rid}", user="99")
    assert "Cancelled" in await say(rt, f"/reminders cancel {rid}")
    assert "stand up" not in await say(rt, "/reminders")
    await run_for(rt, clock, hours=3)
    assert reminders_only(channel) == []
    # Someone else's button does nothing to your reminder.
    await run_for(rt, clock, hours=24)
    data = channel.sent[0][1].buttons[0][0].data
    assert "no longer here" in (await rt.companion.handle(press(data, user="99")))[0].text


async def test_bad_input_gets_a_kind_answer(rt: Runtime) -> None:
    await berlin(rt)
    assert "For example" in await say(rt, "/remind")
    assert "couldn't tell when" in await say(rt, "/remind sometime call mom")
    assert "what should I remind you of" in await say(rt, "/remind tomorrow 6pm")
    assert "Which one" in await say(rt, "/reminders cancel")


async def test_the_model_sets_and_cancels_through_tools(
    tmp_path: Path, clock: ManualClock, fake_llm: FakeOpenAI
) -> None:
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        quiet_hours="off",
    )
    rt = await build_runtime(settings, clock=clock)
    channel = CaptureChannel()
    rt.outbox.register(channel)
    try:
        pid = await berlin(rt)
        fake_llm.push(
            Reply(
                tool_calls=[
                    (
                        "set_reminder",
                        {
                            "text": "water the plants",
                            "when": "2026-05-10T09:00",
                            "recurrence": "FREQ=WEEKLY;BYDAY=SU",
                        },
                    ),
                    ("set_reminder", {"text": "call mom", "when": "tomorrow 6pm"}),
                ]
            ),
            Reply(text="Done, both set."),
        )
        assert await say(rt, "remind me every Sunday at 9 to water the plants and call mom") == (
            "Done, both set."
        )
        tool_results = [
            m["content"] for m in fake_llm.chat_requests()[-1]["messages"] if m["role"] == "tool"
        ]
        assert "Sun 10 May 09:00" in tool_results[0] and "(every Sunday)" in tool_results[0]
        assert "Tue 05 May 18:00" in tool_results[1]
        rows = await service(rt).store.upcoming(pid)
        fake_llm.push(
            Reply(tool_calls=[("cancel_reminder", {"id": rows[1].id})]), Reply(text="Cancelled.")
        )
        await say(rt, "actually forget the plants one")
        assert [r.text for r in await service(rt).store.upcoming(pid)] == ["call mom"]
    finally:
        await rt.close()


async def test_a_timezone_change_moves_recurring_reminders_to_the_new_wall_clock(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await berlin(rt)
    await say(rt, "/remind every day at 9 vitamins")
    await say(rt, "/remind tomorrow 6pm call mom")  # a one-off keeps its instant
    await rt.people.update(pid, timezone="America/New_York")
    await service(rt).reschedule(pid)
    listing = await say(rt, "/reminders")
    assert "America/New_York" in listing
    assert "Mon 04 May 09:00 - vitamins" in listing  # it is 05:00 there now
    assert "Tue 05 May 12:00 - call mom" in listing  # 18:00 Berlin is 12:00 New York
