"""Dates named in a recall question ("what did I say on 3 June?", "in August 2023",
"on 2026-05-04"): the days they cover, so the conversation of those days comes first.

Absolute dates only, in English month names or ISO form; a date without a year is the
latest such day (or month: "in June") not after ``today``. Relative words ("yesterday")
need no search: the recent conversation is in the prompt already."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_NAMES = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_NAMES.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
_NAMES["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_NAMES, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),  # a month
    re.compile(rf"\bin\s+(?:early\s+|late\s+|mid-?)?{_MONTH}(?!\s*\d)\b", re.IGNORECASE),
]


def days_named(text: str, today: date) -> list[tuple[date, date]]:
    """The spans of days (first, last) that ``text`` names."""
    out: list[tuple[date, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text or ""):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            found = _span(m.groupdict(), today)
            if found is not None:
                out.append(found)
                taken.append((m.start(), m.end()))
    return out


def _span(parts: dict[str, str | None], today: date) -> tuple[date, date] | None:
    month_text = (parts.get("month") or "").lower()
    month = int(month_text) if month_text.isdigit() else _NAMES.get(month_text)
    if not month or not 1 <= month <= 12:
        return None
    year_text = parts.get("year")
    year = int(year_text) if year_text else None
    if parts.get("day") is None:
        if year is None:  # "in June": the last June, this one if it has begun
            year = today.year if month <= today.month else today.year - 1
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last)
    day = int(parts["day"] or 0)
    if year is None:
        year = today.year
        if (month, day) > (today.month, today.day):
            year -= 1
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    return when, when


def near(
    spans: list[tuple[date, date]], slack: timedelta = timedelta(days=1)
) -> list[tuple[date, date]]:
    return [(first - slack, last + slack) for first, last in spans]
