"""update_settings: the same changes as /settings, from plain words via the model
("pause check-ins for a week", "I moved to Tokyo", "no messages after 10pm")."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.preferences.commands import review_choice
from bot.preferences.parsing import (
    SettingError,
    parse_pause,
    parse_per_day,
    parse_quiet_hours,
    parse_times,
)
from bot.preferences.service import Change, Preferences
from bot.tools import Tool, ToolContext


class UpdateSettingsArgs(BaseModel):
    timezone: str | None = Field(
        None, description="IANA name (Europe/Berlin) or a city; confirm with the person first"
    )
    checkin_times: list[str] | None = Field(
        None, description="local times for check-ins, e.g. ['09:00', '20:00']"
    )
    checkins_per_day: int | None = Field(None, ge=0, le=12)
    quiet_hours: str | None = Field(None, description="a range like '22:00-08:00'")
    pause: str | None = Field(
        None, description="how long to pause check-ins: 'a week', '3 days', 'until 2026-06-01'"
    )
    resume: bool | None = Field(None, description="true to end a pause")
    checkins_enabled: bool | None = Field(None, description="turn check-ins on or off")
    voice_replies: bool | None = Field(None, description="answer with voice notes")
    weekly_review: str | None = Field(
        None, description="the weekly review's day and local time, e.g. 'sunday 19:00', or 'off'"
    )


def build_tool(prefs: Preferences) -> Tool:
    async def update_settings(ctx: ToolContext, args: UpdateSettingsArgs) -> str:
        person = ctx.turn.person
        now = prefs.runtime.clock.now()
        try:
            change = Change(
                timezone=args.timezone,
                checkins_per_day=None
                if args.checkins_per_day is None
                else parse_per_day(args.checkins_per_day),
                resume=bool(args.resume),
                checkins_enabled=args.checkins_enabled,
                voice_replies=args.voice_replies,
            )
            if args.checkin_times is not None:
                change.checkin_times = parse_times(" ".join(args.checkin_times))
            if args.quiet_hours is not None:
                change.quiet_hours = parse_quiet_hours(args.quiet_hours)
            if args.weekly_review is not None:
                change.weekly_review = review_choice(
                    args.weekly_review, prefs.runtime.settings.weekly_review
                )
            if args.pause is not None:
                change.paused_until = parse_pause(args.pause, now=now, tz=person.timezone)
            said = await prefs.apply(ctx.person_id, change)
        except SettingError as exc:
            return f"error: {exc}"
        return " ".join(said) or "nothing changed"

    return Tool(
        "update_settings",
        "Change the person's settings when they ask: timezone, check-in times and how many "
        "a day, quiet hours, pausing or resuming check-ins, the weekly review's day and time "
        "(or off), voice replies.",
        UpdateSettingsArgs,
        update_settings,
    )
