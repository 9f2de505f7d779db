"""The weekly review: on the person's chosen evening (default Sunday 19:00, their
time), the week's progress as one picture, one line on what went well and one
question about next week.

It has its own due time (``checkin_state.review_at``), swept with reminders and
check-ins, and goes through the check-in policy: quiet hours, a pause, the person in
the middle of a conversation and a backed-off rhythm hold it, but only within the
same evening; a review that cannot go out by local midnight is skipped, never sent
late the next day. Nothing cheerful within a day of a crisis. Sent once: the
delivery key names the person and the week reviewed.

No active goals: nothing is sent. Goals (set before the week began) but no progress
all week: one short, kind note without a picture, and not again until there is
progress to show (a review of nothing every Sunday would be nagging). The words are
a template built from the numbers; with a chat model they may be phrased by it
through the checked composer (``compose.decide``), the template standing in for
anything that does not fit."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.goals.chart import WeekItem, describe_week, monday, number, render_week, week_items
from bot.preferences.parsing import read_review
from bot.schedule import policy
from bot.schedule.triggers import Trigger
from bot.schedule.triggers.crisis import QUIET_FOR, when_of
from bot.schedule.when import localize
from bot.types import OutgoingMessage, Person
from memory.schedule_schema import CheckinStateRow

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.goals.service import GoalsService
    from bot.schedule.service import ScheduleService

log = logging.getLogger(__name__)

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


# --------------------------------------------------------------------------- when


def review_time(settings: Settings, person: Person) -> tuple[int, time] | None:
    """(weekday, local time) of the person's review, or None when it is off (their
    own choice, or check-ins turned off altogether: "never" means never)."""
    if not person.settings.get("checkins_enabled", True):
        return None
    return read_review(person.settings.get("weekly_review"), settings.weekly_review)


def describe_time(when: tuple[int, time] | None) -> str:
    if when is None:
        return "off"
    return f"{DAYS[when[0]].capitalize()}s at {when[1]:%H:%M}"


def next_review(when: tuple[int, time], tz: ZoneInfo, after: datetime) -> datetime:
    """The first review instant strictly after ``after``: the weekday's wall-clock
    time in ``tz`` (so 19:00 stays 19:00 across daylight-saving changes)."""
    weekday, at = when
    day = after.astimezone(tz).date() - timedelta(days=1)
    while True:
        if day.weekday() == weekday:
            candidate = localize(datetime.combine(day, at), tz)
            if candidate > after:
                return candidate.astimezone(UTC)
        day += timedelta(days=1)


def evening_end(due: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight after ``due``: a review not sent by then is skipped."""
    day = due.astimezone(tz).date() + timedelta(days=1)
    return localize(datetime.combine(day, time(0)), tz).astimezone(UTC)


def week_reviewed(due: datetime, tz: ZoneInfo) -> date:
    """The Monday of the week a review looks back on: the week of the day before it
    (Sunday evening looks at this week, Monday morning at the one just ended)."""
    return monday(due.astimezone(tz).date() - timedelta(days=1))


def review_key(person_id: int, week: date) -> str:
    return f"review:{person_id}:{week.isoformat()}"


def slot_for(when: tuple[int, time], tz: ZoneInfo, now: datetime) -> datetime:
    """The review for ``now``: this evening's when it is still open, else the next."""
    latest = next_review(when, tz, now - timedelta(days=7))
    while True:
        following = next_review(when, tz, latest)
        if following > now:
            break
        latest = following
    return latest if now < evening_end(latest, tz) else next_review(when, tz, now)


# --------------------------------------------------------------------------- words


@dataclass(frozen=True, slots=True)
class Words:
    numbers: str  # every number in the picture, in words (the picture's text alternative)
    went_well: str
    question: str
    facts: tuple[str, ...]  # for the model, quoted as data


def _quoted(title: str) -> str:
    return f"“{title}”"


def _amount(item: WeekItem) -> str:
    if item.target is not None:
        return f"{number(item.done)} of {number(item.target)}"
    return f"{number(item.done)} {'times' if item.unit == 'times' else 'logged'}"


def went_well(items: list[WeekItem], streaks: dict[str, tuple[int, str]]) -> str:
    """One line on what went well, from the numbers only: a target met (the longest
    streak first), else the goal closest to its target, else the most logged."""
    done = [i for i in items if i.done > 0]
    met = [i for i in done if i.target is not None and i.done >= i.target]
    if met:
        met.sort(key=lambda i: -streaks.get(i.title, (0, ""))[0])
        best = met[0]
        run, unit = streaks.get(best.title, (0, ""))
        streak = f", {run} {unit}s in a row" if run >= 2 else ""
        also = f" (and {len(met) - 1} more met)" if len(met) > 1 else ""
        return f"What went well: {_quoted(best.title)}, {_amount(best)}{streak}{also}."
    aimed = [i for i in done if i.target]
    if aimed:
        best = max(aimed, key=lambda i: i.done / (i.target or 1.0))
        return f"What went well: {_quoted(best.title)}, {_amount(best)}."
    best = max(done, key=lambda i: i.done)
    return f"What went well: {_quoted(best.title)}, {_amount(best)}."


