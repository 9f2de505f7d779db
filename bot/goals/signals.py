"""When a goal is worth a word from the companion, by rules on its progress, at a given
instant in the person's own days and weeks (check-ins read these; nothing here sends).

- a weekly habit whose week is closing short of its target (Sunday, 1 of 3 done);
- a daily habit whose streak is still open well past the time they usually do it
  (someone who meditates at 20:00 every day is not nudged at 18:00);
- a dated goal a couple of days from its date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.goals.streaks import compute_streak, period_start
from memory.goals import Goal

STREAK_WORTH_KEEPING = 2  # days in a row before a streak is worth a nudge
EVENING_HOUR = 17  # without a usual time yet, today's open streak is at risk from here
LATE_BY = 2.0  # hours past their usual time before an open day is "at risk"
NOT_BEFORE = 12.0  # never a streak nudge in the morning
DEADLINE_DAYS = 2


@dataclass(frozen=True, slots=True)
class GoalSignal:
    goal_id: int
    title: str
    kind: str  # window | streak | deadline
    period: date  # the day or week (its Monday) this is about: one nudge per period
    done: int  # this period's entries so far
    need: int
    streak: int  # the run that is at stake (days or weeks)
    days_left: int  # including today


def at_risk_from(times: list[datetime], zone: ZoneInfo) -> float:
    """The local hour from which an undone day counts as at risk: two hours after the
    time they usually do it (the median of the last week's entries), noon at the
    earliest; 17:00 until there are three entries to go by."""
    recent = sorted(times)[-7:]
    if len(recent) < 3:
        return float(EVENING_HOUR)
    hours = sorted(t.astimezone(zone).hour + t.astimezone(zone).minute / 60 for t in recent)
    return max(NOT_BEFORE, hours[len(hours) // 2] + LATE_BY)


def signals_at(goal: Goal, times: list[datetime], at: datetime, tz: str) -> list[GoalSignal]:
    """The signals for one active goal at instant ``at``."""
    if goal.status != "active":
        return []
    local = at.astimezone(ZoneInfo(tz))
    today = local.date()
    if goal.cadence == "weekly":
        week = period_start(today, "weekly")
        if goal.created_at.astimezone(ZoneInfo(tz)).date() > week:
            return []  # started this week: its first week is not judged
        streak = compute_streak(
            times, now=at, tz=tz, cadence="weekly", times_per_period=goal.times_per_period
        )
        need = max(1, goal.times_per_period)
        remaining = need - streak.this_period
        days_left = 7 - today.weekday()
        if remaining > 0 and remaining >= days_left:
            return [
                GoalSignal(goal.id, goal.title, "window", week, streak.this_period, need,
                           streak.current, days_left)
            ]  # fmt: skip
        return []
    if goal.cadence == "daily":
        if local.hour + local.minute / 60 < at_risk_from(times, ZoneInfo(tz)):
            return []
        streak = compute_streak(
            times, now=at, tz=tz, cadence="daily", times_per_period=goal.times_per_period
        )
        need = max(1, goal.times_per_period)
        if streak.this_period < need and streak.current >= STREAK_WORTH_KEEPING:
            return [
                GoalSignal(goal.id, goal.title, "streak", today, streak.this_period, need,
                           streak.current, 1)
            ]  # fmt: skip
        return []
    if goal.cadence == "by_date" and goal.target_date is not None:
        left = (goal.target_date - today).days
        if 0 <= left <= DEADLINE_DAYS:
            return [
                GoalSignal(goal.id, goal.title, "deadline", goal.target_date, len(times), 1, 0,
                           left + 1)
            ]  # fmt: skip
    return []
