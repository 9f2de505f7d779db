"""Reading "when" without a model: "in 20 minutes", "tomorrow 6pm", "every Sunday at 9".

Times are the person's wall-clock times. Recurring rules are kept as wall-clock rules
(an RRULE with a local start, or a cron line) and turned into instants one at a time,
so a 9:00 reminder stays at 9:00 local across daylight-saving changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from bot import numbers


class WhenError(ValueError):
    """The text holds no time we can read; the message is shown to the person."""


@dataclass(frozen=True, slots=True)
class When:
    at: datetime  # first occurrence, aware UTC
    recurrence: str | None = None  # "RRULE:FREQ=..." or "CRON:m h dom mon dow"
    local_start: str | None = None  # wall-clock start of a recurring rule (ISO, naive)


def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    """The person's zone; an unknown name falls back rather than failing a send."""
    for candidate in (name, default, "UTC"):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Wall-clock time in ``tz`` to an aware UTC instant (a time skipped by a DST
    change moves forward by the gap, as clocks do)."""
    aware = naive.replace(tzinfo=tz)
    utc = aware.astimezone(UTC)
    # Round-trip to normalise a non-existent wall time (spring forward).
    return utc


_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
TOO_FAR = "That's too far ahead for me."
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_UNITS = {
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds",
    "seconds": "seconds", "m": "minutes", "min": "minutes", "mins": "minutes",
    "minute": "minutes", "minutes": "minutes", "h": "hours", "hr": "hours", "hrs": "hours",
    "hour": "hours", "hours": "hours", "d": "days", "day": "days", "days": "days",
    "week": "weeks", "weeks": "weeks",
}  # fmt: skip
_TIME = (
    r"(?:(?P<h>\d{1,2})(?:[:.h](?P<mi>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
    r"|(?P<word>noon|midnight))"
)
_RELATIVE = re.compile(
    r"^in\s+(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|ten|half\s+an?)\s*"
    r"(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b",
    re.I,
)
_EVERY = re.compile(
    r"^every\s+(?P<what>day|morning|evening|night|weekday|weekend|hour|"
    r"(?:(?:" + _WD + r")s?(?:\s*(?:,|and|&)\s*)?)+)"
    r"(?:\s+(?:at\s+)?" + _TIME + r")?(?=\s|$|,|:)",
    re.I,
)
_ONEOFF = re.compile(
    r"^(?:(?P<day>today|tonight|tomorrow|(?:on\s+|next\s+)?(?:" + _WD + r")|\d{4}-\d{2}-\d{2})"
    r"(?:\s*,)?\s*)?(?:(?:at|@)\s*)?(?:" + _TIME + r")?(?=\s|$|,|:)",
    re.I,
)
_LEAD = re.compile(r"^(?:\s|,|:|-|to\b|that\b|about\b)+", re.I)


def _clock_time(h: str | None, mi: str | None, ampm: str | None, word: str | None) -> time | None:
    if word:
        return time(12, 0) if word.lower() == "noon" else time(0, 0)
    if h is None:
        return None
    hour, minute = int(h), int(mi or 0)
    if ampm:
        if not 1 <= hour <= 12:
            raise WhenError(f"{hour}{ampm} is not a time I can read.")
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise WhenError(f"{h}:{mi or '00'} is not a time of day.")
    return time(hour, minute)


def _rest(text: str, end: int) -> str:
    return _LEAD.sub("", text[end:]).strip()


def parse(text: str, tz: ZoneInfo, now: datetime) -> tuple[When, str]:
    """``"tomorrow 6pm to call mom"`` -> (When, "call mom"). The rest may be empty."""
    s = " ".join(text.strip().split())
    if not s:
        raise WhenError("Tell me when, e.g. `in 20 minutes`, `tomorrow 6pm`, `every Sunday at 9`.")
    local_now = now.astimezone(tz).replace(tzinfo=None, microsecond=0)
    for parser in (_relative, _every, _oneoff, _dateparser):
        found = parser(s, tz, now, local_now)
        if found is not None:
            return found
    raise WhenError(
        "I couldn't tell when. Try `in 20 minutes`, `tomorrow 6pm`, `at 18:30`, "
        "`every day at 8` or `every Sunday at 9`."
    )


def _relative(s: str, tz: ZoneInfo, now: datetime, local_now: datetime) -> tuple[When, str] | None:
    m = _RELATIVE.match(s)
    if not m:
        return None
    raw = m.group("n").lower()
    if raw.startswith("half"):
        amount, unit = 0.5, _UNITS[m.group("unit").lower()]
    else:
        amount = _NUMBERS.get(raw) or numbers.amount(raw, limit=10**7, too_large=TOO_FAR) or 0
        unit = _UNITS[m.group("unit").lower()]
    if amount <= 0:
        raise WhenError("That time is already past.")
    delta = timedelta(**{unit: amount})
    if delta > timedelta(days=3650):
        raise WhenError(TOO_FAR)
    return When(at=now + delta), _rest(s, m.end())


def _every(s: str, tz: ZoneInfo, now: datetime, local_now: datetime) -> tuple[When, str] | None:
    m = _EVERY.match(s)
    if not m:
        return None
    what = m.group("what").lower()
    at = _clock_time(m.group("h"), m.group("mi"), m.group("ampm"), m.group("word"))
    if what == "hour":
        rule = "FREQ=HOURLY"
        start = local_now.replace(second=0) + timedelta(minutes=1)
    else:
        default = {"morning": time(8), "evening": time(19), "night": time(21)}.get(what, time(9))
        at = at or default
        if what in ("day", "morning", "evening", "night"):
            rule = "FREQ=DAILY"
        elif what == "weekday":
            rule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        elif what == "weekend":
            rule = "FREQ=WEEKLY;BYDAY=SA,SU"
        else:
            days = sorted({_WEEKDAYS[w.rstrip("s")] for w in re.findall(_WD + "s?", what)})
            rule = "FREQ=WEEKLY;BYDAY=" + ",".join(_RRULE_DAYS[d] for d in days)
        start = datetime.combine(local_now.date(), at)
    recurrence = "RRULE:" + rule
    first = next_occurrence(recurrence, start.isoformat(), tz, now - timedelta(seconds=1))
    if first is None:
        raise WhenError("That rule never happens.")
    return When(at=first, recurrence=recurrence, local_start=start.isoformat()), _rest(s, m.end())


def _oneoff(s: str, tz: ZoneInfo, now: datetime, local_now: datetime) -> tuple[When, str] | None:
    m = _ONEOFF.match(s)
    if not m or not m.group(0).strip():
        return None
    day_word = (m.group("day") or "").lower()
    at = _clock_time(m.group("h"), m.group("mi"), m.group("ampm"), m.group("word"))
    if not day_word and at is None:
        return None
    if day_word and at is None and m.group("h") is None and not m.group("word"):
        at = time(20) if day_word == "tonight" else time(9)
    assert at is not None
    today = local_now.date()
    day: date
    if not day_word:
        day = today if datetime.combine(today, at) > local_now else today + timedelta(days=1)
    elif day_word in ("today", "tonight"):
        day = today
    elif day_word == "tomorrow":
        day = today + timedelta(days=1)
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_word):
        day = date.fromisoformat(day_word)
    else:
        wd = _WEEKDAYS[day_word.split()[-1]]
        ahead = (wd - today.weekday()) % 7
        if day_word.startswith("next") and ahead == 0:
            ahead = 7
        day = today + timedelta(days=ahead)
        if datetime.combine(day, at) <= local_now:
            day += timedelta(days=7)
    target = localize(datetime.combine(day, at), tz)
    if target <= now:
        raise WhenError("That time has already passed today. Did you mean tomorrow?")
    return When(at=target), _rest(s, m.end())


def _dateparser(
    s: str, tz: ZoneInfo, now: datetime, local_now: datetime
) -> tuple[When, str] | None:
    """Last resort for forms like "May 12 at 3pm": the longest leading words that
    dateparser reads as a future time."""
    import dateparser  # a last resort: loaded when needed

    words = s.split()
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": local_now,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    for n in range(min(len(words), 6), 0, -1):
        head = " ".join(words[:n])
        if not re.search(r"\d|today|tomorrow|tonight|noon|midnight|" + _WD, head, re.I):
            continue
        found = dateparser.parse(head, languages=["en"], settings=settings)  # type: ignore[arg-type]
        if found is None:
            continue
        target = localize(found, tz)
        if target <= now:
            continue
        return When(at=target), _LEAD.sub("", " ".join(words[n:])).strip()
    return None


def parse_recurrence(raw: str) -> str:
    """A model's rule ("FREQ=WEEKLY;BYDAY=SU", "RRULE:...", or a cron line) in our form."""
    text = raw.strip()
    upper = text.upper()
    if upper.startswith("RRULE:"):
        text, upper = text[6:], upper[6:]
    if upper.startswith("FREQ="):
        rrulestr(upper, dtstart=datetime(2026, 1, 1))  # raises ValueError when malformed
        return "RRULE:" + upper
    if upper.startswith("CRON:"):
        text = text[5:].strip()
    if len(text.split()) == 5:
        from apscheduler.triggers.cron import CronTrigger

        CronTrigger.from_crontab(text)  # raises ValueError when malformed
        return "CRON:" + text
    raise WhenError(f"I can't read the rule {raw!r}; use an RRULE like FREQ=WEEKLY;BYDAY=SU.")


