"""Due work as a function of an instant: ``run_due(now)`` sends every reminder and
check-in whose time has come, once, and moves each to its next time.

APScheduler only calls ``tick`` (see runner.py); tests call ``run_due`` with a manual
clock, so a week of reminders and check-ins runs in seconds. "Once" comes from the
delivery log's unique key, so two schedulers started by mistake still send once."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.schedule import policy
from bot.schedule.compose import CheckinContext, compose
from bot.schedule.when import next_occurrence, zone
from bot.types import Button, OutgoingMessage, Person
from memory.schedule_schema import CheckinStateRow, DeliveryRow, ReminderRow
from memory.schedule_store import MAX_ATTEMPTS, ScheduleStore

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

LATE_NOTE_AFTER = timedelta(minutes=15)  # later than this, the message says it is late
STALE_CLAIM = timedelta(minutes=10)  # a 'sending' claim older than this was a crash
MAX_SKIPPED_OCCURRENCES = 10_000


def fmt_local(instant: datetime, tz: Any) -> str:
    return instant.astimezone(tz).strftime("%a %d %b %H:%M")


def reminder_buttons(delivery_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (Button("Done", f"rem:done:{delivery_id}"), Button("Skip", f"rem:skip:{delivery_id}")),
        (
            Button("Snooze 10 min", f"rem:s10:{delivery_id}"),
            Button("1 h", f"rem:s60:{delivery_id}"),
            Button("Tomorrow", f"rem:tmr:{delivery_id}"),
        ),
    )


class ScheduleService:
    """Reminders and check-ins for every person; registered as services["checkins"]."""

    def __init__(self, runtime: Runtime, *, concurrency: int = 64) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.store = ScheduleStore(runtime.db)
        self.concurrency = concurrency
        self._tick_lock = asyncio.Lock()
        self._notice_pending = True  # look for unmentioned missed sends at the first sweep

    @property
    def late_limit(self) -> timedelta:
        return timedelta(hours=self.settings.late_delivery_hours)

    def prefs(self, person: Person) -> policy.Prefs:
        return policy.prefs_for(self.settings, person.settings, person.timezone)

    # ------------------------------------------------------------------ contract

    async def reschedule(self, person_id: int) -> None:
        """Recompute the next check-in (and recurring reminders' wall-clock times) after
        the person's check-in settings or timezone changed."""
        person = await self.runtime.people.get(person_id)
        if person is None:
            return
        now = self.runtime.clock.now()
        prefs = self.prefs(person)
        state = await self.store.state(person_id)
        next_at = policy.next_checkin(
            prefs,
            now,
            unanswered=state.unanswered if state else 0,
            last_sent_at=state.last_sent_at if state else None,
        )
        await self.store.put_state(person_id, next_at=next_at)
        for reminder in await self.store.recurring(person_id):
            if reminder.next_at is None or reminder.next_at <= now or not reminder.recurrence:
                continue
            moved = next_occurrence(reminder.recurrence, reminder.local_start, prefs.tz, now)
            if moved is not None and moved != reminder.next_at:
                await self.store.move_reminder(reminder.id, moved)

    async def note_activity(self, person_id: int) -> None:
        """The person wrote: the unanswered streak ends and check-ins resume (also after
        a blocked channel stopped them)."""
        state = await self.store.state(person_id)
        now = self.runtime.clock.now()
        if state is None or state.next_at is None or state.unanswered >= policy.BACKOFF_AFTER:
            await self.store.put_state(person_id, unanswered=0, last_activity_at=now)
            await self.reschedule(person_id)
        elif state.unanswered:
            await self.store.put_state(person_id, unanswered=0, last_activity_at=now)

    async def ensure_all(self) -> int:
        """Give everyone without check-in state their schedule (idempotent, at start)."""
        missing = await self.store.people_without_state()
        for person_id in missing:
            await self.reschedule(person_id)
        return len(missing)

    # ------------------------------------------------------------------ due work

    async def tick(self) -> Counter[str]:
        """One sweep at the clock's now; overlapping sweeps in one process are skipped."""
        if self._tick_lock.locked():
            return Counter()
        async with self._tick_lock:
            return await self.run_due(self.runtime.clock.now())

    async def run_due(self, now: datetime) -> Counter[str]:
        """Send what is due at ``now``; returns counts by outcome (sent, late, missed...)."""
        counts: Counter[str] = Counter()
        gate = asyncio.Semaphore(self.concurrency)

        async def guarded(work: Any) -> None:
            async with gate:
                try:
                    counts.update(await work)
                except Exception:
                    log.exception("scheduled send failed")
                    counts["error"] += 1

        reminders, checkins = await self.store.due_work(now)
        await asyncio.gather(
            *(guarded(self._reminder(r, now)) for r in reminders),
            *(guarded(self._checkin(c, now)) for c in checkins),
        )
        if reminders or checkins or self._notice_pending:
            notices = await self._announce_missed(now)
            self._notice_pending = any(k.endswith("_failed") for k in notices)
            counts.update(notices)
        return counts

    async def _send(self, person_id: int, message: OutgoingMessage) -> tuple[str, str | None]:
        """Hand one message to the outbox: (sent|blocked|failed|gave_up, platform).
        The caller records the outcome together with what moves on."""
        try:
            identity = await self.runtime.outbox.deliver(person_id, message)
        except Exception as exc:
            row = await self.store.delivery(message.key or "")
            attempts = row.attempts if row else MAX_ATTEMPTS
            status = "gave_up" if attempts >= MAX_ATTEMPTS else "failed"
            log.warning("send to person %s failed (%s): %s", person_id, status, exc)
            return status, None
        if identity is None:
            return "blocked", None
        return "sent", identity.platform

    async def _taken_elsewhere(self, key: str, now: datetime) -> bool:
        """Someone holds this send. True when it is settled (move on), False while a
        live sender is still at it."""
        row = await self.store.delivery(key)
        if row is None:
            return False
        if row.status == "sending":
            return row.created_at < now - STALE_CLAIM  # its sender died: do not resend
        return row.status != "failed"

    # ------------------------------------------------------------------ reminders

    async def _reminder(self, row: ReminderRow, now: datetime) -> Counter[str]:
        person = await self.runtime.people.get(row.person_id)
        if person is None or row.next_at is None:
            return Counter()
        tz = zone(person.timezone, self.settings.default_timezone)
        due = row.next_at
        following = (
            next_occurrence(row.recurrence, row.local_start, tz, due) if row.recurrence else None
        )
        counts: Counter[str] = Counter()
        if following is not None and following <= now:
            # Down across several occurrences: record the earlier ones as missed (and
            # tell the person), handle only the latest.
            skipped, latest = 1, following
            while skipped < MAX_SKIPPED_OCCURRENCES:
                after = next_occurrence(row.recurrence or "", row.local_start, tz, latest)
                if after is None or after > now:
                    break
                skipped, latest = skipped + 1, after
            await self.store.claim(
                f"reminder:{row.id}:{due:%Y%m%dT%H%M%S}",
                person_id=row.person_id,
                kind="reminder",
                ref_id=row.id,
                due_at=due,
                now=now,
                status="missed",
                text=row.text,
                meta={"occurrences": skipped},
            )
            counts["missed"] += 1
            if not await self.store.advance_reminder(row.id, due, latest, "active"):
                return counts
            due = latest
            following = next_occurrence(row.recurrence or "", row.local_start, tz, due)
        key = f"reminder:{row.id}:{due:%Y%m%dT%H%M%S}"
        after_status = "active" if following is not None else "sent"
        late_by = now - due
        if late_by > self.late_limit:
            claimed = await self.store.claim(
                key, person_id=row.person_id, kind="reminder", ref_id=row.id, due_at=due,
                now=now, status="missed", text=row.text,
            )  # fmt: skip
            if claimed is not None or await self._taken_elsewhere(key, now):
                final = "active" if following is not None else "missed"
                await self.store.advance_reminder(row.id, due, following, final)
            counts["missed"] += 1 if claimed is not None else 0
            return counts
        late = late_by > LATE_NOTE_AFTER
        delivery_id = await self.store.claim(
            key, person_id=row.person_id, kind="reminder", ref_id=row.id, due_at=due,
            now=now, late=late, text=row.text,
        )  # fmt: skip
        if delivery_id is None:
            if await self._taken_elsewhere(key, now):
                await self.store.advance_reminder(row.id, due, following, after_status)
            counts["taken"] += 1
            return counts
        text = f"⏰ Reminder: {row.text}"
        if late:
            text += (
                f"\n(Sorry, this is late: it was due {fmt_local(due, tz)}, and I was offline then.)"
            )
        message = OutgoingMessage(text=text, buttons=reminder_buttons(delivery_id), key=key)
        result, platform = await self._send(row.person_id, message)
        counts[result] += 1
        if result == "sent" and late:
            counts["late"] += 1
        if result != "sent" and following is None:
            after_status = "failed"
        await self.store.settle(
            delivery_id,
            result,
            sent_at=now if result == "sent" else None,
            platform=platform,
            text=message.text,
            # A failed send stays due: the next sweep tries again.
            reminder=None if result == "failed" else (row.id, due, following, after_status),
        )
        return counts

    # ------------------------------------------------------------------ check-ins

    async def _checkin(self, state: CheckinStateRow, now: datetime) -> Counter[str]:
        person = await self.runtime.people.get(state.person_id)
        if person is None or state.next_at is None:
            return Counter()
        prefs = self.prefs(person)
        due = state.next_at
        key = f"checkin:{person.id}:{due:%Y%m%dT%H%M}"
        counts: Counter[str] = Counter()

        def after(instant: datetime, *, unanswered: int, last_sent: datetime | None) -> Any:
            return policy.next_checkin(
                prefs, instant, unanswered=unanswered, last_sent_at=last_sent
            )

        settled_next = after(now, unanswered=state.unanswered, last_sent=state.last_sent_at)
        following = after(due, unanswered=state.unanswered, last_sent=state.last_sent_at)
        reason = None
        if following is not None and following <= now:
            reason = "coalesced"  # a later check-in is due too: only the latest goes out
        elif now - due > self.late_limit:
            reason = "missed"
        elif not prefs.enabled:
            reason = "off"
        elif policy.paused(prefs, now):
            reason = "paused"
        elif policy.in_quiet_hours(prefs, now):
            reason = "quiet"
        elif (
            await self.store.sent_since(person.id, "checkin", policy.local_day_start(prefs, now))
            >= prefs.per_day
        ):
            reason = "cap"
        if reason is not None:
            status = "missed" if reason == "missed" else "skipped"
            claimed = await self.store.claim(
                key, person_id=person.id, kind="checkin", ref_id=None, due_at=due, now=now,
                status=status, meta={"reason": reason},
            )  # fmt: skip
            if claimed is not None or await self._taken_elsewhere(key, now):
                target = following if reason == "coalesced" else settled_next
                await self.store.advance_checkin(person.id, due, target)
            if claimed is not None:
                counts[reason] += 1
            return counts

        late = now - due > LATE_NOTE_AFTER
        delivery_id = await self.store.claim(
            key, person_id=person.id, kind="checkin", ref_id=None, due_at=due, now=now, late=late
        )
        if delivery_id is None:
            if await self._taken_elsewhere(key, now):
                await self.store.advance_checkin(person.id, due, settled_next)
            counts["taken"] += 1
            return counts
        text = await self._compose(person, prefs, now)
        if text is None:
            await self.store.settle(delivery_id, "silent", checkin=(person.id, due, settled_next))
            counts["silent"] += 1
            return counts
        if state.unanswered >= policy.BACKOFF_AFTER:
            text += (
                "\n\n(I hadn't heard back, so I'm checking in less often for now. "
                "Write any time and I'll go back to the usual rhythm.)"
            )
        if late:
            text += f"\n\n(This was meant for {fmt_local(due, prefs.tz)}; I was offline then.)"
        result, platform = await self._send(person.id, OutgoingMessage(text=text, key=key))
        counts[result] += 1
        if result == "sent":
            if late:
                counts["late"] += 1
            settled_next = after(now, unanswered=state.unanswered + 1, last_sent=now)
        elif result == "blocked":
            settled_next = None  # resumes when the person writes again
        await self.store.settle(
            delivery_id,
            result,
            sent_at=now if result == "sent" else None,
            platform=platform,
            text=text,
            checkin=None if result == "failed" else (person.id, due, settled_next),
            count_unanswered=result == "sent",
        )
        return counts

    async def _compose(self, person: Person, prefs: policy.Prefs, now: datetime) -> str | None:
        goals: list[str] = []
        memories: list[str] = []
        service = self.runtime.services.get("goals")
        if service is not None and hasattr(service, "active_summary"):
            try:
                goals = list(await service.active_summary(person.id))
            except Exception:
                log.exception("goals summary failed; composing without it")
        memory = self.runtime.services.get("memory")
        companion = self.runtime.companion
        if memory is not None and hasattr(memory, "recall") and companion.model is not None:
            try:
                memories = list(
                    await memory.recall(person.id, "upcoming plans, events and dates", k=5)
                )
            except Exception:
                log.exception("memory recall failed; composing without it")
        recent = (
            [(t.role, t.content) for t in await self.runtime.turns.recent(person.id, 10)]
            if companion.model is not None
            else []  # the template does not use them
        )
        ctx = CheckinContext(
            person=person,
            now_local=now.astimezone(prefs.tz),
            goals=goals,
            memories=memories,
            recent=recent,
        )
        persona = companion.prompt.persona() if companion.model is not None else ""
        return await compose(ctx, companion.model, persona, self.settings.model_timeout)

    # ------------------------------------------------------------------ missed notice

    async def _announce_missed(self, now: datetime) -> Counter[str]:
        """Tell each person what came too late to send: never dropped silently."""
        counts: Counter[str] = Counter()
        for person_id, rows in (await self.store.unmentioned_missed()).items():
            person = await self.runtime.people.get(person_id)
            if person is None:
                continue
            key = f"missed:{person_id}:{rows[-1].id}"
            delivery_id = await self.store.claim(
                key, person_id=person_id, kind="notice", ref_id=None, due_at=now, now=now
            )
            if delivery_id is None:
                continue
            text = missed_text(rows, zone(person.timezone, self.settings.default_timezone))
            result, platform = await self._send(person_id, OutgoingMessage(text=text, key=key))
            await self.store.settle(
                delivery_id,
                result,
                sent_at=now if result == "sent" else None,
                platform=platform,
                text=text,
            )
            counts[f"notice_{result}"] += 1
            if result in ("sent", "blocked", "gave_up"):
                await self.store.mark_mentioned([r.id for r in rows])
        return counts


def missed_text(rows: list[DeliveryRow], tz: Any) -> str:
    lines = ["I was offline for a while, so these came too late to send on time:"]
    checkins = 0
    for row in rows:
        if row.kind == "checkin":
            checkins += 1
            continue
        times = int((row.meta or {}).get("occurrences", 1))
        extra = f", {times} times" if times > 1 else ""
        lines.append(f"• reminder “{row.text}” (due {fmt_local(row.due_at, tz)}{extra})")
    if checkins:
        lines.append(f"• {checkins} check-in{'s' if checkins > 1 else ''}")
    lines.append("Sorry about that. Anything there you still want to do?")
    return "\n".join(lines)
