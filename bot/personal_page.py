"""What the personal page shows and does, platform-free: each section read from, and
each action sent through, the same feature services the chat commands use
(MemoryService, GoalsService, ScheduleService, Preferences, Runtime's export and
erasure). So a change on the page shows in /memories or /goals, and the reverse.

Every call takes the person id of the signed-in browser; an id from a form (a memory,
a goal, a reminder) is only ever looked up within that person's own data."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.goals.chart import (
    WEEKS,
    WeeklySeries,
    describe_progress,
    monday,
    render_progress,
    weekly_series,
)
from bot.goals.service import GoalsService
from bot.interfaces import require
from bot.preferences.parsing import (
    SettingError,
    parse_pause,
    parse_quiet_hours,
    parse_review,
    parse_times,
    read_review,
)
from bot.preferences.service import Change, Preferences
from bot.preferences.timezones import describe_zone, find_timezone
from bot.schedule.policy import prefs_for
from bot.schedule.review import DAYS, review_time
from bot.types import Person
from memory.goals import Goal, Progress
from memory.semantic.guard import MemoryRejected
from memory.semantic.service import MemoryService
from memory.semantic.store import Memory
from memory.turn_search import TurnSearch
from memory.turns import Turn

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.schedule.service import ScheduleService

log = logging.getLogger(__name__)

PAGE_SIZE = 25
SEARCH_RESULTS = 30
MIN_SIMILARITY = 0.35  # a search shows what matches, not merely the nearest things
SOURCE_CHARS = 400
ORIGINS = {"told": "you told me", "extracted": "from our chat", "tool": "you asked me"}
GOAL_STATUSES = {"active", "paused", "done"}
SNOOZES = {"1h": timedelta(hours=1), "3h": timedelta(hours=3), "1d": timedelta(days=1)}
CHARTS_KEPT = 128  # drawn charts kept in memory: a chart is redrawn only when it changes


class PageError(ValueError):
    """A kind sentence for the person: what went wrong and what to do."""


def local(at: datetime | None, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y, %H:%M") if at else ""


def local_day(at: datetime | None, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%d %b %Y") if at else ""


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True, slots=True)
class Earlier:
    """One step of a memory's history: what it said before, or that it was retired."""

    text: str | None
    when: str
    why: str
    replaced_by: str | None = None


@dataclass(frozen=True, slots=True)
class MemoryCard:
    id: str
    text: str
    kind: str
    status: str
    said: str
    how: str
    source: Turn | None
    source_at: str
    history: list[Earlier]


@dataclass(frozen=True, slots=True)
class MemoryList:
    cards: list[MemoryCard]
    total: int
    page: int
    pages: int
    query: str


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    count: int
    level: str  # "none" | "some" | "full" | "future"


@dataclass(frozen=True, slots=True)
class GoalCard:
    goal: Goal
    summary: str  # rhythm, progress, streak and the last entry (without the title)
    series: WeeklySeries
    words: str  # the chart's numbers in words (its alt text)
    calendar: list[list[Day]]  # weeks (Monday first), oldest first
    streak: str
    version: str  # changes whenever progress does: the chart image's cache key


@dataclass(frozen=True, slots=True)
class ReminderCard:
    id: int
    text: str
    when: str
    repeats: str


@dataclass(frozen=True, slots=True)
class CheckinsView:
    enabled: bool
    times: str
    per_day: int
    quiet: str
    paused_until: str
    timezone: str
    timezone_label: str
    next_checkin: str
    review_on: bool = True
    review_day: str = "sunday"
    review_time: str = "19:00"
    next_review: str = ""


@dataclass(frozen=True, slots=True)
class TurnCard:
    id: int
    role: str
    content: str
    at: str
    platform: str


@dataclass
class Overview:
    person: Person
    memories: int = 0
    goals: list[str] = field(default_factory=list)
    reminders: int = 0
    sessions: int = 0


