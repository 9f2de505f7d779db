"""/remind, /reminders, /checkins, the reminder buttons and the model's tools."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from bot.commands import Command
from bot.numbers import whole
from bot.schedule import policy
from bot.schedule.feedback import PREFIX as FEEDBACK_PREFIX
from bot.schedule.feedback import feedback_handler, per_week_text
from bot.schedule.service import ScheduleService, fmt_local
from bot.schedule.when import (
    When,
    WhenError,
    describe_recurrence,
    localize,
    parse,
    parse_recurrence,
    zone,
)
from bot.tools import Tool, ToolContext
from bot.turn import TurnInput

if TYPE_CHECKING:
    from bot.runtime import Runtime

REMIND_USAGE = "<when> <what>"
REMIND_EXAMPLES = (
    "For example:\n/remind in 20 minutes take the pasta off\n/remind tomorrow 6pm call mom\n"
    "/remind every Sunday at 9 water the plants\n/remind every day at 8 stretch"
)


def describe_rule(recurrence: str | None) -> str:
    return f" ({describe_recurrence(recurrence)})" if recurrence else ""


class SetReminderArgs(BaseModel):
    text: str = Field(description="what to remind the person of, in their words")
    when: str = Field(
        description="the (first) time, in the person's local time: ISO like "
        "2026-05-10T18:00, or words like 'in 20 minutes', 'tomorrow 6pm', 'every Sunday at 9'"
    )
    recurrence: str | None = Field(
        default=None,
        description="for repeating reminders: an RRULE like FREQ=WEEKLY;BYDAY=SU, or a "
        "cron line like '0 9 * * 0'; omit for a one-off",
    )


class CancelReminderArgs(BaseModel):
    id: int = Field(description="the reminder id, as listed by list_reminders")


class NoArgs(BaseModel):
    pass


def install_commands(runtime: Runtime, service: ScheduleService) -> None:
    core = runtime.companion
    store = service.store

    async def create(person_id: int, text: str, when: When) -> str:
        person = await runtime.people.get(person_id)
        tz = zone(person.timezone if person else None, runtime.settings.default_timezone)
        rid = await store.add_reminder(
            person_id,
            text,
            when.at,
            now=runtime.clock.now(),
            recurrence=when.recurrence,
            local_start=when.local_start,
        )
        first = "first on " if when.recurrence else ""
        return (
            f"OK, I'll remind you {first}{fmt_local(when.at, tz)} ({tz.key}): "
            f"{text}{describe_rule(when.recurrence)}. (reminder #{rid})"
        )

    async def remind(turn: TurnInput, args: str) -> str:
        if not args.strip():
            return f"Tell me when and what. {REMIND_EXAMPLES}"
        tz = zone(turn.person.timezone, runtime.settings.default_timezone)
        try:
            when, what = parse(args, tz, runtime.clock.now())
        except WhenError as exc:
            return f"{exc}\n{REMIND_EXAMPLES}"
        if not what:
            return "And what should I remind you of? Put it after the time: " + (
                "/remind tomorrow 6pm call mom"
            )
        return await create(turn.person.id, what[:500], when)

    async def reminders(turn: TurnInput, args: str) -> str:
        words = args.split()
        if words and words[0].lower() in ("cancel", "delete", "remove", "stop"):
            number = whole(words[1]) if len(words) > 1 else None
            if number is None:
                return "Which one? Send /reminders to see the ids, then /reminders cancel <id>."
            return await cancel(turn.person.id, number)
        return await listing(turn.person.id)

    async def listing(person_id: int) -> str:
        person = await runtime.people.get(person_id)
        tz = zone(person.timezone if person else None, runtime.settings.default_timezone)
        rows = await store.upcoming(person_id)
        if not rows:
            return "You have no upcoming reminders. Set one with /remind <when> <what>."
        lines = [f"Your upcoming reminders ({tz.key}):"]
        for r in rows:
            when = fmt_local(r.next_at, tz) if r.next_at else "?"
            lines.append(f"#{r.id} {when} - {r.text}{describe_rule(r.recurrence)}")
        lines.append("Cancel one with /reminders cancel <id>.")
        return "\n".join(lines)

    async def cancel(person_id: int, reminder_id: int) -> str:
        row = await store.reminder(person_id, reminder_id)
        if row is None or row.status != "active":
            return f"I have no upcoming reminder #{reminder_id} for you."
        await store.set_reminder_status(person_id, reminder_id, "cancelled")
        return f"Cancelled reminder #{reminder_id}: {row.text}."

    async def button(turn: TurnInput, rest: str) -> str:
        action, _, raw_id = rest.partition(":")
        person_id = turn.person.id
        delivery_id = whole(raw_id)
        delivery = await store.delivery_by_id(person_id, delivery_id) if delivery_id else None
        if delivery is None or delivery.kind != "reminder" or delivery.ref_id is None:
            return "That reminder is no longer here."
        await service.note_activity(person_id)
        reminder = await store.reminder(person_id, delivery.ref_id)
        if reminder is None:
            return "That reminder is no longer here."
        if delivery.outcome is not None:
            return f"Already noted ({delivery.outcome}): {reminder.text}."
        one_off = reminder.recurrence is None
        if action == "done":
            await store.set_outcome(person_id, delivery.id, "done")
            if one_off and reminder.status == "sent":
                await store.set_reminder_status(person_id, reminder.id, "done")
            return f"Done: {reminder.text}. Nice."
        if action == "skip":
            await store.set_outcome(person_id, delivery.id, "skipped")
            if one_off and reminder.status == "sent":
                await store.set_reminder_status(person_id, reminder.id, "skipped")
            return f"Skipped this time: {reminder.text}."
        now = runtime.clock.now()
        tz = zone(turn.person.timezone, runtime.settings.default_timezone)
        if action == "s10":
            at = now + timedelta(minutes=10)
        elif action == "s60":
            at = now + timedelta(hours=1)
        elif action == "tmr":
            local = delivery.due_at.astimezone(tz)
            day = now.astimezone(tz).date() + timedelta(days=1)
            at = localize(datetime.combine(day, local.time().replace(tzinfo=None)), tz)
        else:
            return "That button has expired."
        await store.set_outcome(person_id, delivery.id, "snoozed")
        if one_off and reminder.status == "sent":
            await store.set_reminder_status(person_id, reminder.id, "snoozed")
        await store.add_reminder(person_id, reminder.text, at, now=now)
        return f"Snoozed until {fmt_local(at, tz)}: {reminder.text}."

    async def checkins(turn: TurnInput, args: str) -> str:
        person_id = turn.person.id
        word = args.strip().lower()
        if word in ("on", "off", "resume"):
            enabled = word != "off"
            changes: dict[str, object] = {"checkins_enabled": enabled}
            if enabled:
                changes["checkins_paused_until"] = None
                person = await runtime.people.get(person_id)
                if person is not None and service.prefs(person).per_day == 0:
                    # "on" after /settings frequency 0: the usual rhythm, at least one a day
                    usual = runtime.settings.checkins_per_day
                    changes["checkins_per_day"] = None if usual > 0 else 1
            await runtime.people.update_settings(person_id, **changes)
            await service.reschedule(person_id)
        elif word in ("less", "fewer"):
            per_week = await service.less_often(person_id)
            await service.reschedule(person_id)
            return f"I'll check in less often: {per_week_text(per_week)}.\n\n" + (
                await status_text(person_id)
            )
        elif word == "more":
            back = await service.more_often(person_id)
            await service.reschedule(person_id)
            said = (
                "Back to the usual rhythm."
                if back is None
                else (f"A bit more often again: {per_week_text(back)}.")
            )
            return f"{said}\n\n{await status_text(person_id)}"
        elif word and word not in ("next", "status", "why"):
            return (
                "Use /checkins, /checkins on, /checkins off, /checkins less, /checkins more "
                "or /checkins next."
            )
        person = await runtime.people.get(person_id)
        if person is None:
            return "I don't know you yet. Say hello first."
        return await status_text(person_id)

    async def status_text(person_id: int) -> str:
        person = await runtime.people.get(person_id)
        assert person is not None
        prefs = service.prefs(person)
        state = await store.state(person_id)
        now = runtime.clock.now()
        review = (
            f"Weekly review: {fmt_local(state.review_at, prefs.tz)} (/settings review changes it)."
            if state is not None and state.review_at is not None
            else ""
        )
        if not prefs.enabled:
            return "\n".join(filter(None, ["Check-ins are off. Turn them on with /checkins on.",
                                            review]))  # fmt: skip
        times = ", ".join(t.strftime("%H:%M") for t in prefs.times)
        quiet = (
            f"{prefs.quiet[0]:%H:%M}-{prefs.quiet[1]:%H:%M}" if prefs.quiet is not None else "none"
        )
        lines = [
            f"Check-ins are on: up to {prefs.per_day} a day, around {times} ({prefs.tz.key}); "
            f"quiet hours {quiet}.",
            "I only write when there is a reason: something you told me about is over (I ask "
            "how it went), a goal's week is closing or a streak is at stake, or we haven't "
            "talked for a while.",
        ]
        if policy.paused(prefs, now) and prefs.paused_until is not None:
            lines.append(f"Paused until {fmt_local(prefs.paused_until, prefs.tz)}.")
        per_week = person.settings.get("checkins_per_week")
        if isinstance(per_week, int | float) and per_week > 0:
            lines.append(
                f"You asked for fewer: {per_week_text(float(per_week))} (/checkins more undoes it)."
            )
        if state is not None and state.unanswered >= policy.BACKOFF_AFTER:
            lines.append(
                "I haven't heard back lately, so I'm checking in less often until you write."
            )
        if state is not None and state.snoozed_until is not None and now < state.snoozed_until:
            quiet_until = fmt_local(state.snoozed_until, prefs.tz)
            lines.append(f"You said not now: quiet until {quiet_until}.")
        upcoming = [
            f for f in await service.followups.store.pending(person_id) if f.expires_at > now
        ]
        for f in upcoming[:5]:
            local = f.event_at.astimezone(prefs.tz)
            when = (
                f"{local:%a %d %b}"
                if f.precision in ("day", "week", "weekend")
                else (fmt_local(f.event_at, prefs.tz))
            )
            if f.precision == "week":
                when = f"the week of {when}"
            lines.append(f"• {f.what} ({when}): I'll ask how it went.")
        nxt = await service.forecast(person)
        if nxt is not None:
            at, why = nxt
            lines.append(f"Next check-in: {fmt_local(at, prefs.tz)}, {why.why}.")
        elif state is None or state.next_at is None:
            lines.append("No check-in is scheduled right now (say something and I'll resume).")
        else:
            lines.append(
                "Nothing is due in the next two weeks, so I'll stay quiet unless something "
                "comes up."
            )
        if review:
            lines.append(review)
        lines.append("Turn them off with /checkins off.")
        return "\n".join(lines)

    # --- tools for the chat model: the person is fixed by the context, never the model

    async def set_reminder_tool(ctx: ToolContext, args: SetReminderArgs) -> str:
        person = await runtime.people.get(ctx.person_id)
        tz = zone(person.timezone if person else None, runtime.settings.default_timezone)
        now = runtime.clock.now()
        try:
            when = _when_for_model(args.when, args.recurrence, tz, now)
        except (WhenError, ValueError) as exc:
            return f"error: {exc}"
        if not args.text.strip():
            return "error: text is empty"
        return await create(ctx.person_id, args.text.strip()[:500], when)

    async def cancel_reminder_tool(ctx: ToolContext, args: CancelReminderArgs) -> str:
        return await cancel(ctx.person_id, args.id)

    async def list_reminders_tool(ctx: ToolContext, _args: NoArgs) -> str:
        return await listing(ctx.person_id)

    core.commands.add(
        Command(
            "remind",
            "set a reminder (/remind tomorrow 6pm call mom)",
            remind,
            REMIND_USAGE,
            private_only=True,
        )
    )
    core.commands.add(
        Command(
            "reminders",
            "list upcoming reminders; /reminders cancel <id>",
            reminders,
            "[cancel <id>]",
            private_only=True,
        )
    )
    core.commands.add(
        Command(
            "checkins",
            "when the next check-in comes and why; /checkins on|off|less|more",
            checkins,
            "[on|off|less|more|next]",
            private_only=True,
        )
    )
    core.commands.add_callback("rem", button)
    core.commands.add_callback(FEEDBACK_PREFIX, feedback_handler(service))
    core.tools.add(
        Tool(
            "set_reminder",
            "Set a reminder for the person (one-off or repeating), in their local time.",
            SetReminderArgs,
            set_reminder_tool,
        )
    )
    core.tools.add(
        Tool(
            "cancel_reminder",
            "Cancel one of the person's reminders by id.",
            CancelReminderArgs,
            cancel_reminder_tool,
        )
    )
    core.tools.add(
        Tool(
            "list_reminders",
            "List the person's upcoming reminders with their ids.",
            NoArgs,
            list_reminders_tool,
        )
    )


def _when_for_model(raw_when: str, recurrence: str | None, tz: object, now: datetime) -> When:
    """The tool's fields: an ISO local time or words, and an optional RRULE/cron."""
    from zoneinfo import ZoneInfo

    from bot.schedule.when import next_occurrence

    assert isinstance(tz, ZoneInfo)
    text = (raw_when or "").strip()
    start: datetime | None = None
    when: When | None = None
    if text:
        try:
            parsed = datetime.fromisoformat(text)
            start = parsed.astimezone(tz).replace(tzinfo=None) if parsed.tzinfo else parsed
        except ValueError:
            when, _rest = parse(text, tz, now)
            if when.recurrence and not recurrence:
                return when
            start = when.at.astimezone(tz).replace(tzinfo=None)
    if recurrence:
        rule = parse_recurrence(recurrence)
        local_start = (start or now.astimezone(tz).replace(tzinfo=None)).replace(microsecond=0)
        first = next_occurrence(rule, local_start.isoformat(), tz, now)
        if first is None:
            raise WhenError("that rule never fires")
        return When(at=first, recurrence=rule, local_start=local_start.isoformat())
    if start is None:
        raise WhenError("when is empty")
    at = localize(start, tz)
    if at <= now:
        raise WhenError(f"{text} is in the past (it is now {fmt_local(now, tz)} local)")
    return When(at=at)
