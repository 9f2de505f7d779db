"""Deterministic parsing of what people type into /settings and onboarding: clock
times, quiet hours, pause lengths, on/off. Each parser returns a value or raises
``SettingError`` with a short, kind sentence saying what would work."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.numbers import amount, whole

MAX_CHECKINS_PER_DAY = 12
PER_DAY_RANGE = f"Check-ins per day can be 0 to {MAX_CHECKINS_PER_DAY}."
UP_TO_A_YEAR = "I can pause check-ins for up to a year."


class SettingError(ValueError):
    """Input we could not use; the message is shown to the person as is."""


_NAMED_TIMES = {
    "morning": "09:00",
    "mornings": "09:00",
    "noon": "12:00",
    "midday": "12:00",
    "lunch": "12:30",
    "lunchtime": "12:30",
    "afternoon": "15:00",
    "afternoons": "15:00",
    "evening": "19:00",
    "evenings": "19:00",
    "night": "21:00",
    "nights": "21:00",
    "bedtime": "22:00",
}
_CLOCK = re.compile(
    r"(?<![\d:.])\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d%])", re.I
)


def _clock(hour: int, minute: int, meridiem: str | None) -> str:
    if meridiem:
        if not 1 <= hour <= 12:
            raise SettingError(f"{hour}{meridiem} isn't a time I know.")
        hour = hour % 12 + (12 if meridiem.lower().startswith("p") else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise SettingError(f"{hour}:{minute:02d} isn't a time of day.")
    return f"{hour:02d}:{minute:02d}"


def parse_time(text: str) -> str:
    """One clock time: "9", "9am", "21:30", "9.30pm", "noon" -> "HH:MM"."""
    times = parse_times(text)
    if len(times) != 1:
        raise SettingError("Please give one time, like 08:00 or 9pm.")
    return times[0]


def parse_times(text: str) -> list[str]:
    """Clock times in a phrase: "9am and 8pm", "09:00, 20:00", "mornings" -> sorted "HH:MM"."""
    found: set[str] = set()
    lowered = text.lower()
    for word in re.findall(r"[a-z]+", lowered):
        if word in _NAMED_TIMES:
            found.add(_NAMED_TIMES[word])
    for match in _CLOCK.finditer(lowered):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        found.add(_clock(hour, minute, match.group(3)))
    if not found:
        raise SettingError("I couldn't find a time there. Try something like 9:00 and 20:00.")
    if len(found) > MAX_CHECKINS_PER_DAY:
        raise SettingError(f"That's more than {MAX_CHECKINS_PER_DAY} times a day.")
    return sorted(found)


def parse_quiet_hours(text: str) -> str:
    """ "22:00-08:00", "10pm-7am", "22-8" -> "HH:MM-HH:MM" (may wrap past midnight)."""
    parts = re.split(r"\s*(?:-|–|to|until|till)\s*", text.strip().lower())
    parts = [p for p in parts if p]
    if len(parts) != 2:
        raise SettingError("Quiet hours are a range, like 22:00-08:00.")
    try:
        start, end = parse_time(parts[0]), parse_time(parts[1])
    except SettingError:
        raise SettingError("Quiet hours are a range of two times, like 22:00-08:00.") from None
    if start == end:
        raise SettingError("Quiet hours need to start and end at different times.")
    return f"{start}-{end}"


_UNITS = {"h": 1 / 24, "hour": 1 / 24, "d": 1, "day": 1, "w": 7, "week": 7, "month": 30}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_SPAN = re.compile(
    r"\b(\d+(?:\.\d+)?|a|an|one|two|three|four|five)?\s*(h|hours?|d|days?|w|weeks?|months?)\b",
    re.I,
)


def parse_pause(text: str, *, now: datetime, tz: str) -> datetime:
    """Until when check-ins pause: "a week", "3 days", "2w", "until 2026-06-01",
    "until friday" (local midnight of that day). Returns an aware UTC datetime."""
    lowered = text.strip().lower()
    until = re.search(r"\buntil\s+(.+)$", lowered)
    if until:
        day = _parse_day(until.group(1), now=now, tz=tz)
        return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(now.tzinfo)
    span = _SPAN.search(lowered)
    if not span:
        raise SettingError("How long? For example: a week, 3 days, or until 2026-06-01.")
    count_text = (span.group(1) or "1").lower()
    count = _NUMBER_WORDS.get(count_text) or amount(count_text, too_large=UP_TO_A_YEAR) or 0
    unit = span.group(2).lower().rstrip("s") or "d"
    days = count * _UNITS[unit]
    if not 0 < days <= 366:
        raise SettingError(UP_TO_A_YEAR)
    return now + timedelta(days=days)


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _parse_day(text: str, *, now: datetime, tz: str) -> date:
    today = now.astimezone(ZoneInfo(tz)).date()
    word = text.strip().rstrip(".!").lower()
    try:
        day = date.fromisoformat(word)
    except ValueError:
        if word == "tomorrow":
            day = today + timedelta(days=1)
        elif word.removeprefix("next ") in _WEEKDAYS:
            target = _WEEKDAYS.index(word.removeprefix("next "))
            day = today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)
        else:
            raise SettingError(
                "I didn't understand that date. Try 2026-06-01, tomorrow or friday."
            ) from None
    if day <= today:
        raise SettingError("That date has already passed.")
    return day


_ON = {"on", "yes", "true", "enable", "enabled", "1", "y"}
_OFF = {"off", "no", "false", "disable", "disabled", "0", "n"}


def parse_on_off(text: str) -> bool:
    word = text.strip().lower()
    if word in _ON:
        return True
    if word in _OFF:
        return False
    raise SettingError("Please say on or off.")


def parse_per_day(text: str | int) -> int:
    words = str(text).split()
    n = whole(words[0], too_large=PER_DAY_RANGE) if words else None
    if n is None:
        raise SettingError("Check-ins per day is a number, like 2.")
    if not 0 <= n <= MAX_CHECKINS_PER_DAY:
        raise SettingError(PER_DAY_RANGE)
    return n


REVIEW_FORM = "a day and a time, like sunday 19:00 (or off)"
_DAY_WORDS = {
    "mon": 0, "monday": 0, "mondays": 0, "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
    "wed": 2, "wednesday": 2, "wednesdays": 2, "thu": 3, "thur": 3, "thurs": 3,
    "thursday": 3, "thursdays": 3, "fri": 4, "friday": 4, "fridays": 4, "sat": 5,
    "saturday": 5, "saturdays": 5, "sun": 6, "sunday": 6, "sundays": 6,
}  # fmt: skip


def parse_review(text: str) -> str:
    """The weekly review's day and time: "sunday 19:00", "Fri 6pm", "saturday at 9",
    "off" -> "sunday 19:00" / "friday 18:00" / "off"."""
    words = re.findall(r"[a-z]+", text.lower())
    if words and set(words) <= _OFF | {"never", "none", "stop"}:
        return "off"
    days = {_DAY_WORDS[w] for w in words if w in _DAY_WORDS}
    if len(days) != 1:
        raise SettingError(f"The weekly review needs one day of the week: {REVIEW_FORM}.")
    rest = " ".join(w for w in re.split(r"\s+", text.lower()) if w.strip(",.") not in _DAY_WORDS)
    rest = re.sub(r"\b(?:at|on|every|each)\b", " ", rest)
    try:
        at = parse_time(rest) if rest.strip() else "19:00"
    except SettingError:
        raise SettingError(f"I couldn't read the time: {REVIEW_FORM}.") from None
    return f"{_WEEKDAYS[days.pop()]} {at}"


def read_review(value: object, default: str) -> tuple[int, time] | None:
    """A stored review setting as (weekday, local time), or None when it is off. An
    unreadable value falls back to ``default`` (the deployment's)."""
    for candidate in (value, default):
        if not isinstance(candidate, str):
            continue
        try:
            canonical = parse_review(candidate)
        except SettingError:
            continue
        if canonical == "off":
            return None
        day, _, at = canonical.partition(" ")
        hour, minute = at.split(":")
        return _WEEKDAYS.index(day), time(int(hour), int(minute))
    return None
