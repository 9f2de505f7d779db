"""Goals as the rest of the companion sees them: add, update, log progress, complete,
and describe with progress and streaks in the person's timezone. Tools, /goals,
onboarding and check-ins (``runtime.services.goals``) all go through here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import numbers
from bot.clock import Clock
from bot.goals.cadence import read_rhythm
from bot.goals.matching import match_goal
from bot.goals.signals import GoalSignal, signals_at
from bot.goals.streaks import Streak, compute_streak, period_start
from bot.preferences.timezones import usable_zone
from memory.goals import OPEN_STATUSES, Goal, GoalStore, Progress
from memory.people import PeopleStore

MAX_TITLE = 200
MAX_OPEN_GOALS = 50  # more is a list, not goals; and it bounds what each turn reads


class DuplicateGoal(ValueError):
    """An open goal with the same title exists; ``goal`` is that one."""

    def __init__(self, goal: Goal) -> None:
        super().__init__(f"there is already a goal #{goal.id} {goal.title!r}")
        self.goal = goal


class GoalNotFound(LookupError):
    """The reference matched no goal (or several); the message says which exist."""


class TitleTooLong(ValueError):
    """Titles are short names; a long text is refused whole, never cut without a word."""

    def __init__(self, length: int) -> None:
        super().__init__(
            f"a goal's title can be at most {MAX_TITLE} characters, and this one has "
            f"{length:,}: say it in a few words (details can go in why it matters)"
        )
        self.length = length


@dataclass(frozen=True, slots=True)
class GoalView:
    """A goal with what has happened on it, ready to show."""

    goal: Goal
    times: list[datetime]  # every progress entry's time, oldest first
    last: Progress | None
    streak: Streak | None
    number: int = 0  # the person's own number for it: see GoalsService.numbered


class GoalsService:
    def __init__(self, store: GoalStore, people: PeopleStore, clock: Clock) -> None:
        self.store = store
        self.people = people
        self.clock = clock

    async def _tz(self, person_id: int) -> str:
        person = await self.people.get(person_id)
        return usable_zone(person.timezone if person else "UTC")

    async def numbered(
        self, person_id: int, *, include_closed: bool = False
    ) -> list[tuple[int, Goal]]:
        """The person's goals with their numbers: the order they were added in, counting
        finished and dropped ones, so "goal 3" stays goal 3 whatever happens to others."""
        goals = await self.store.all(person_id, include_closed=True)
        numbers = {g.id: n for n, g in enumerate(sorted(goals, key=lambda g: g.id), start=1)}
        return [(numbers[g.id], g) for g in goals if include_closed or g.status in OPEN_STATUSES]

    # ------------------------------------------------------------------ changes

    async def add(
        self,
        person_id: int,
        title: str,
        *,
        why: str | None = None,
        cadence: str | None = None,
        times_per_period: int | None = None,
        target_date: date | None = None,
    ) -> Goal:
        title = " ".join(title.split())
        if not title:
            raise ValueError("a goal needs a title")
        if len(title) > MAX_TITLE:
            raise TitleTooLong(len(title))
        existing = await self.store.all(person_id)
        same = next((g for g in existing if g.title.lower() == title.lower()), None)
        if same is not None:
            raise DuplicateGoal(same)
        if len(existing) >= MAX_OPEN_GOALS:
            raise ValueError(
                f"there are already {MAX_OPEN_GOALS} open goals; finish or drop some first"
            )
        now = self.clock.now()
        rhythm = read_rhythm(title, now=now, tz=await self._tz(person_id))
        if target_date is not None and cadence is None:
            cadence = "by_date"
        return await self.store.add(
            person_id,
            title,
            now=now,
            why=(why or "").strip() or None,
            cadence=cadence or rhythm.cadence,
            times_per_period=times_per_period or rhythm.times_per_period,
            target_date=target_date or rhythm.target_date,
        )

    async def find(self, person_id: int, ref: str, *, include_closed: bool = False) -> Goal:
        """The person's goal named by ``ref``: its number ("3", "#3"), a title, or
        loose words."""
        number = re.fullmatch(r"\s*(?:goal\s*)?(#?\d+)\s*", ref, re.IGNORECASE)
        if number:
            wanted = numbers.whole(number.group(1))  # bounded: NumberTooLarge past any real
            assert wanted is not None
            return await self.by_number(person_id, wanted, include_closed)
        numbered = await self.numbered(person_id, include_closed=include_closed)
        place = {g.id: n for n, g in numbered}
        found, candidates = match_goal([g for _n, g in numbered], ref)
        if found is not None:
            return found
        if candidates:
            names = "; ".join(f"{place[g.id]}. {g.title}" for g in candidates)
            raise GoalNotFound(f"{ref!r} could be several goals: {names}")
        known = "; ".join(f"{n}. {g.title}" for n, g in numbered) or "none yet"
        raise GoalNotFound(f"no goal matches {ref!r}. Goals: {known}")

    async def by_number(self, person_id: int, number: int, include_closed: bool = False) -> Goal:
        """A goal by the person's number for it (see ``numbered``)."""
        for n, goal in await self.numbered(person_id, include_closed=True):
            if n != number:
                continue
            if goal.status not in OPEN_STATUSES and not include_closed:
                raise GoalNotFound(f"goal {number} ({goal.title}) is {goal.status} already")
            return goal
        raise GoalNotFound(f"there is no goal number {number}")

    async def number_of(self, person_id: int, goal: Goal) -> int:
        return next(
            (n for n, g in await self.numbered(person_id, include_closed=True) if g.id == goal.id),
            0,
        )

    async def update(self, person_id: int, goal: Goal, **fields: Any) -> Goal:
        return await self.store.update(person_id, goal.id, now=self.clock.now(), **fields)

    async def set_status(self, person_id: int, goal: Goal, status: str) -> Goal:
        return await self.update(person_id, goal, status=status)

    async def log(
        self,
        person_id: int,
        goal: Goal,
        *,
        amount: float | None = None,
        note: str | None = None,
        at: datetime | None = None,
        source_turn_id: int | None = None,
    ) -> Progress:
        now = self.clock.now()
        return await self.store.log(
            person_id,
            goal.id,
            at=at or now,
            now=now,
            amount=amount,
            note=(note or "").strip() or None,
            source_turn_id=source_turn_id,
        )

    # ------------------------------------------------------------------ views

    async def views(
        self, person_id: int, *, include_closed: bool = False, tz: str | None = None
    ) -> list[GoalView]:
        """``tz``: pass the person's timezone when known, to save a lookup per turn."""
        numbered = await self.numbered(person_id, include_closed=include_closed)
        if not numbered:
            return []
        goals = [g for _n, g in numbered]
        activity = await self.store.activity(person_id, [g.id for g in goals])
        tz, now = usable_zone(tz) if tz else await self._tz(person_id), self.clock.now()
        out = []
        for number, g in numbered:
            streak = None
            if g.cadence in ("daily", "weekly"):
                streak = compute_streak(
                    activity[g.id].times,
                    now=now,
                    tz=tz,
                    cadence=g.cadence,
                    times_per_period=g.times_per_period,
                )
            out.append(GoalView(g, activity[g.id].times, activity[g.id].last, streak, number))
        return out

    async def describe(self, view: GoalView, tz: str | None = None) -> str:
        """One line: title, rhythm, progress, streak."""
        g = view.goal
        tz = usable_zone(tz) if tz else await self._tz(g.person_id)
        now = self.clock.now()
        bits = [rhythm_text(g)]
        if g.cadence == "by_date" and g.target_date and g.status == "active":
            left = (g.target_date - now.astimezone(ZoneInfo(tz)).date()).days
            bits.append(
                f"{left} day{'s' if left != 1 else ''} left"
                if left > 0
                else ("due today" if left == 0 else f"{-left} days overdue")
            )
        if view.streak is not None:
            need = g.times_per_period
            period = "today" if g.cadence == "daily" else "this week"
            if need > 1:
                bits.append(f"{view.streak.this_period}/{need} {period}")
            elif view.streak.this_period:
                bits.append(f"done {period}")
            bits.append(view.streak.describe())
        elif view.times:
            n = len(view.times)
            bits.append(f"{n} update{'s' if n != 1 else ''}")
        if view.last is not None:
            last = view.last
            note = f": {last.note}" if last.note else ""
            bits.append(f"last {when_text(last.at, tz, now)}{note}")
        if g.status != "active":
            bits.insert(0, g.status)
        shown = "; ".join(b for b in bits if b)
        return f"{g.title} ({shown})" if shown else g.title

    async def active_summary(self, person_id: int, tz: str | None = None) -> list[str]:
        """The shared contract: one short line per active goal, with progress/streak.
        ``tz``: the person's timezone when the caller knows it (saves a lookup)."""
        tz = usable_zone(tz) if tz else await self._tz(person_id)
        return [
            await self.describe(v, tz)
            for v in await self.views(person_id, tz=tz)
            if v.goal.status == "active"
        ]

    async def checkin_signals(
        self, person_id: int, instants: list[datetime], tz: str | None = None
    ) -> list[list[GoalSignal]]:
        """For check-ins: at each instant, the active goals worth a word (a week closing
        short of its target, an evening streak still open, a date close). One read for
        all instants, so /checkins can look a fortnight ahead."""
        goals = [g for g in await self.store.all(person_id) if g.status == "active"]
        if not goals or not instants:
            return [[] for _ in instants]
        activity = await self.store.activity(person_id, [g.id for g in goals])
        tz = tz or await self._tz(person_id)
        return [
            [s for g in goals for s in signals_at(g, activity[g.id].times, at, tz)]
            for at in instants
        ]


def rhythm_text(goal: Goal) -> str:
    if goal.cadence == "daily":
        return "daily" if goal.times_per_period == 1 else f"{goal.times_per_period}x a day"
    if goal.cadence == "weekly":
        return "weekly" if goal.times_per_period == 1 else f"{goal.times_per_period}x a week"
    if goal.cadence == "by_date" and goal.target_date:
        return f"by {goal.target_date.isoformat()}"
    return ""


def when_text(at: datetime, tz: str, now: datetime) -> str:
    """ "today 07:10", "yesterday", "Mon 3 May": in the person's own days."""
    zone = ZoneInfo(tz)
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    days = (today - local.date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return "yesterday"
    if period_start(local.date(), "weekly") == period_start(today, "weekly"):
        return f"{local:%A}"
    return f"{local:%a} {local.day} {local:%b}"
