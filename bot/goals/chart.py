"""Pictures of progress, drawn on the server: a goal's last weeks as bars, and one
week across every goal (for a weekly review). Each picture comes with one line of
text that names the same numbers, for channels or people that want words.

matplotlib is imported only when a picture is drawn (start-up time matters), and
only its object API is used (no pyplot): figures are private to the call, so
drawing in a worker thread is safe."""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from memory.goals import Goal, Progress

if TYPE_CHECKING:
    from bot.goals.service import GoalsService

WEEKS = 8
MAX_PANELS = 6  # more goals than this in one picture is unreadable on a phone
DPI = 128
WIDTH_IN = 640 / DPI  # 640 px: small to send, and its words still readable on a phone
# Fixed margins (inches) for the weekly bars: constrained layout would find them
# itself, at the cost of half the drawing time.
BARS_IN, TOP_IN, BOTTOM_IN, GAP_IN, LEFT_IN, RIGHT_IN = 1.35, 0.35, 0.5, 0.9, 0.7, 0.12
NAME_CHARS = 24  # a goal's name in the week picture, cut with "…" beyond this
BAR, BAR_OPEN, TARGET, INK = "#3b6ea5", "#a9c4e0", "#d0782a", "#333333"


@dataclass(frozen=True, slots=True)
class WeeklySeries:
    """One goal's progress per week (Monday-weeks in the person's timezone)."""

    goal_id: int
    title: str
    unit: str  # "times" (entries counted) | "amount" (amounts added up)
    weeks: tuple[date, ...]  # each week's Monday, oldest first; the last is this week
    values: tuple[float, ...]
    target: float | None  # per week, when the goal's rhythm sets one


@dataclass(frozen=True, slots=True)
class WeekItem:
    """One goal's week, for the weekly review."""

    title: str
    unit: str
    done: float
    target: float | None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def measure(entries: Sequence[Progress]) -> str:
    """Amounts are added up when the person logs them ("ran 5 km"), else entries count."""
    return "amount" if any(p.amount is not None for p in entries) else "times"


def weekly_target(goal: Goal, unit: str) -> float | None:
    if unit != "times":
        return None
    if goal.cadence == "daily":
        return float(goal.times_per_period * 7)
    if goal.cadence == "weekly":
        return float(goal.times_per_period)
    return None


def weekly_series(
    goal: Goal, entries: Sequence[Progress], *, now: datetime, tz: str, weeks: int = WEEKS
) -> WeeklySeries:
    zone = ZoneInfo(tz)
    this_week = monday(now.astimezone(zone).date())
    mondays = tuple(this_week - timedelta(weeks=weeks - 1 - i) for i in range(weeks))
    unit = measure(entries)
    totals = dict.fromkeys(mondays, 0.0)
    for entry in entries:
        week = monday(entry.at.astimezone(zone).date())
        if week in totals:
            totals[week] += (entry.amount or 0.0) if unit == "amount" else 1.0
    return WeeklySeries(
        goal.id,
        goal.title,
        unit,
        mondays,
        tuple(totals[m] for m in mondays),
        weekly_target(goal, unit),
    )


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".rstrip("0")


def _unit_words(unit: str) -> str:
    return "times" if unit == "times" else "logged"


# --------------------------------------------------------------------------- words


def describe_progress(series: Sequence[WeeklySeries]) -> str:
    """One line naming every number the picture shows."""
    if not series:
        return "No goals to show yet."
    weeks = len(series[0].weeks)
    parts = []
    for s in series:
        target = f", target {number(s.target)} a week" if s.target is not None else ""
        values = ", ".join(number(v) for v in s.values)
        parts.append(f"{s.title}: {values} {_unit_words(s.unit)}{target}")
    start = series[0].weeks[0]
    head = f"Last {weeks} weeks, from the week of {start.day} {start:%b} to this one"
    return f"{head} - " + "; ".join(parts) + "."


