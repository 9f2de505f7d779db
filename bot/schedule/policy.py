"""When a check-in may go out: the person's times, at most N a day, never in quiet
hours, not while paused, never two unanswered in a day, and further apart after that.

Everything is a pure function of the person's settings, their check-in state and an
instant, so tests can walk a week of check-ins by moving a clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.schedule.when import localize, zone

# Default check-in times (local) by how many a day the person wants.
DEFAULT_TIMES = {
    1: ["18:00"],
    2: ["10:00", "18:00"],
    3: ["09:30", "14:00", "19:00"],
    4: ["09:00", "12:30", "16:00", "19:30"],
}
BACKOFF_AFTER = 2  # unanswered check-ins before the message says it checks in less often
MAX_GAP_DAYS = 7
# An unanswered check-in holds the next one back: never two unanswered the same day
# (the slack lets the next day's same time through), then 2, 4, 7 days apart.
FIRST_GAP = timedelta(hours=20)


@dataclass(frozen=True, slots=True)
class Prefs:
    enabled: bool
    times: list[time]
    per_day: int
    quiet: tuple[time, time] | None
    paused_until: datetime | None
    tz: ZoneInfo


def _hhmm(value: str) -> time | None:
    m = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return time(int(m.group(1)), int(m.group(2)))


def parse_quiet(value: Any) -> tuple[time, time] | None:
    """ "22:00-08:00" -> (22:00, 08:00); empty or "off" means no quiet hours."""
    if not isinstance(value, str) or value.strip().lower() in ("", "off", "none"):
        return None
    start, _, end = value.partition("-")
    a, b = _hhmm(start), _hhmm(end)
    return (a, b) if a is not None and b is not None and a != b else None


def prefs_for(settings: Settings, person_settings: dict[str, Any], timezone: str) -> Prefs:
    """The person's check-in preferences, the deployment's defaults filling the gaps."""
    per_day = person_settings.get("checkins_per_day", settings.checkins_per_day)
    try:
        per_day = max(0, min(int(per_day), 12))
    except (TypeError, ValueError):
        per_day = settings.checkins_per_day
    raw_times = person_settings.get("checkin_times")
    times: list[time] = []
    if isinstance(raw_times, list):
        times = sorted({t for t in (_hhmm(str(v)) for v in raw_times) if t is not None})
    if not times:
        defaults = DEFAULT_TIMES.get(per_day)
        if defaults is None and per_day > 0:  # many a day: spread over 09:00-21:00
            step = 12 * 60 // per_day
            defaults = [f"{9 + (i * step) // 60:02d}:{(i * step) % 60:02d}" for i in range(per_day)]
        times = [t for t in (_hhmm(v) for v in defaults or []) if t is not None]
    paused = person_settings.get("checkins_paused_until")
    paused_until = None
    if isinstance(paused, str) and paused:
        try:
            paused_until = datetime.fromisoformat(paused)
            if paused_until.tzinfo is None:
                paused_until = localize(paused_until, zone(timezone, settings.default_timezone))
        except ValueError:
            paused_until = None
    raw_quiet = person_settings.get("quiet_hours", settings.quiet_hours)
    quiet = parse_quiet(raw_quiet)
    if (
        quiet is None
        and isinstance(raw_quiet, str)
        and raw_quiet.strip().lower()
        not in (
            "",
            "off",
            "none",
        )
    ):
        quiet = parse_quiet(settings.quiet_hours)  # unreadable: the deployment's default
    times = [t for t in times if not _quiet_time(quiet, t)]  # then at most N a day
    return Prefs(
        enabled=bool(person_settings.get("checkins_enabled", True)) and per_day > 0,
        times=times[:per_day] if per_day else [],
        per_day=per_day,
        quiet=quiet,
        paused_until=paused_until,
        tz=zone(timezone, settings.default_timezone),
    )


def _quiet_time(quiet: tuple[time, time] | None, local: time) -> bool:
    if quiet is None:
        return False
    start, end = quiet
    if start < end:
        return start <= local < end
    return local >= start or local < end  # spans midnight


def in_quiet_hours(prefs: Prefs, instant: datetime) -> bool:
    return _quiet_time(prefs.quiet, instant.astimezone(prefs.tz).time())


def paused(prefs: Prefs, instant: datetime) -> bool:
    return prefs.paused_until is not None and instant < prefs.paused_until


def backoff_gap(unanswered: int) -> timedelta | None:
    """After one unanswered check-in: the next day at the earliest; after two, 2 days,
    then 4, then a week at most."""
    if unanswered < 1:
        return None
    if unanswered == 1:
        return FIRST_GAP
    return timedelta(days=min(2 ** (unanswered - 1), MAX_GAP_DAYS))


def next_checkin(
    prefs: Prefs,
    after: datetime,
    *,
    unanswered: int = 0,
    last_sent_at: datetime | None = None,
) -> datetime | None:
    """The next check-in slot strictly after ``after``, or None (turned off). After an
    unanswered check-in, the next slot is a day on at the earliest; the longer backoff
    applies to nudges only (``triggers.choose``), so a follow-up on the person's own
    news is still asked on time."""
    if not prefs.enabled or not prefs.times:
        return None
    earliest = after
    if prefs.paused_until is not None and prefs.paused_until > earliest:
        earliest = prefs.paused_until - timedelta(microseconds=1)
    gap = backoff_gap(min(unanswered, 1))
    if gap is not None and last_sent_at is not None and last_sent_at + gap > earliest:
        earliest = last_sent_at + gap - timedelta(microseconds=1)
    day = earliest.astimezone(prefs.tz).date() - timedelta(days=1)
    for _ in range(400):
        for t in prefs.times:
            candidate = localize(datetime.combine(day, t), prefs.tz)
            if candidate > earliest and not in_quiet_hours(prefs, candidate):
                return candidate.astimezone(UTC)
        day += timedelta(days=1)
    return None  # every time falls in quiet hours


def local_day_start(prefs: Prefs, instant: datetime) -> datetime:
    local = instant.astimezone(prefs.tz)
    return localize(datetime.combine(local.date(), time(0)), prefs.tz)
