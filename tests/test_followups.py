"""The rules behind check-ins: events found in what people say (four languages, no
model), goal signals, the checks on a model's answer, and the triggers in the sweep
(after a crisis, a hello after silence, follow-ups answered or called off first)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.goals.signals import signals_at
from bot.runtime import Runtime, build_runtime
from bot.schedule.compose import read_answer, unfit
from bot.schedule.followups.concepts import BY_NAME, question
from bot.schedule.followups.detect import mentions, timing, worth_following
from bot.types import Identity
from memory.goals import Goal
from tests.conftest import make_settings
from tests.fakes.channel import CaptureChannel
from tests.fakes.clock import ManualClock
from tests.schedule_helpers import run_for, say, service

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 5, 4, 9, 0, tzinfo=BERLIN)


def found(text: str, said: datetime = MONDAY) -> list[tuple[str, str, str]]:
    """(kind, local start "Thu 07 10:00" or "Fri 08", precision) for each event."""
    out = []
    for m in mentions(text, said):
        if m.moment is None:
            out.append((m.concept.name, "-", "-"))
            continue
        when = timing(m.concept, m.moment, BERLIN, expire_after=timedelta(hours=48))
        if not worth_following(m, when, said):
            continue
        start = when.event_at.astimezone(BERLIN)
        shown = f"{start:%a %d %H:%M}" if m.moment.at is not None else f"{start:%a %d}"
        out.append((m.concept.name, shown, m.moment.precision))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("job interview Thursday at 10, wish me luck", [("interview", "Thu 07 10:00", "time")]),
        ("flying to Lisbon on the 3rd", [("flight", "Wed 03", "day")]),
        ("exam next week, so nervous", [("exam", "Mon 11", "week")]),
        ("dentist appointment tomorrow at 3", [("appointment", "Tue 05 15:00", "time")]),
        ("party tonight!", [("celebration", "Mon 04 19:00", "part")]),
        ("wedding this weekend", [("celebration", "Sat 09", "weekend")]),
        ("running a 10k on Sunday morning", [("competition", "Sun 10 09:00", "part")]),
        ("presentation in 3 days", [("presentation", "Thu 07", "day")]),
        ("exam on 2026-05-20", [("exam", "Wed 20", "day")]),
        ("The exam is on the 12th at 9am", [("exam", "Tue 12 09:00", "time")]),
        ("Am Donnerstag um 10 Uhr Vorstellungsgespräch", [("interview", "Thu 07 10:00", "time")]),
        ("Prüfung nächste Woche", [("exam", "Mon 11", "week")]),
        ("Flug nach Lissabon am 3. Juni", [("flight", "Wed 03", "day")]),
        ("J'ai un entretien jeudi à 10h", [("interview", "Thu 07 10:00", "time")]),
        ("examen le 12 mai", [("exam", "Tue 12", "day")]),
        ("Tengo una entrevista el jueves a las 10", [("interview", "Thu 07 10:00", "time")]),
        ("la boda es el 3 de junio", [("celebration", "Wed 03", "day")]),
        # Nothing to follow: no event word, a verb, already over, no date at all.
        ("I'll test it tomorrow", []),
        ("see you tomorrow at 10", []),
        ("I had my exam today", []),
        ("the interview went really well", [("interview", "-", "-")]),
    ],
)  # fmt: skip
def test_events_and_their_dates_are_read_from_the_words(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(text) == expected


def test_several_events_in_one_message_keep_their_own_dates() -> None:
    text = "dentist tomorrow at 9, interview on Wednesday at 10 and a concert on Saturday at 8pm"
    assert found(text) == [
        ("appointment", "Tue 05 09:00", "time"),
        ("interview", "Wed 06 10:00", "time"),
        ("celebration", "Sat 09 20:00", "time"),
    ]


def test_questions_are_asked_in_the_persons_language() -> None:
    assert question(BY_NAME["interview"], "en", "Job  Interview") == "How did the job interview go?"
    dentist = question(BY_NAME["appointment"], "en", "dentist")
    assert dentist == "How did the dentist appointment go?"
    assert question(BY_NAME["interview"], "de", "Vorstellungsgespräch") == "Wie lief das Gespräch?"
    assert question(BY_NAME["exam"], "es", "examen").startswith("¿")


@pytest.mark.parametrize(
    "text",
    [
        "SKIP",
        "skip.",
        "Nothing new today, I'll skip",
        "Since there is nothing time-bound, I'll ask lightly how their week is going.",
        "No need for a check-in today.",
        "I will send a short message asking about the interview.",
        "The user seems busy, so a light hello.",
        "Check-in: How are you?",
        "Here's a check-in for today: how are you?",
        "As an AI, I can't really know how you feel.",
        "I'm sorry, but I can't help with that.",
        '{"send": true, "message": "hi"}',
        "All clear.",
        "",
        "x" * 700,
    ],
)
def test_text_that_is_not_a_message_to_the_person_is_caught(text: str) -> None:
    assert unfit(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "How did the interview go?",
        "Your week for “Run 3 times” closes on Sunday: 1 of 3 so far. Room for another?",
        "Hey Sam, how was Lisbon? Did the flight go smoothly?",
        "Wie lief die Prüfung?",
        "I hope the exam went well. How do you feel about it?",
        "Did you skip lunch again before the interview? How did it go?",
    ],
)
def test_real_messages_pass_the_check(text: str) -> None:
    assert unfit(text) is None


def test_a_decision_is_read_only_from_one_well_formed_tool_call() -> None:
    def reply(**kw: object) -> SimpleNamespace:
        return SimpleNamespace(**{"tool_calls": [], "invalid_tool_calls": [], **kw})

    call = {"name": "CheckinDecision", "args": {"send": True, "message": "Hi", "reason": "r"}}
    assert read_answer(reply(tool_calls=[call]))[0] is not None
    assert read_answer(reply(content="SKIP"))[1] == "no_tool_call"
    assert read_answer(reply(invalid_tool_calls=[{"name": "x"}]))[1] == "malformed_tool_call"
    assert read_answer(reply(tool_calls=[{**call, "name": "remember"}]))[1] == "wrong_tool"
    assert read_answer(reply(tool_calls=[call, call]))[1] == "several_decisions"
    stringly = {**call, "args": {"send": "yes", "message": "Hi"}}
    assert read_answer(reply(tool_calls=[stringly]))[1] == "invalid_args"


def goal(cadence: str, per: int = 1, target: date | None = None) -> Goal:
    created = datetime(2026, 4, 1, tzinfo=UTC)
    return Goal(1, 1, "Run", None, cadence, per, target, "active", created, created, None)


def test_goal_signals_a_closing_week_an_open_streak_and_a_close_date() -> None:
    tz = "Europe/Berlin"
    weekly = goal("weekly", 3)
    monday_run = [datetime(2026, 5, 4, 7, 0, tzinfo=UTC)]
    friday, sunday = datetime(2026, 5, 8, 16, tzinfo=UTC), datetime(2026, 5, 10, 8, tzinfo=UTC)
    assert signals_at(weekly, monday_run, friday, tz) == []  # 2 to go in 3 days: fine
    [closing] = signals_at(weekly, monday_run, sunday, tz)
    assert (closing.kind, closing.done, closing.need, closing.days_left) == ("window", 1, 3, 1)
    daily = goal("daily")
    runs = [datetime(2026, 5, d, 6, tzinfo=UTC) for d in (1, 2, 3)]  # 08:00 in Berlin
    assert signals_at(daily, runs, datetime(2026, 5, 4, 9, tzinfo=UTC), tz) == []  # 11:00
    [streak] = signals_at(daily, runs, datetime(2026, 5, 4, 16, tzinfo=UTC), tz)
    assert streak.kind == "streak" and streak.streak == 3
    done_today = [*runs, datetime(2026, 5, 4, 6, tzinfo=UTC)]
    assert signals_at(daily, done_today, datetime(2026, 5, 4, 16, tzinfo=UTC), tz) == []
    # Someone who does it at 20:00 every day is not nudged at 18:00.
    evenings = [datetime(2026, 5, d, 18, tzinfo=UTC) for d in (1, 2, 3)]
    assert signals_at(daily, evenings, datetime(2026, 5, 4, 16, tzinfo=UTC), tz) == []
    dated = goal("by_date", target=date(2026, 5, 6))
    assert [s.kind for s in signals_at(dated, [], sunday, tz)] == []
    assert [s.kind for s in signals_at(dated, [], friday - timedelta(days=4), tz)] == ["deadline"]


# ---------------------------------------------------------------- in the sweep

START = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)  # Monday 09:00 in Berlin


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


async def person(rt: Runtime, user: str = "42") -> int:
    await say(rt, "hello", user)
    found_person = await rt.people.find(Identity("telegram", user))
    assert found_person is not None
    await rt.people.update(found_person.id, timezone="Europe/Berlin")
    await service(rt).reschedule(found_person.id)
    return found_person.id


def sent_at(channel: CaptureChannel) -> list[str]:
    return [f"{t.astimezone(BERLIN):%a %H:%M}" for t in channel.times]


async def test_after_a_crisis_a_day_of_quiet_then_one_gentle_word(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await say(rt, "exam tomorrow at 9")  # a follow-up due Tuesday 12:00
    goals = rt.services.goals
    daily = await goals.add(pid, "Meditate every day")
    for d in (1, 2, 3):
        await goals.log(pid, daily, at=START - timedelta(days=d))
    clock.set(START + timedelta(hours=8))  # Monday 17:00: a hard moment
    await rt.people.update_settings(pid, crisis_at=clock.now().isoformat())
    await say(rt, "I can't do this anymore")
    await run_for(rt, clock, hours=24 + 17)  # to Wednesday 10:00
    # Monday's streak nudge and Tuesday's exam follow-up are held; Tuesday 18:00 the
    # care message goes (fixed words, no cheer); the exam question waits a day after it.
    assert channel.texts()[0] == "I wanted to check in after yesterday. How are you doing today?"
    assert sent_at(channel) == ["Tue 18:00"]
    assert channel.sent[0][1].buttons == ()  # no rating buttons under it
    await say(rt, "a bit better, thanks")
    await run_for(rt, clock, hours=9)
    assert channel.texts()[1:] == ["How did the exam go?"] and sent_at(channel)[1] == "Wed 18:00"


async def test_no_care_message_when_checkins_are_off(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await rt.people.update_settings(pid, crisis_at=START.isoformat(), checkins_enabled=False)
    await service(rt).reschedule(pid)
    await run_for(rt, clock, hours=72)
    assert channel.sent == []


async def test_an_idle_person_gets_one_hello_after_a_long_silence_and_nothing_else(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    await person(rt)
    counts = await run_for(rt, clock, hours=24 * 14)
    assert channel.texts() == [
        "Hi user42, it's been a little while. No need to reply, just saying hello; "
        "I'm here whenever you feel like talking."
    ]
    assert sent_at(channel) == ["Sat 10:00"]  # five days after Monday 09:00
    assert counts["idle"] >= 20 and counts["sent"] == 1


async def test_a_followup_told_first_in_conversation_or_called_off_is_dropped(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await say(rt, "job interview tomorrow at 10 and my sister's wedding on Saturday")
    clock.set(START + timedelta(days=1, hours=5))  # Tuesday 14:00
    await say(rt, "the interview went great, they liked me!")
    await say(rt, "oh and the wedding got cancelled")
    await say(rt, "but I'm flying to Rome on Thursday at 7am")
    await say(rt, "sorry, correction: the flight is now on Friday at 7am")
    rows = {r["what"]: r for r in (await rt.export_person(pid))["followups"]}
    assert rows["job interview"]["status"] == "answered"
    assert rows["wedding"]["status"] == "dropped"
    assert rows["flying"]["status"] == "pending"
    assert datetime.fromisoformat(rows["flying"]["event_at"]).astimezone(BERLIN).time() == time(7)
    assert f"{datetime.fromisoformat(rows['flying']['event_at']).astimezone(BERLIN):%a}" == "Fri"
    await run_for(rt, clock, hours=24 * 5)
    assert channel.texts() == ["Did you get there all right? How was the flight?"]
    assert sent_at(channel) == ["Fri 18:00"]
    assert "I'll ask how it went" not in await say(rt, "/checkins")


async def test_followups_are_exported_erased_and_follow_a_link(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await say(rt, "exam on Friday")
    assert "exam (Fri 08 May): I'll ask how it went" in await say(rt, "/checkins")
    other = await person(rt, "77")
    await rt.services.linking.mergers["followups"](pid, other)
    assert (await rt.export_person(pid))["followups"] == []
    [row] = (await rt.export_person(other))["followups"]
    assert row["said"] == "exam on Friday" and row["status"] == "pending"
    await rt.erase_person(other)
    assert await service(rt).followups.store.all(other) == []


async def test_the_memory_extractors_dated_events_become_followups_once(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await say(rt, "job interview on Thursday at 10")
    hook = rt.services.followups
    me = await rt.people.get(pid)
    assert me is not None
    thursday = datetime(2026, 5, 7, 8, 0, tzinfo=UTC)
    said = clock.now()
    known = await hook.accept_event(me, "Has a job interview at Acme", thursday, said_at=said)
    assert known is None  # the rules have it already
    trip = datetime(2026, 5, 9, 0, 0, tzinfo=BERLIN)
    new = await hook.accept_event(me, "Visits grandmother in Porto", trip, said_at=said)
    assert new is not None
    rows = {r["id"]: r for r in (await rt.export_person(pid))["followups"]}
    assert rows[new]["source"] == "model" and rows[new]["precision"] == "day"
    assert len(rows) == 2


async def test_the_followup_and_decision_stores_on_each_database(
    db_url: str, tmp_path: Path, clock: ManualClock
) -> None:
    clock.set(START)
    rt = await build_runtime(make_settings(tmp_path, database_url=db_url), clock=clock)
    channel = CaptureChannel(clock=clock)
    rt.outbox.register(channel)
    try:
        pid = await person(rt)
        await say(rt, "job interview tomorrow at 10")
        svc = service(rt)
        [row] = await svc.followups.store.pending(pid)
        assert row.concept == "interview" and row.event_at.tzinfo is not None
        await run_for(rt, clock, hours=36)  # Tuesday 18:00: asked (no model: the template)
        assert channel.texts() == ["How did the job interview go?"]
        assert await svc.followups.store.pending(pid) == []
        asked = await svc.followups.store.get(pid, row.id)
        assert asked is not None and asked.status == "sent"
        assert await svc.store.decided_topics(pid, START) == {f"followup:{row.id}"}
        assert await svc.store.add_usage(pid, "2026-05-05", calls=1, tokens=40) == (1, 40)
        assert await svc.store.add_usage(pid, "2026-05-05", calls=1, tokens=2) == (2, 42)
        assert await svc.store.add_usage(pid, "2026-05-06", calls=1, tokens=5) == (1, 5)
        await rt.erase_person(pid)
        assert await svc.followups.store.all(pid) == []
    finally:
        await rt.close()


async def test_distinct_events_on_one_day_each_get_a_followup_and_one_read_twice_one(
    rt: Runtime, channel: CaptureChannel, clock: ManualClock
) -> None:
    pid = await person(rt)
    await say(rt, "dentist on Friday")
    hook = rt.services.followups
    me = await rt.people.get(pid)
    assert me is not None
    friday = datetime(2026, 5, 8, 0, 0, tzinfo=BERLIN)
    said = clock.now()
    # The extractor reads the same dentist again: the rules have it.
    assert await hook.accept_event(me, "Has a dentist appointment", friday, said_at=said) is None
    # Another kind of event the same day: a follow-up of its own.
    wedding = await hook.accept_event(me, "Goes to their sister's wedding", friday, said_at=said)
    assert wedding is not None
    # A generic event (no known word) the same day is a third...
    visit = await hook.accept_event(me, "Visits grandmother in Porto", friday, said_at=said)
    assert visit is not None
    # ...and each, read again from a later message, is still one.
    later = said + timedelta(hours=2)
    assert await hook.accept_event(me, "Sister's wedding", friday, said_at=later) is None
    assert await hook.accept_event(me, "Visit to grandmother", friday, said_at=later) is None
    rows = await hook.store.all(pid)
    assert sorted(r.concept for r in rows) == ["appointment", "celebration", "event"]
