"""Streaks for habits, counted in the person's own days and weeks: across timezones,
daylight-saving changes, and through /goals with a manual clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.goals.streaks import compute_streak
from tests.fakes.clock import ManualClock
from tests.goal_helpers import no_model_runtime, person_of, say


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)  # type: ignore[misc]


def test_same_instants_are_different_days_in_different_timezones() -> None:
    # Two runs an hour apart, either side of midnight UTC.
    runs = [datetime(2026, 5, 4, 23, 30, tzinfo=UTC), datetime(2026, 5, 5, 0, 30, tzinfo=UTC)]
    now = datetime(2026, 5, 5, 10, 0, tzinfo=UTC)
    in_utc = compute_streak(runs, now=now, tz="UTC", cadence="daily")
    in_berlin = compute_streak(runs, now=now, tz="Europe/Berlin", cadence="daily")
    in_new_york = compute_streak(runs, now=now, tz="America/New_York", cadence="daily")
    assert (in_utc.current, in_utc.this_period) == (2, 1)
    assert (in_berlin.current, in_berlin.this_period) == (1, 2)  # both on 5 May, today
    assert (in_new_york.current, in_new_york.this_period) == (1, 0)  # both on 4 May, yesterday


def test_streak_survives_an_open_day_and_breaks_after_a_missed_one() -> None:
    tz = "Europe/Lisbon"
    days = [local(tz, 2026, 5, d, 7, 0) for d in (1, 2, 3, 5, 6, 7)]
    # The morning of the 8th, nothing logged yet: the streak is still alive.
    alive = compute_streak(days, now=local(tz, 2026, 5, 8, 6, 0), tz=tz, cadence="daily")
    assert (alive.current, alive.longest) == (3, 3)
    # A whole day missed: it is gone, the best is kept.
    broken = compute_streak(days, now=local(tz, 2026, 5, 9, 6, 0), tz=tz, cadence="daily")
    assert (broken.current, broken.longest) == (0, 3)
    assert broken.describe() == "no streak yet (best 3)"


def test_daily_streak_across_spring_forward_in_berlin() -> None:
    tz = "Europe/Berlin"  # clocks jump from 02:00 to 03:00 on 29 March 2026
    evenings = [local(tz, 2026, 3, d, 23, 30) for d in (26, 27, 28, 29, 30)]
    assert evenings[2].hour == 22 and evenings[3].hour == 21  # UTC offset changed
    streak = compute_streak(evenings, now=local(tz, 2026, 3, 30, 23, 45), tz=tz, cadence="daily")
    assert (streak.current, streak.longest, streak.this_period) == (5, 5, 1)
    # Just after midnight on the short night still counts for that (new) day.
    early = [*evenings[:3], local(tz, 2026, 3, 29, 0, 15), local(tz, 2026, 3, 30, 3, 30)]
    streak = compute_streak(early, now=local(tz, 2026, 3, 30, 12, 0), tz=tz, cadence="daily")
    assert streak.current == 5


def test_weekly_streak_needs_enough_sessions_and_crosses_fall_back() -> None:
    tz = "America/New_York"  # clocks go back on Sunday 1 November 2026
    sessions = [
        local(tz, 2026, 10, 20, 18, 0),
        local(tz, 2026, 10, 22, 18, 0),  # week of 19 Oct: 2
        local(tz, 2026, 10, 26, 18, 0),
        local(tz, 2026, 11, 1, 23, 30),  # Sunday night after the change: still that week
        local(tz, 2026, 11, 3, 7, 0),  # week of 2 Nov: 1 so far
    ]
    now = local(tz, 2026, 11, 4, 12, 0)
    streak = compute_streak(sessions, now=now, tz=tz, cadence="weekly", times_per_period=2)
    assert (streak.current, streak.this_period, streak.unit) == (2, 1, "week")
    # In UTC the Sunday-night session falls into Monday: that week would look short.
    in_utc = compute_streak(sessions, now=now, tz="UTC", cadence="weekly", times_per_period=2)
    assert in_utc.current == 1


async def test_streaks_through_goals_command_with_manual_clock(
    tmp_path: Path, clock: ManualClock
) -> None:
    clock.set(local("America/New_York", 2026, 10, 29, 20, 0))
    async with no_model_runtime(tmp_path, clock) as rt:
        assert "America/New_York" in await say(rt, "/settings timezone New York")
        await say(rt, "/goals add Walk every day")
        await say(rt, "/goals add Gym twice a week")
        # Late-evening walks every day across the fall-back night, 23:30 local.
        for day in (29, 30, 31):
            clock.set(local("America/New_York", 2026, 10, day, 23, 30))
            await say(rt, "/goals log 1 walked")
        for day in (1, 2):
            clock.set(local("America/New_York", 2026, 11, day, 23, 30))
            await say(rt, "/goals log walk 20 minutes")
        clock.set(local("America/New_York", 2026, 11, 3, 8, 0))
        listing = await say(rt, "/goals")
        assert "Walk every day (daily; streak 5 days; last yesterday" in listing
        assert "Gym twice a week (2x a week; 0/2 this week; no streak yet)" in listing
        await say(rt, "/goals log gym")
        clock.advance(days=1)
        await say(rt, "/goals log 2")
        pid = (await person_of(rt)).id
        summary = await rt.services.goals.active_summary(pid)
        assert summary[1] == (
            "Gym twice a week (2x a week; 2/2 this week; streak 1 week; last today 08:00)"
        )
        # A missed day: the walk streak is over, the best is remembered.
        clock.advance(days=1)
        assert "no streak yet (best 5)" in (await rt.services.goals.active_summary(pid))[0]
