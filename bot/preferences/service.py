"""A person's settings: timezone, check-in times and frequency, quiet hours, pause,
voice replies. One place validates and stores them, and tells the check-in scheduler
(``runtime.services.checkins.reschedule``) whenever something it uses changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.interfaces import Checkins
from bot.preferences.parsing import SettingError, read_review
from bot.preferences.timezones import describe_zone, find_timezone, local_now, valid_timezone
from bot.types import Person

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

# Settings the check-in scheduler reads: changing one means rescheduling.
SCHEDULE_KEYS = {
    "timezone",
    "checkin_times",
    "checkins_per_day",
    "quiet_hours",
    "checkins_paused_until",
    "checkins_enabled",
    "weekly_review",
}


NO_SPEECH_SERVER = (
    "I can't speak yet: voice replies need a speech server. Whoever runs me can set "
    "COMPANION_TTS_URL (any OpenAI-compatible /v1/audio/speech)."
)


@dataclass
class Change:
    """What to change; None means leave as is. ``resume`` clears a pause."""

    timezone: str | None = None
    checkin_times: list[str] | None = None
    checkins_per_day: int | None = None
    quiet_hours: str | None = None
    reset_quiet_hours: bool = False
    paused_until: datetime | None = None
    resume: bool = False
    checkins_enabled: bool | None = None
    voice_replies: bool | None = None
    weekly_review: str | None = None  # "sunday 19:00" or "off" (parsing.parse_review)


class Preferences:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def apply(self, person_id: int, change: Change) -> list[str]:
        """Store ``change`` and return one short sentence per thing changed."""
        people, now = self.runtime.people, self.runtime.clock.now()
        if change.voice_replies and not self.runtime.settings.tts_url:
            # Checked first: a change that cannot work changes nothing at all.
            raise SettingError(NO_SPEECH_SERVER)
        said: list[str] = []
        settings: dict[str, Any] = {}
        touched: set[str] = set()
        if change.timezone is not None:
            zone = valid_timezone(change.timezone) or find_timezone(change.timezone)
            if zone is None:
                raise SettingError(
                    f"I don't know the timezone {change.timezone!r}. Try a city near you "
                    "or a name like Europe/Berlin."
                )
            await people.update(person_id, timezone=zone)
            touched.add("timezone")
            said.append(f"Timezone: {describe_zone(zone, now)}.")
        if change.checkin_times is not None:
            settings["checkin_times"] = change.checkin_times
            settings["checkins_per_day"] = len(change.checkin_times)
            settings["checkins_enabled"] = True
            said.append(f"Check-ins at {', '.join(change.checkin_times)}.")
        if change.checkins_per_day is not None:
            settings["checkins_per_day"] = change.checkins_per_day
            n = change.checkins_per_day
            said.append(
                "No check-ins on my own (frequency 0)."
                if n == 0
                else f"At most {n} check-in{'s' if n != 1 else ''} a day."
            )
        if change.quiet_hours is not None:
            settings["quiet_hours"] = change.quiet_hours
            said.append(f"Quiet hours {change.quiet_hours}: I won't write then.")
        if change.reset_quiet_hours:
            settings["quiet_hours"] = None
            said.append(f"Quiet hours back to the default, {self.runtime.settings.quiet_hours}.")
        if change.paused_until is not None:
            settings["checkins_paused_until"] = change.paused_until.isoformat()
            person = await people.get(person_id)
            tz = person.timezone if person else "UTC"
            until = local_now(tz, change.paused_until)
            said.append(
                f"Check-ins paused until {until:%A %d %B, %H:%M}. /settings resume ends it."
            )
        if change.resume:
            settings["checkins_paused_until"] = None
            settings["checkins_enabled"] = True
            said.append("Check-ins are back on.")
        if change.checkins_enabled is not None:
            settings["checkins_enabled"] = change.checkins_enabled
            said.append("Check-ins on." if change.checkins_enabled else "Check-ins off.")
        if change.weekly_review is not None:
            settings["weekly_review"] = change.weekly_review
            said.append(await self._review_said(person_id, change.weekly_review, settings))
        if change.voice_replies is not None:
            settings["voice_replies"] = change.voice_replies
            said.append("Voice replies on." if change.voice_replies else "Voice replies off.")
        if settings:
            await people.update_settings(person_id, **settings)
            touched.update(settings)
        if touched & SCHEDULE_KEYS:
            await self.reschedule(person_id)
        return said

    async def _review_said(self, person_id: int, value: str, settings: dict[str, Any]) -> str:
        if value == "off":
            return "Weekly review off."
        from bot.schedule.policy import in_quiet_hours, prefs_for
        from bot.schedule.review import describe_time, evening_end, next_review, quiet_end

        person = await self.runtime.people.get(person_id)
        merged = {**(person.settings if person else {}), **settings}
        when = read_review(value, self.runtime.settings.weekly_review)
        said = f"Weekly review: {describe_time(when)} your time."
        prefs = prefs_for(self.runtime.settings, merged, person.timezone if person else "UTC")
        at = next_review(when, prefs.tz, self.runtime.clock.now()) if when else None
        if at is not None and in_quiet_hours(prefs, at):
            if quiet_end(prefs, at) >= evening_end(at, prefs.tz):
                said += (
                    " That is inside your quiet hours, which last past midnight, so it would "
                    "never come: pick a time outside them."
                )
            else:
                said += " That is inside your quiet hours: it will wait until they end."
        elif not merged.get("checkins_enabled", True):
            said += " Check-ins are off, and the review with them: /checkins on brings both back."
        return said

    async def reschedule(self, person_id: int) -> None:
        """Tell the check-in scheduler, if there is one; its failure is logged, not shown."""
        checkins: Checkins | None = self.runtime.services.checkins
        if checkins is None:
            return
        try:
            await checkins.reschedule(person_id)
        except Exception:
            log.exception("rescheduling check-ins for person %s failed", person_id)

    def describe(self, person: Person) -> str:
        s, defaults, now = person.settings, self.runtime.settings, self.runtime.clock.now()
        times = s.get("checkin_times")
        enabled = s.get("checkins_enabled", True)
        lines = [
            "Your settings:",
            f"- timezone: {describe_zone(person.timezone, now)}",
            f"- check-ins: {'on' if enabled else 'off'}"
            + (f", at {', '.join(times)}" if times else ""),
            f"- check-ins per day: at most {s.get('checkins_per_day', defaults.checkins_per_day)}",
            f"- quiet hours: {s.get('quiet_hours', defaults.quiet_hours)}",
        ]
        paused = _paused_until(s, now)
        if paused is not None:
            until = local_now(person.timezone, paused)
            lines.append(f"- paused until {until:%A %d %B, %H:%M}")
        from bot.schedule.review import describe_time, review_time

        lines.append(f"- weekly review: {describe_time(review_time(defaults, person))}")
        lines.append(f"- voice replies: {'on' if s.get('voice_replies') else 'off'}")
        lines.append("")
        lines.append(
            "Change one with /settings <what> <value>, e.g. /settings timezone Lisbon, "
            "/settings checkins 9:00 20:00, /settings frequency 1, /settings quiet 22:00-07:00, "
            "/settings pause a week, /settings resume, /settings review sunday 19:00 (or off), "
            "/settings voice on. Or just tell me."
        )
        return "\n".join(lines)


def _paused_until(settings: dict[str, Any], now: datetime) -> datetime | None:
    raw = settings.get("checkins_paused_until")
    if not raw:
        return None
    try:
        until = datetime.fromisoformat(str(raw))
    except ValueError:
        return None
    return until if until > now else None