def describe_week(items: Sequence[WeekItem], week_start: date) -> str:
    if not items:
        return f"Week of {week_start.day} {week_start:%b}: no active goals."
    parts = []
    for item in items:
        if item.target is not None:
            parts.append(f"{item.title} {number(item.done)} of {number(item.target)}")
        else:
            parts.append(f"{item.title} {number(item.done)} {_unit_words(item.unit)}")
    return f"Week of {week_start.day} {week_start:%b}: " + "; ".join(parts) + "."


# --------------------------------------------------------------------------- pictures


def _plain(text: str, limit: int = 60) -> str:
    """A title as matplotlib should print it: "$" would start mathtext."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _figure(height_in: float, *, constrained: bool = True) -> Any:
    from matplotlib.figure import Figure

    if constrained:
        return Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    return Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)


def _png(figure: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph the font lacks (emoji) is no failure
        figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def render_progress(series: Sequence[WeeklySeries]) -> bytes:
    """A PNG: one row of weekly bars per goal (at most ``MAX_PANELS``); this week's
    bar is lighter (still open), the weekly target a dashed line."""
    from matplotlib.ticker import MaxNLocator

    shown = list(series[:MAX_PANELS]) or [_EMPTY]
    n = len(shown)
    height = TOP_IN + BOTTOM_IN + n * BARS_IN + (n - 1) * GAP_IN
    figure = _figure(height, constrained=False)
    figure.subplots_adjust(
        left=LEFT_IN / WIDTH_IN,
        right=1 - RIGHT_IN / WIDTH_IN,
        top=1 - TOP_IN / height,
        bottom=BOTTOM_IN / height,
        hspace=GAP_IN / BARS_IN,
    )
    axes = figure.subplots(n, 1, squeeze=False)[:, 0]
    for ax, s in zip(axes, shown, strict=True):
        xs = range(len(s.values))
        colors = [BAR] * (len(s.values) - 1) + [BAR_OPEN]
        bars = ax.bar(xs, s.values, color=colors, width=0.7)
        ax.bar_label(bars, labels=[number(v) if v else "" for v in s.values], color=INK, fontsize=9)
        top = max([*s.values, s.target or 0.0, 1.0])
        if s.target is not None:
            ax.axhline(s.target, color=TARGET, linestyle="--", linewidth=1.2)
            ax.annotate(
                f"target {number(s.target)}",
                (len(s.values) - 0.5, s.target),
                xytext=(0, 3),
                textcoords="offset points",
                ha="right",
                color=TARGET,
                fontsize=9,
            )
        ax.set_ylim(0, top * 1.25)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=s.unit == "times"))
        ax.set_xticks(list(xs), [f"{m.day}\n{m:%b}" for m in s.weeks[:-1]] + ["this\nweek"])
        ax.tick_params(axis="x", labelsize=8, colors=INK)
        ax.tick_params(axis="y", labelsize=8, colors=INK)
        ax.set_title(_plain(s.title), loc="left", fontsize=11, color=INK)
        ax.set_ylabel(_unit_words(s.unit), fontsize=9, color=INK)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return _png(figure)


def _chars(text: str) -> float:
    """A text's width in average characters: capitals and m/w count for more."""
    return sum(1.35 if c.isupper() or c in "mw" else 0.6 if c in "ijlt .,:;|!'" else 1.0
               for c in text)  # fmt: skip


