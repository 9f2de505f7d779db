"""Streaks for habits: consecutive days (or weeks) with enough progress, counted in
the person's own timezone, so a run at 23:30 in New York is that evening's run and a
daylight-saving change never breaks or doubles a day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Streak:
    current: int  # consecutive periods up to now (this one, or the last if this is still open)
    longest: int
    this_period: int  # entries so far today / this week
    unit: str  # "day" | "week"

    def describe(self) -> str:
        if self.current == 0:
            return f"no streak yet (best {self.longest})" if self.longest else "no streak yet"
        plural = "" if self.current == 1 else "s"
        best = f", best {self.longest}" if self.longest > self.current else ""
        return f"streak {self.current} {self.unit}{plural}{best}"


def period_start(day: date, cadence: str) -> date:
    """The first day of the period holding ``day``: itself, or that week's Monday."""
    return day - timedelta(days=day.weekday()) if cadence == "weekly" else day


def compute_streak(
    times: list[datetime], *, now: datetime, tz: str, cadence: str, times_per_period: int = 1
) -> Streak:
    """Count the periods (local days or Monday-weeks) holding at least
    ``times_per_period`` entries, and how many of them run unbroken up to now. The
    current period still being open does not break a streak."""
    zone = ZoneInfo(tz)
    step = timedelta(days=7 if cadence == "weekly" else 1)
    unit = "week" if cadence == "weekly" else "day"
    counts = Counter(period_start(t.astimezone(zone).date(), cadence) for t in times)
    need = max(1, times_per_period)
    full = sorted(p for p, n in counts.items() if n >= need)
    longest = run = 0
    previous: date | None = None
    for p in full:
        run = run + 1 if previous is not None and p - previous == step else 1
        longest = max(longest, run)
        previous = p
    current_period = period_start(now.astimezone(zone).date(), cadence)
    done = set(full)
    cursor = current_period if current_period in done else current_period - step
    current = 0
    while cursor in done:
        current += 1
        cursor -= step
    return Streak(
        current=current, longest=longest, this_period=counts.get(current_period, 0), unit=unit
    )