def next_week_question(items: list[WeekItem]) -> str:
    """One question about next week: about the goal furthest from its target."""
    short = [i for i in items if i.target and i.done < i.target]
    if short:
        worst = min(short, key=lambda i: i.done / (i.target or 1.0))
        return f"What would make {_quoted(worst.title)} easier to fit in next week?"
    return "What would you like to keep up, or try, next week?"


def empty_week_note() -> str:
    return (
        "No progress logged on your goals this week. That happens. Would you like to "
        "keep them as they are for next week, or change one?"
    )


def review_words(items: list[WeekItem], week: date, streaks: dict[str, tuple[int, str]]) -> Words:
    numbers = describe_week(items, week)
    well = went_well(items, streaks)
    question = next_week_question(items)
    facts = (
        f"Their week in numbers: {numbers}",
        well,
        f"A question about next week could be: {question}",
        "Write two short sentences: what went well this week (only from these numbers, "
        "never inventing), then one question about next week. This is the weekly review "
        "they asked for; do not repeat the numbers line, it is sent with a chart.",
    )
    return Words(numbers, well, question, facts)


# --------------------------------------------------------------------------- the sweep


class WeeklyReview:
    """Runs due reviews for the schedule service (which owns sending and the log)."""

    def __init__(self, service: ScheduleService) -> None:
        self.service = service
        self.runtime = service.runtime
        self.settings = service.settings

    def when(self, person: Person) -> tuple[int, time] | None:
        return review_time(self.settings, person)

    async def planned(self, person: Person, now: datetime) -> datetime | None:
        """The review to keep in ``review_at`` for ``person`` after a settings change:
        this evening's if it has not gone out yet (the sweep applies the policy), else
        the next one."""
        when = self.when(person)
        if when is None:
            return None
        tz = self.service.prefs(person).tz
        slot = slot_for(when, tz, now)
        if slot <= now and await self.service.store.delivery(
            review_key(person.id, week_reviewed(slot, tz))
        ):
            return next_review(when, tz, evening_end(slot, tz))
        return slot

    async def run(self, row: CheckinStateRow, now: datetime) -> Counter[str]:
        counts: Counter[str] = Counter()
        due = row.review_at
        found = await self.service.store.person_seen(row.person_id)
        if found is None or due is None:
            return counts
        person, last_seen = found
        prefs = self.service.prefs(person)
        tz, store = prefs.tz, self.service.store
        when = self.when(person)
        end = evening_end(due, tz)
        following = next_review(when, tz, end) if when is not None else None

        async def move(reason: str, target: datetime | None) -> Counter[str]:
            if await store.advance_review(person.id, due, target):
                counts[f"review_{reason}"] += 1
            return counts

        async def hold(reason: str, until: datetime) -> Counter[str]:
            """Later this evening, or skipped this week."""
            if until < end:
                return await move(reason, until)
            return await move(f"{reason}_skipped", following)

        if when is None:
            return await move("off", None)
        if now >= end:
            log.info("weekly review for person %s skipped: the evening had passed", person.id)
            return await move("missed", following)
        crisis = when_of(person.settings.get("crisis_at"))
        care = max(QUIET_FOR, timedelta(hours=self.settings.crisis_care_hours))
        if crisis is not None and crisis <= now < crisis + care:
            return await move("crisis", following)  # nothing cheerful: not this week
        if policy.paused(prefs, now):
            assert prefs.paused_until is not None
            return await hold("paused", prefs.paused_until)
        if policy.in_quiet_hours(prefs, now):
            return await hold("quiet", quiet_end(prefs, now))
        busy = timedelta(minutes=self.settings.checkin_busy_minutes)
        if last_seen is not None and now - last_seen < busy:
            return await hold("busy", last_seen + busy)
        state = await store.state(person.id) or row
        answered = last_seen is not None and (
            state.last_sent_at is None or last_seen > state.last_sent_at
        )
        unanswered = 0 if answered else state.unanswered
        gap = policy.backoff_gap(unanswered) if unanswered >= policy.BACKOFF_AFTER else None
        if gap is not None and state.last_sent_at is not None and now < state.last_sent_at + gap:
            return await hold("backoff", state.last_sent_at + gap)

        goals = self.runtime.services.goals
        if goals is None:
            return await move("no_goals", following)
        week = week_reviewed(due, tz)
        week, items = await week_items(goals, person.id, week)
        if not items:
            return await move("no_goals", following)  # nothing to review: say nothing
        empty = not any(i.done > 0 for i in items)
        if empty and not await self._had_goals_all_week(goals, person.id, week, tz):
            return await move("new_goals", following)  # no week to look back on yet
        if empty and await self._said_empty_last_time(person.id):
            return await move("quiet_week", following)  # said once; wait for progress
        key = review_key(person.id, week)
        delivery_id = await store.claim(
            key, person_id=person.id, kind="review", ref_id=None, due_at=due, now=now,
            late=now - due > timedelta(minutes=15), meta={"empty": empty},
        )  # fmt: skip
        if delivery_id is None:
            if await self.service._taken_elsewhere(key, now):
                await store.advance_review(person.id, due, following)
            counts["taken"] += 1
            return counts
        try:
            message, meta = await self._compose(goals, person, prefs, items, week, empty, now)
        except Exception:
            # Claimed but not composed: "failed" keeps it due, and the next sweep tries
            # again (a few times, this evening only).
            log.exception("composing the weekly review for person %s failed", person.id)
            await store.settle(delivery_id, "failed", meta={"empty": empty})
            counts["review_error"] += 1
            return counts
        message = OutgoingMessage(text=message.text, image=message.image, key=key)
        result, platform = await self.service._send(person.id, message)
        counts[f"review_{result}"] += 1
        sent = result == "sent"
        await store.settle(
            delivery_id,
            result,
            sent_at=now if sent else None,
            platform=platform,
            text=message.text,
            meta={**meta, "empty": empty},
            # A failed send stays due: the next sweep tries again (this evening).
            review=None if result == "failed" else (person.id, due, following),
            unanswered=unanswered + 1 if sent else None,
        )
        return counts

    async def _had_goals_all_week(
        self, goals: GoalsService, person_id: int, week: date, tz: ZoneInfo
    ) -> bool:
        """A goal set before the week began: "no progress this week" means something."""
        start = localize(datetime.combine(week, time(0)), tz)
        active = [g for g in await goals.store.all(person_id) if g.status == "active"]
        return any(g.created_at < start for g in active)

    async def _said_empty_last_time(self, person_id: int) -> bool:
        last = await self.service.store.last_delivery(person_id, "review")
        return last is not None and last.status == "sent" and bool((last.meta or {}).get("empty"))

    async def _compose(
        self,
        goals: GoalsService,
        person: Person,
        prefs: policy.Prefs,
        items: list[WeekItem],
        week: date,
        empty: bool,
        now: datetime,
    ) -> tuple[OutgoingMessage, dict[str, Any]]:
        """The message: the numbers in words, then what went well and one question
        (the model's phrasing when it fits, else the template); and the picture."""
        if empty:
            text = empty_week_note()
            return OutgoingMessage(text=text), {"decided_by": "fixed", "reason": "empty_week"}
        streaks = {
            v.goal.title: (v.streak.current, v.streak.unit)
            for v in await goals.views(person.id, tz=person.timezone)
            if v.streak is not None
        }
        words = review_words(items, week, streaks)
        trigger = Trigger(
            kind="review",
            topic=f"review:{week.isoformat()}",
            priority=0,
            why="your weekly review",
            facts=words.facts,
            template=f"{words.went_well} {words.question}",
            nudge=False,
        )
        decision = await self.service._decide(person, prefs, trigger, now, fallback="template")
        if not decision.send or not decision.text:  # the person asked for it: the template
            from bot.schedule.compose import Decision  # LangChain: not needed at start

            decision = Decision(True, trigger.template, "template", f"fallback:{decision.reason}",
                                decision.model_reason, decision.calls, decision.tokens)  # fmt: skip
        await self.service._log_decision(person.id, prefs, now, trigger, decision)
        png: bytes | None
        try:
            png = await asyncio.to_thread(render_week, items, week)
        except ImportError:  # a trimmed install without matplotlib: the words still go
            png = None
        meta = {
            "trigger": "review",
            "decided_by": decision.by,
            "reason": decision.reason,
            "model_reason": decision.model_reason,
            "tokens": decision.tokens,
        }
        return OutgoingMessage(text=f"{words.numbers}\n\n{decision.text}", image=png), meta


def quiet_end(prefs: policy.Prefs, now: datetime) -> datetime:
    """When the quiet hours holding ``now`` end (the next instant outside them)."""
    assert prefs.quiet is not None
    local = now.astimezone(prefs.tz)
    end = localize(datetime.combine(local.date(), prefs.quiet[1]), prefs.tz)
    if end <= now:
        end = localize(datetime.combine(local.date() + timedelta(days=1), prefs.quiet[1]), prefs.tz)
    return end.astimezone(UTC)
