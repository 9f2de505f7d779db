"""Goals worth a word: a weekly habit's week closing short of its target, a daily
streak still open in the evening, a dated goal a couple of days away (the rules live
in ``bot.goals.signals``; here they become check-in triggers)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.schedule.triggers.base import Scene, Trigger

if TYPE_CHECKING:
    from bot.goals.signals import GoalSignal


def _trigger(s: GoalSignal) -> Trigger:
    title = s.title
    if s.kind == "window":
        ends = "today" if s.days_left == 1 else f"in {s.days_left} days"
        return Trigger(
            kind="goal_window",
            topic=f"window:{s.goal_id}:{s.period.isoformat()}",
            priority=20,
            why=f"“{title}”: the week closes with {s.done} of {s.need} done",
            facts=(
                f"Their goal: “{title}”, {s.need} times a week.",
                f"This week so far: {s.done} of {s.need}; the week ends {ends}.",
                "Ask lightly whether another one fits before the week ends, or whether this "
                "week is simply a skip. No guilt, no pressure.",
            ),
            template=(
                f"“{title}”: {s.done} of {s.need} so far this week, and the week ends {ends}. "
                "Is there room for another one, or is this week a skip?"
            ),
        )
    if s.kind == "streak":
        return Trigger(
            kind="streak",
            topic=f"streak:{s.goal_id}:{s.period.isoformat()}",
            priority=30,
            why=f"“{title}”: a {s.streak}-day streak, still open today",
            facts=(
                f"Their daily goal: “{title}”. They have done it {s.streak} days in a row; "
                "today is not logged yet.",
                "Mention the streak lightly; if today is not the day, that's fine. No guilt.",
            ),
            template=(
                f"Your {s.streak}-day run of “{title}” is still open today. "
                "Any chance for it this evening? If not, no worries."
            ),
        )
    days = (
        "today"
        if s.days_left == 1
        else ("tomorrow" if s.days_left == 2 else f"in {s.days_left - 1} days")
    )
    return Trigger(
        kind="deadline",
        topic=f"deadline:{s.goal_id}:{s.period.isoformat()}",
        priority=25,
        why=f"“{title}” is due {days}",
        facts=(
            f"Their goal “{title}” has a date: {s.period:%a %d %b} ({days}).",
            "Ask how it is looking, or whether the date still makes sense.",
        ),
        template=f"“{title}” is due {days}. How is it looking?",
    )


async def find(scene: Scene, at: datetime) -> list[Trigger]:
    out = []
    for signal in await scene.goal_signals(at):
        trigger = _trigger(signal)
        if not await scene.is_decided(trigger.topic):
            out.append(trigger)
    return out
