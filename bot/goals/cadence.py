"""Reading a goal's rhythm from its words, without a model: "meditate every day",
"gym 3 times a week", "run a 10k by June" -> (cadence, times per period, target date)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.numbers import whole

TOO_OFTEN = "I can keep count of a goal up to 1000 times a day or a week."
_COUNT = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_PER = re.compile(
    r"\b(\d+|once|twice|one|two|three|four|five|six)\s*(?:x|times?)?\s*(?:a|per|each|every)\s+"
    r"(day|week)\b",
    re.I,
)
_DAILY = re.compile(r"\b(daily|every\s?day|each day|every (?:morning|evening|night))\b", re.I)
_WEEKLY = re.compile(
    r"\b(weekly|every week|each week|every (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|weekend))\b",
    re.I,
)
_BY = re.compile(r"\b(?:by|before|until)\s+(.+)$", re.I)


@dataclass(frozen=True, slots=True)
class Rhythm:
    cadence: str = "none"  # daily | weekly | by_date | none
    times_per_period: int = 1
    target_date: date | None = None


def parse_target_date(text: str, *, now: datetime, tz: str) -> date | None:
    """A future local date from words: "June", "2026-09-01", "the end of the year"."""
    words = text.strip().rstrip(".!").lower()
    words = re.sub(r"^(?:the\s+)?end\s+of\s+(?:the\s+)?", "", words)
    today = now.astimezone(ZoneInfo(tz)).date()
    if words in ("year", "this year"):
        return date(today.year, 12, 31)
    try:
        return date.fromisoformat(words)
    except ValueError:
        pass
    import dateparser  # slow to import: only when a date needs reading

    base = now.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    parsed = dateparser.parse(
        words,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future",
            "PREFER_DAY_OF_MONTH": "last",
        },
    )
    if parsed is None or parsed.date() < today:
        return None
    return parsed.date()


def read_rhythm(text: str, *, now: datetime, tz: str) -> Rhythm:
    per = _PER.search(text)
    if per:
        raw = per.group(1).lower()
        count = _COUNT.get(raw) or whole(raw, limit=1000, too_large=TOO_OFTEN) or 1
        return Rhythm("daily" if per.group(2).lower() == "day" else "weekly", max(1, count))
    if _DAILY.search(text):
        return Rhythm("daily")
    if _WEEKLY.search(text):
        return Rhythm("weekly")
    by = _BY.search(text)
    if by:
        target = parse_target_date(by.group(1), now=now, tz=tz)
        if target is not None:
            return Rhythm("by_date", 1, target)
    return Rhythm()