def render_week(items: Sequence[WeekItem], week_start: date) -> bytes:
    """A PNG for a weekly review: one bar per goal, how far this week went (full
    width is the target; goals without one are scaled to the busiest)."""
    shown = list(items[: MAX_PANELS * 2])
    most = max([i.done for i in shown if i.target is None] + [1.0])
    names, widths, labels = [], [], []
    for item in reversed(shown):  # matplotlib draws the first row at the bottom
        names.append(_plain(item.title, NAME_CHARS))
        if item.target:
            widths.append(min(item.done / item.target, 1.0))
            labels.append(f"{number(item.done)} of {number(item.target)}")
        else:
            widths.append(item.done / most)
            labels.append(f"{number(item.done)} {_unit_words(item.unit)}")
    # Fixed margins measured in characters (DejaVu Sans: about 0.085 in a character
    # at 10 pt, 0.077 at 9 pt) rather than constrained layout: a third less drawing.
    height = 0.8 + 0.4 * max(1, len(shown))
    left = min(0.25 + 0.085 * max((_chars(n) for n in names), default=0), 0.55 * WIDTH_IN)
    plot = WIDTH_IN - left - RIGHT_IN
    room = 0.12 + 0.077 * max((_chars(label) for label in labels), default=0)
    figure = _figure(height, constrained=False)
    figure.subplots_adjust(
        left=left / WIDTH_IN, right=1 - RIGHT_IN / WIDTH_IN, top=1 - 0.38 / height,
        bottom=0.12 / height,
    )  # fmt: skip
    ax = figure.subplots()
    if shown:
        ax.barh(names, [1.0] * len(names), color="#eeeeee", height=0.6)
        bars = ax.barh(names, widths, color=BAR, height=0.6)
        ax.bar_label(bars, labels=labels, padding=4, color=INK, fontsize=9)
    else:
        ax.text(0.5, 0.5, "no active goals", ha="center", va="center", color=INK)
        ax.set_yticks([])
    ax.set_xlim(0, max(1.2, plot / max(plot - room, 0.5)))
    ax.set_xticks([])
    ax.tick_params(axis="y", labelsize=10, colors=INK)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"Week of {week_start.day} {week_start:%B}", loc="left", fontsize=12, color=INK)
    return _png(figure)


_EMPTY = WeeklySeries(0, "no goals yet", "times", (date(2000, 1, 3),), (0.0,), None)


# --------------------------------------------------------------------------- from the service


async def _tz(service: GoalsService, person_id: int) -> str:
    person = await service.people.get(person_id)
    return person.timezone if person else "UTC"


async def progress_series(
    service: GoalsService,
    person_id: int,
    goals: Sequence[Goal] | None = None,
    *,
    weeks: int = WEEKS,
) -> list[WeeklySeries]:
    """Weekly series for ``goals`` (default: the person's active goals)."""
    if goals is None:
        goals = [g for g in await service.store.all(person_id) if g.status == "active"]
    entries = await service.store.progress(person_id, [g.id for g in goals])
    tz, now = await _tz(service, person_id), service.clock.now()
    return [weekly_series(g, entries[g.id], now=now, tz=tz, weeks=weeks) for g in goals]


async def goals_picture(
    service: GoalsService, person_id: int, goal: Goal | None = None, *, weeks: int = WEEKS
) -> tuple[bytes, str] | None:
    """The picture ``/goals chart`` (every active goal) or ``/goals <n>`` (one goal)
    sends, and its words; None when there is nothing to draw."""
    chosen = None if goal is None else [goal]
    series = await progress_series(service, person_id, chosen, weeks=weeks)
    if not series:
        return None
    png = await asyncio.to_thread(render_progress, series)
    return png, describe_progress(series)


async def week_items(
    service: GoalsService, person_id: int, week_of: date | None = None
) -> tuple[date, list[WeekItem]]:
    """Each active goal's progress in the week holding ``week_of`` (default: this
    week, in the person's timezone)."""
    tz = await _tz(service, person_id)
    start = monday(week_of or service.clock.now().astimezone(ZoneInfo(tz)).date())
    goals = [g for g in await service.store.all(person_id) if g.status == "active"]
    entries = await service.store.progress(person_id, [g.id for g in goals])
    items = []
    for goal in goals:
        unit = measure(entries[goal.id])
        done = 0.0
        for entry in entries[goal.id]:
            if monday(entry.at.astimezone(ZoneInfo(tz)).date()) == start:
                done += (entry.amount or 0.0) if unit == "amount" else 1.0
        items.append(WeekItem(goal.title, unit, done, weekly_target(goal, unit)))
    return start, items


async def week_picture(
    service: GoalsService, person_id: int, week_of: date | None = None
) -> tuple[bytes, str]:
    """A week's progress across every active goal as one picture, and its words: for
    the weekly review (the scheduling lives with check-ins)."""
    start, items = await week_items(service, person_id, week_of)
    png = await asyncio.to_thread(render_week, items, start)
    return png, describe_week(items, start)