def next_occurrence(
    recurrence: str, local_start: str | None, tz: ZoneInfo, after: datetime
) -> datetime | None:
    """The first instant strictly after ``after`` (aware) at which the rule fires, the
    rule read in the person's wall-clock time."""
    if recurrence.startswith("CRON:"):
        from apscheduler.triggers.cron import CronTrigger

        trigger = CronTrigger.from_crontab(recurrence[5:], timezone=tz)
        found = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
        return found.astimezone(UTC) if found else None
    body = recurrence.removeprefix("RRULE:")
    start = datetime.fromisoformat(local_start) if local_start else datetime(2026, 1, 1, 9)
    rule = rrulestr(body, dtstart=start)
    cursor = after.astimezone(tz).replace(tzinfo=None)
    for _ in range(5):  # a wall time repeated by a DST change can map back before ``after``
        found = rule.after(cursor, inc=False)
        if found is None:
            return None
        instant = localize(found, tz)
        if instant > after:
            return instant
        cursor = found
    return None


_DAY_NAMES = dict(zip(_RRULE_DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                    "Saturday", "Sunday"), strict=True))  # fmt: skip


def describe_recurrence(recurrence: str) -> str:
    """A rule as people say it: "every Sunday", "every weekday", "every 2 days"; the
    rule itself when it is unusual."""
    if recurrence.startswith("CRON:"):
        fields = recurrence[5:].split()
        if (
            len(fields) == 5
            and fields[2:] == ["*", "*", "*"]
            and all(f.isdigit() for f in fields[:2])
        ):
            return f"every day at {int(fields[1]):02d}:{int(fields[0]):02d}"
        return f"repeats: cron {recurrence[5:]}"
    parts = dict(p.split("=", 1) for p in recurrence.removeprefix("RRULE:").split(";") if "=" in p)
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    days = parts.pop("BYDAY", "")
    unit = {"HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month",
            "YEARLY": "year"}.get(freq)  # fmt: skip
    if unit is None or parts or not interval.isdigit():
        return f"repeats: {recurrence.removeprefix('RRULE:')}"
    every = f"every {interval} {unit}s" if interval != "1" else f"every {unit}"
    if not days:
        return every
    names = [_DAY_NAMES.get(d) for d in days.split(",")]
    if None in names or freq != "WEEKLY" or interval != "1":
        return f"repeats: {recurrence.removeprefix('RRULE:')}"
    if days == "MO,TU,WE,TH,FR":
        return "every weekday"
    if days == "SA,SU":
        return "every weekend"
    listed = [n for n in names if n]
    if len(listed) == 7:
        return "every day"
    joined = ", ".join(listed[:-1]) + f" and {listed[-1]}" if len(listed) > 1 else listed[0]
    return f"every {joined}"
