"""/settings: show them, or change one with a deterministic form (no model needed)."""

from __future__ import annotations

from bot.commands import Command
from bot.preferences.parsing import (
    SettingError,
    parse_on_off,
    parse_pause,
    parse_per_day,
    parse_quiet_hours,
    parse_review,
    parse_times,
)
from bot.preferences.service import Change, Preferences
from bot.preferences.timezones import find_timezone
from bot.turn import TurnInput

ALIASES = {
    "timezone": "timezone", "tz": "timezone", "time_zone": "timezone", "zone": "timezone",
    "checkins": "checkins", "checkin": "checkins", "checkin_times": "checkins",
    "times": "checkins", "check-ins": "checkins",
    "frequency": "frequency", "checkins_per_day": "frequency", "per_day": "frequency",
    "quiet": "quiet", "quiet_hours": "quiet",
    "pause": "pause", "resume": "resume", "unpause": "resume",
    "voice": "voice", "voice_replies": "voice",
    "review": "review", "weekly_review": "review", "weekly": "review",
}  # fmt: skip


def build_command(prefs: Preferences) -> Command:
    async def settings(turn: TurnInput, args: str) -> str:
        person = turn.person
        key, _, value = args.strip().partition(" ")
        value = value.strip()
        if not key:
            return prefs.describe(person)
        which = ALIASES.get(key.lower())
        if which is None:
            return f"I don't have a setting called {key!r}.\n\n" + prefs.describe(person)
        now = prefs.runtime.clock.now()
        try:
            change = Change()
            if which == "resume":
                change.resume = True
            elif not value:
                raise SettingError(f"What should {key} be? For example: {_EXAMPLES[which]}")
            elif which == "timezone":
                zone = find_timezone(value)
                if zone is None:
                    raise SettingError(
                        f"I couldn't place {value!r}. Try a big city near you, or a name "
                        "like Europe/Berlin or UTC+2."
                    )
                change.timezone = zone
            elif which == "checkins":
                if value.lower() in ("on", "off"):
                    change.checkins_enabled = parse_on_off(value)
                else:
                    change.checkin_times = parse_times(value)
            elif which == "frequency":
                change.checkins_per_day = parse_per_day(value)
            elif which == "quiet":
                if value.lower() in ("default", "reset"):
                    change.reset_quiet_hours = True
                else:
                    change.quiet_hours = parse_quiet_hours(value)
            elif which == "pause":
                change.paused_until = parse_pause(value, now=now, tz=person.timezone)
            elif which == "voice":
                change.voice_replies = parse_on_off(value)
            elif which == "review":
                change.weekly_review = review_choice(value, prefs.runtime.settings.weekly_review)
            said = await prefs.apply(person.id, change)
        except SettingError as exc:
            return str(exc)
        return "\n".join(said)

    return Command(
        "settings",
        "timezone, check-in times, quiet hours, pause, weekly review, voice replies",
        settings,
        usage="[timezone|checkins|frequency|quiet|pause|resume|review|voice] [value]",
        private_only=True,
    )


_EXAMPLES = {
    "timezone": "/settings timezone Europe/Berlin",
    "checkins": "/settings checkins 9:00 20:00 (or off)",
    "frequency": "/settings frequency 2",
    "quiet": "/settings quiet 22:00-08:00",
    "pause": "/settings pause a week",
    "voice": "/settings voice on",
    "review": "/settings review sunday 19:00 (or off)",
}


def review_choice(value: str, default: str) -> str:
    """ "on" brings the review back at the deployment's time (Sunday 19:00 when that
    is off); anything else is a day and a time, or off."""
    if value.strip().lower() in ("on", "yes", "enable", "enabled", "default"):
        return default if default != "off" else "sunday 19:00"
    return parse_review(value)