class PersonalPage:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.turn_search = TurnSearch(runtime.db)
        self._charts: OrderedDict[tuple[int, int, str], bytes] = OrderedDict()

    # the features' services; the page needs them all (MissingFeature otherwise)
    @property
    def memory(self) -> MemoryService:
        return require(self.runtime.services.memory, "memory")

    @property
    def goals(self) -> GoalsService:
        return require(self.runtime.services.goals, "goals")

    @property
    def preferences(self) -> Preferences:
        return require(self.runtime.services.preferences, "goals")

    @property
    def schedule(self) -> ScheduleService:
        return require(self.runtime.services.checkins, "schedule")

    async def person(self, person_id: int) -> Person | None:
        return await self.runtime.people.get(person_id)

    async def _tz(self, person_id: int) -> str:
        person = await self.person(person_id)
        return person.timezone if person else "UTC"

    # ------------------------------------------------------------------ overview

    async def overview(self, person: Person) -> Overview:
        _found, total = await self.memory.page(person.id, 0, 1)
        return Overview(
            person=person,
            memories=total,
            goals=await self.goals.active_summary(person.id, person.timezone),
            reminders=len(await self.schedule.store.upcoming(person.id)),
        )

    # ------------------------------------------------------------------ memories

    async def memories(self, person_id: int, query: str = "", page: int = 1) -> MemoryList:
        query = " ".join(query.split())[:200]
        if query:
            found = [
                r.memory
                for r in await self.memory.search(person_id, query, SEARCH_RESULTS)
                if r.keyword > 0 or r.similarity >= MIN_SIMILARITY
            ]
            cards = await self._cards(person_id, found)
            return MemoryList(cards, len(cards), 1, 1, query)
        page = max(1, page)
        found, total = await self.memory.page(person_id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
        return MemoryList(await self._cards(person_id, found), total, page, pages, "")

    async def retired(self, person_id: int) -> list[MemoryCard]:
        """Memories no longer true (replaced or contradicted), newest change first."""
        gone = [m for m in await self.memory.store.all(person_id) if m.status != "active"]
        gone.sort(key=lambda m: m.updated_at or m.said_at, reverse=True)
        return await self._cards(person_id, gone)

    async def _cards(self, person_id: int, memories: list[Memory]) -> list[MemoryCard]:
        tz = await self._tz(person_id)
        wanted = [m.source_turn_ids[-1] for m in memories if m.source_turn_ids]
        sources = await self.turn_search.by_ids(person_id, wanted)
        cards = []
        for m in memories:
            source = sources.get(m.source_turn_ids[-1]) if m.source_turn_ids else None
            if source is not None and len(source.content) > SOURCE_CHARS:
                source = Turn(
                    source.id,
                    source.role,
                    source.content[:SOURCE_CHARS] + "…",
                    source.created_at,
                    source.platform,
                )
            where = f" on {m.platform}" if m.platform else ""
            cards.append(
                MemoryCard(
                    id=m.id,
                    text=m.text,
                    kind=m.kind,
                    status=m.status,
                    said=local_day(m.said_at, tz),
                    how=f"{ORIGINS.get(m.origin, m.origin)}{where}",
                    source=source,
                    source_at=local(source.created_at, tz) if source else "",
                    history=[_earlier(step, tz) for step in m.history],
                )
            )
        return cards

    async def edit_memory(self, person_id: int, memory_id: str, text: str) -> str:
        try:
            updated = await self.memory.update(
                person_id, memory_id, text, why="corrected on your page"
            )
        except MemoryRejected as exc:
            raise PageError(f"I couldn't keep that: {exc}.") from exc
        if updated is None:
            raise PageError("That memory is no longer here.")
        return f"Updated: {updated.text}"

    async def forget_memory(self, person_id: int, memory_id: str) -> str:
        memory = await self.memory.get(person_id, memory_id)
        if memory is None or not await self.memory.forget(person_id, [memory.id]):
            raise PageError("That memory was already gone.")
        return f"Forgotten: {memory.text}"

    # ------------------------------------------------------------------ goals

    async def goal_cards(self, person_id: int, *, closed: bool = False) -> list[GoalCard]:
        tz = await self._tz(person_id)
        now = self.runtime.clock.now()
        views = await self.goals.views(person_id, include_closed=closed, tz=tz)
        if closed:
            views = [v for v in views if v.goal.status not in ("active", "paused")]
        entries = await self.goals.store.progress(person_id, [v.goal.id for v in views])
        cards = []
        for view in views:
            goal = view.goal
            series = weekly_series(goal, entries[goal.id], now=now, tz=tz)
            summary = await self.goals.describe(view, tz)
            if summary.startswith(f"{goal.title} (") and summary.endswith(")"):
                summary = summary[len(goal.title) + 2 : -1]
            cards.append(
                GoalCard(
                    goal=goal,
                    summary=summary,
                    series=series,
                    words=describe_progress([series]),
                    calendar=calendar(goal, view.times, now=now, tz=tz),
                    streak=view.streak.describe() if view.streak else "",
                    version=chart_version(goal, entries[goal.id], series),
                )
            )
        return cards

    async def goal(self, person_id: int, goal_id: int) -> Goal:
        goal = await self.goals.store.get(person_id, goal_id)
        if goal is None:
            raise PageError("That goal is no longer here.")
        return goal

    async def log_progress(
        self, person_id: int, goal_id: int, amount: str = "", note: str = ""
    ) -> str:
        goal = await self.goal(person_id, goal_id)
        value = None
        if amount.strip():
            try:
                value = float(amount.strip().replace(",", "."))
            except ValueError as exc:
                raise PageError("The amount should be a number, like 5 or 2.5.") from exc
            if not 0 <= value < 1e9:
                raise PageError("The amount should be a positive number.")
        await self.goals.log(person_id, goal, amount=value, note=note.strip()[:500] or None)
        return f"Logged: {goal.title}."

    async def set_goal_status(self, person_id: int, goal_id: int, status: str) -> str:
        if status not in GOAL_STATUSES:
            raise PageError("That is not something I can do with a goal.")
        goal = await self.goal(person_id, goal_id)
        await self.goals.set_status(person_id, goal, status)
        said = {"active": "Back on", "paused": "Paused", "done": "Well done! Finished"}
        return f"{said[status]}: {goal.title}."

    async def goal_chart(self, person_id: int, goal_id: int) -> tuple[bytes, str]:
        """One goal's weekly bars (the picture /goals <n> sends), and its words."""
        goal = await self.goal(person_id, goal_id)
        entries = (await self.goals.store.progress(person_id, [goal.id]))[goal.id]
        now, tz = self.runtime.clock.now(), await self._tz(person_id)
        series = weekly_series(goal, entries, now=now, tz=tz)
        key = (person_id, goal.id, chart_version(goal, entries, series))
        png = self._charts.get(key)
        if png is None:
            png = await asyncio.to_thread(render_progress, [series])
            self._charts[key] = png
            while len(self._charts) > CHARTS_KEPT:
                self._charts.popitem(last=False)
        return png, describe_progress([series])

    # ------------------------------------------------------------------ reminders

    async def reminders(self, person_id: int) -> list[ReminderCard]:
        from bot.schedule.commands import describe_rule

        tz = await self._tz(person_id)
        return [
            ReminderCard(
                r.id, r.text, local(r.next_at, tz), describe_rule(r.recurrence).strip(" ()")
            )
            for r in await self.schedule.store.upcoming(person_id)
        ]

    async def _reminder(self, person_id: int, reminder_id: int) -> Any:
        row = await self.schedule.store.reminder(person_id, reminder_id)
        if row is None or row.status != "active" or row.next_at is None:
            raise PageError("That reminder is no longer upcoming.")
        return row

    async def cancel_reminder(self, person_id: int, reminder_id: int) -> str:
        row = await self._reminder(person_id, reminder_id)
        await self.schedule.store.set_reminder_status(person_id, row.id, "cancelled")
        return f"Cancelled: {row.text}."

    async def snooze_reminder(self, person_id: int, reminder_id: int, by: str) -> str:
        """Move the next time later (a repeating reminder keeps its rhythm after it)."""
        if by not in SNOOZES:
            raise PageError("Choose how long to snooze it.")
        row = await self._reminder(person_id, reminder_id)
        at = max(row.next_at, self.runtime.clock.now()) + SNOOZES[by]
        await self.schedule.store.move_reminder(row.id, at)
        return f"Snoozed until {local(at, await self._tz(person_id))}: {row.text}."

    # ------------------------------------------------------------------ check-ins

    async def checkins(self, person: Person) -> CheckinsView:
        prefs = prefs_for(self.runtime.settings, person.settings, person.timezone)
        state = await self.schedule.store.state(person.id)
        now = self.runtime.clock.now()
        paused = prefs.paused_until if prefs.paused_until and prefs.paused_until > now else None
        review = review_time(self.runtime.settings, person)
        shown = review or read_review("on", "sunday 19:00")  # the form's values when off
        assert shown is not None
        return CheckinsView(
            enabled=prefs.enabled,
            times=" ".join(t.strftime("%H:%M") for t in prefs.times),
            per_day=prefs.per_day,
            quiet=f"{prefs.quiet[0]:%H:%M}-{prefs.quiet[1]:%H:%M}" if prefs.quiet else "",
            paused_until=local(paused, person.timezone) if paused else "",
            timezone=person.timezone,
            timezone_label=describe_zone(person.timezone, now),
            next_checkin=local(state.next_at, person.timezone)
            if state is not None and state.next_at is not None and prefs.enabled
            else "",
            review_on=review is not None,
            review_day=DAYS[shown[0]],
            review_time=shown[1].strftime("%H:%M"),
            next_review=local(state.review_at, person.timezone)
            if state is not None and state.review_at is not None and review is not None
            else "",
        )

    async def save_review(self, person: Person, *, enabled: bool, day: str, at: str) -> list[str]:
        """The weekly review form: its day and time, or off (as /settings review)."""
        try:
            value = parse_review(f"{day} {at}") if enabled else "off"
            current = person.settings.get("weekly_review")
            if value == current or (
                value == "off" and review_time(self.runtime.settings, person) is None
            ):
                return ["Nothing changed."]
            return await self.preferences.apply(person.id, Change(weekly_review=value))
        except SettingError as exc:
            raise PageError(str(exc)) from exc

    async def save_checkins(
        self, person: Person, *, enabled: bool, times: str, quiet: str, timezone: str
    ) -> list[str]:
        """The check-in form: only what differs from now is changed (and said)."""
        current = await self.checkins(person)
        change = Change()
        try:
            if enabled != current.enabled:
                change.checkins_enabled = enabled
            if enabled and " ".join(times.split()) != current.times and times.strip():
                change.checkin_times = parse_times(times)
            if quiet.strip() and quiet.strip() != current.quiet:
                change.quiet_hours = parse_quiet_hours(quiet)
            if timezone.strip() and timezone.strip() != current.timezone:
                zone = find_timezone(timezone)
                if zone is None:
                    raise SettingError(
                        f"I couldn't place {timezone.strip()!r}. Try a big city near you, or a "
                        "name like Europe/Berlin."
                    )
                if zone != current.timezone:
                    change.timezone = zone
            said = await self.preferences.apply(person.id, change)
        except SettingError as exc:
            raise PageError(str(exc)) from exc
        return said or ["Nothing changed."]

    async def pause_checkins(self, person: Person, how_long: str) -> list[str]:
        change = Change()
        try:
            if how_long == "resume":
                change.resume = True
            else:
                change.paused_until = parse_pause(
                    how_long, now=self.runtime.clock.now(), tz=person.timezone
                )
            return await self.preferences.apply(person.id, change)
        except SettingError as exc:
            raise PageError(str(exc)) from exc

    # ------------------------------------------------------------------ conversation

    async def conversation(
        self, person_id: int, words: str = "", before: int | None = None
    ) -> list[TurnCard]:
        tz = await self._tz(person_id)
        found = await self.turn_search.search(person_id, words, limit=50, before_id=before)
        return [
            TurnCard(t.id, t.role, t.content, local(t.created_at, tz), t.platform or "")
            for t in found
        ]

    # ------------------------------------------------------------------ your data

    async def export(self, person_id: int) -> tuple[bytes, str]:
        """The same file /export sends."""
        data = await self.runtime.export_person(person_id)
        now = self.runtime.clock.now()
        data["exported_at"] = now.isoformat()
        body = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")
        return body, f"companion-export-{now:%Y%m%d}.json"

    async def erase(self, person_id: int) -> None:
        """Everything, as /deleteme does: extraction still running lands first."""
        await self.runtime.companion.drain()
        await self.runtime.erase_person(person_id)
        for key in [k for k in self._charts if k[0] == person_id]:
            del self._charts[key]
        log.info("person %s erased their data from the personal page", person_id)


def _earlier(step: dict[str, Any], tz: str) -> Earlier:
    raw_when = step.get("until") or step.get("retired") or step.get("at") or ""
    try:
        when = local_day(datetime.fromisoformat(str(raw_when)), tz) if raw_when else ""
    except ValueError:
        when = ""
    replaced = step.get("replaced_by") or step.get("superseded_by")
    return Earlier(
        text=step.get("text"),
        when=when,
        why=str(step.get("why") or ("retired" if "retired" in step else "changed")),
        replaced_by=str(replaced) if replaced is not None else None,
    )


def chart_version(goal: Goal, entries: list[Progress], series: WeeklySeries) -> str:
    """Changes whenever the picture would: progress, the goal itself, a new week."""
    last = entries[-1].id if entries else 0
    return f"{goal.updated_at.timestamp():.0f}-{len(entries)}-{last}-{series.weeks[-1]}"


def calendar(goal: Goal, times: list[datetime], *, now: datetime, tz: str) -> list[list[Day]]:
    """The last weeks as rows of days, each marked by how much was done that day
    ("full": the day's share of the goal's rhythm was met)."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    start = monday(today) - timedelta(weeks=WEEKS - 1)
    counts: dict[date, int] = {}
    for t in times:
        day = t.astimezone(zone).date()
        if day >= start:
            counts[day] = counts.get(day, 0) + 1
    per_day = goal.times_per_period if goal.cadence == "daily" else 1
    weeks = []
    for w in range(WEEKS):
        row = []
        for d in range(7):
            day = start + timedelta(weeks=w, days=d)
            n = counts.get(day, 0)
            level = (
                "future"
                if day > today
                else "none"
                if n == 0
                else "full"
                if n >= per_day
                else "some"
            )
            row.append(Day(day, n, level))
        weeks.append(row)
    return weeks
