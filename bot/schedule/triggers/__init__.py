"""Cheap rules decide whether a check-in has anything worth raising; the model is
asked only when one fires, and writes from it.

A trigger source is one small module with ``async def find(scene, at) -> list[Trigger]``
listed in ``SOURCES``. (The weekly review is not a trigger: it has its own due time,
the person's chosen evening, in bot/schedule/review.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.schedule import policy
from bot.schedule.triggers import crisis, followup, goals, hello
from bot.schedule.triggers.base import GoalSignals, Scene, Trigger, TriggerSource

SOURCES: list[TriggerSource] = [crisis.find, followup.find, goals.find, hello.find]

__all__ = ["SOURCES", "GoalSignals", "Scene", "Trigger", "choose", "find_all", "spacing"]


async def find_all(scene: Scene, at: datetime) -> list[Trigger]:
    """Every trigger firing at ``at``, best first."""
    found: list[Trigger] = []
    for source in SOURCES:
        found.extend(await source(scene, at))
    return sorted(found, key=lambda t: t.priority)


def spacing(scene: Scene) -> timedelta | None:
    """The least time between check-ins the person asked for ("less often"), or None."""
    per_week = scene.setting("checkins_per_week")
    if not isinstance(per_week, int | float) or per_week <= 0:
        return None
    # Slack, so a check-in at the same time every day fits "one a day".
    return max(timedelta(days=7) / per_week - timedelta(hours=2), timedelta(0))


def choose(scene: Scene, triggers: list[Trigger], at: datetime) -> Trigger | None:
    """The one to raise now: nothing cheerful within a day of a crisis; nudges keep
    the spacing the person asked for and back off while check-ins go unanswered
    (2 days after two, then 4, then a week); their own follow-ups and the care message
    do not (the slots themselves never allow two unanswered in one day)."""
    hold = crisis.holding(scene, at)
    last = scene.state.last_sent_at if scene.state is not None else None
    waits = [g for g in (spacing(scene), policy.backoff_gap(scene.unanswered)) if g is not None]
    held_until = last + max(waits) if last is not None and waits else None
    for trigger in triggers:
        if hold and trigger.cheerful:
            continue
        if trigger.nudge and held_until is not None and at < held_until:
            continue
        return trigger
    return None
