"""Due work as a function of an instant: ``run_due(now)`` sends every reminder,
check-in and weekly review whose time has come, once, and moves each to its next time.

APScheduler only calls ``tick`` (see runner.py); tests call ``run_due`` with a manual
clock, so a week of reminders and check-ins runs in seconds. "Once" comes from the
delivery log's unique key, so two schedulers started by mistake still send once."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.schedule import policy, triggers
from bot.schedule.feedback import feedback_buttons
from bot.schedule.followups.service import FollowupService
from bot.schedule.review import WeeklyReview, evening_end
from bot.schedule.when import next_occurrence, zone
from bot.types import Button, OutgoingMessage, Person
from memory.followup_store import FollowupStore
from memory.schedule_schema import CheckinStateRow, DeliveryRow, ReminderRow
from memory.schedule_store import MAX_ATTEMPTS, ScheduleStore

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.schedule.compose import Decision

log = logging.getLogger(__name__)

LATE_NOTE_AFTER = timedelta(minutes=15)  # later than this, the message says it is late
STALE_CLAIM = timedelta(minutes=10)  # a 'sending' claim older than this was a crash
MAX_SKIPPED_OCCURRENCES = 10_000
SLOT_GRACE = timedelta(hours=2)  # a check-in slot found later than this waits for the next
TOPIC_MEMORY = timedelta(days=40)  # decided topics are remembered this long
FORECAST = timedelta(days=14)
GOAL_NUDGES = ("goal_window", "streak", "deadline")
REVIEW_COVERS = timedelta(hours=4)  # a goal nudge this soon before the weekly review is left to it
MIN_PER_WEEK = 0.25  # "less often" bottoms out at about one a month
BACKOFF_NOTE = (
    "(I'll check in less often for now. Write any time and I'll go back to the usual rhythm.)"
)


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
    """Reminders and check-ins for every person; registered as ``services.checkins``."""

    def __init__(self, runtime: Runtime, *, concurrency: int = 64) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.store = ScheduleStore(runtime.db)
        self.followups = FollowupService(FollowupStore(runtime.db), runtime.settings)
        self.concurrency = concurrency
        self._bound: tuple[Any, Any] | None = None  # (model, model bound to the decision tool)
        self._tick_lock = asyncio.Lock()
        self._notice_pending = True  # look for unmentioned missed sends at the first sweep
        self.reviews = WeeklyReview(self)

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
        review_at = await self.reviews.planned(person, now)
        await self.store.put_state(person_id, next_at=next_at, review_at=review_at)
        for reminder in await self.store.recurring(person_id):
            if reminder.next_at is None or reminder.next_at <= now or not reminder.recurrence:
                continue
            moved = next_occurrence(reminder.recurrence, reminder.local_start, prefs.tz, now)
            if moved is not None and moved != reminder.next_at:
                await self.store.move_reminder(reminder.id, moved)

    async def note_activity(self, person_id: int) -> None:
        """The person wrote: the unanswered streak ends and check-ins resume their
        rhythm (also after a blocked channel stopped them)."""
        state = await self.store.state(person_id)
        now = self.runtime.clock.now()
        if state is None or state.next_at is None or state.unanswered:
            await self.store.put_state(person_id, unanswered=0, last_activity_at=now)
            await self.reschedule(person_id)

    async def ensure_all(self) -> int:
        """Give everyone without check-in state their schedule, and everyone without a
        weekly review time theirs (idempotent, at start)."""
        missing = await self.store.people_without_state()
        for person_id in missing:
            await self.reschedule(person_id)
        for person_id in await self.store.people_without_review():
            person = await self.runtime.people.get(person_id)
            if person is not None:
                at = await self.reviews.planned(person, self.runtime.clock.now())
                if at is not None:
                    await self.store.put_state(person_id, review_at=at)
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
        # After the check-ins of the same instant, so the review sees what they sent.
        reviews = await self.store.due_reviews(now)
        await asyncio.gather(*(guarded(self.reviews.run(r, now)) for r in reviews))
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
        """One check-in slot: a chance to raise something, not a promise to write.

        Rules first: a slot that cannot be used (quiet hours, off, the person in the
        middle of a conversation, the day's cap) moves on; then the triggers; only when
        one fires is a delivery claimed and the model asked. An idle slot costs a few
        reads and no model call, and nothing is lost by skipping a slot: what is due
        stays due until the next one."""
        found = await self.store.person_seen(state.person_id)
        if found is None or state.next_at is None:
            return Counter()
        person, last_seen = found
        prefs = self.prefs(person)
        due = state.next_at
        counts: Counter[str] = Counter()

        def after(instant: datetime, *, unanswered: int, last_sent: datetime | None) -> Any:
            return policy.next_checkin(
                prefs, instant, unanswered=unanswered, last_sent_at=last_sent
            )

        settled_next = after(now, unanswered=state.unanswered, last_sent=state.last_sent_at)

        async def move_to(reason: str, target: datetime | None) -> Counter[str]:
            if await self.store.advance_checkin(person.id, due, target):
                counts[reason] += 1
            return counts

        async def move_on(reason: str) -> Counter[str]:
            return await move_to(reason, settled_next)

        if now - due > SLOT_GRACE:
            return await move_on("coalesced")  # down over the slot: wait for the next one
        if not prefs.enabled:
            return await move_on("off")
        if policy.paused(prefs, now):
            return await move_on("paused")
        if policy.in_quiet_hours(prefs, now):
            return await move_on("quiet")
        if state.snoozed_until is not None and now < state.snoozed_until:
            later = after(state.snoozed_until, unanswered=0, last_sent=None)
            return await move_to("not_now", later)
        busy = timedelta(minutes=self.settings.checkin_busy_minutes)
        if last_seen is not None and now - last_seen < busy:
            # In the middle of a conversation: look again once they have been quiet a while.
            again = last_seen + busy
            if (settled_next is not None and again >= settled_next) or policy.in_quiet_hours(
                prefs, again
            ):
                return await move_on("busy")
            return await move_to("busy", again)
        scene = await self.scene(person, prefs, state, last_seen, now)
        unanswered = scene.unanswered
        if unanswered != state.unanswered:  # answered by a command or a button
            settled_next = after(now, unanswered=unanswered, last_sent=state.last_sent_at)
        trigger = triggers.choose(scene, await triggers.find_all(scene, now), now)
        if trigger is None:
            return await move_on("idle")
        if trigger.kind in GOAL_NUDGES and self._review_soon(state, now, prefs):
            return await move_on("review_soon")  # the weekly review will cover the goals
        if (
            await self.store.sent_since(person.id, "checkin", policy.local_day_start(prefs, now))
            >= prefs.per_day
        ):
            return await move_on("cap")

        key = f"checkin:{person.id}:{due:%Y%m%dT%H%M}"
        delivery_id = await self.store.claim(
            key, person_id=person.id, kind="checkin", ref_id=trigger.followup_id, due_at=due,
            now=now, topic=trigger.topic, meta={"trigger": trigger.kind},
        )  # fmt: skip
        if delivery_id is None:
            if await self._taken_elsewhere(key, now):
                await self.store.advance_checkin(person.id, due, settled_next)
            counts["taken"] += 1
            return counts
        decision = await self._decide(person, prefs, trigger, now)
        meta = {
            "trigger": trigger.kind,
            "decided_by": decision.by,
            "reason": decision.reason,
            "model_reason": decision.model_reason,
            "calls": decision.calls,
            "tokens": decision.tokens,
        }
        await self._log_decision(person.id, prefs, now, trigger, decision)
        counts[f"decided_{decision.reason.partition(':')[0]}"] += 1
        if not decision.send or not decision.text:
            await self.store.settle(
                delivery_id,
                "silent",
                meta=meta,
                checkin=(person.id, due, settled_next),
                followup=(trigger.followup_id, "silent") if trigger.followup_id else None,
            )
            counts["silent"] += 1
            return counts
        text = decision.text
        if unanswered >= policy.BACKOFF_AFTER:
            text += f"\n\n{BACKOFF_NOTE}"
        # No rating buttons under the gentle word after a crisis: it is there to talk.
        buttons = feedback_buttons(delivery_id) if trigger.cheerful else ()
        message = OutgoingMessage(text=text, buttons=buttons, key=key)
        result, platform = await self._send(person.id, message)
        counts[result] += 1
        if result == "sent":
            settled_next = after(now, unanswered=unanswered + 1, last_sent=now)
        elif result == "blocked":
            settled_next = None  # resumes when the person writes again
        sent = result == "sent"
        await self.store.settle(
            delivery_id,
            result,
            sent_at=now if sent else None,
            platform=platform,
            text=text,
            meta=meta,
            checkin=None if result == "failed" else (person.id, due, settled_next),
            unanswered=unanswered + 1 if sent else None,
            followup=(trigger.followup_id, "sent") if sent and trigger.followup_id else None,
        )
        return counts

    async def scene(
        self,
        person: Person,
        prefs: policy.Prefs,
        state: CheckinStateRow | None,
        last_seen: datetime | None,
        now: datetime,
    ) -> triggers.Scene:
        """What the triggers read for one person: a handful of small queries."""
        pending = await self.followups.store.pending(person.id)
        gone = [f.id for f in pending if f.expires_at <= now]
        if gone:
            await self.followups.store.set_status(person.id, gone, "expired")
            log.info("follow-ups %s expired unasked (person %s)", gone, person.id)
        goals: triggers.GoalSignals | None = self.runtime.services.goals
        # Any message, command or button since the last check-in answers it.
        answered = (
            state is None
            or state.last_sent_at is None
            or (last_seen is not None and last_seen > state.last_sent_at)
        )
        return triggers.Scene(
            person=person,
            prefs=prefs,
            state=state,
            unanswered=0 if answered or state is None else state.unanswered,
            last_seen=last_seen,
            followups=[f for f in pending if f.expires_at > now],
            decided_loader=lambda: self.store.decided_topics(person.id, now - TOPIC_MEMORY),
            settings=self.settings,
            goals=goals,
        )

    @staticmethod
    def _review_soon(state: CheckinStateRow, now: datetime, prefs: policy.Prefs) -> bool:
        """The weekly review comes within a few hours, this evening."""
        at = state.review_at
        return at is not None and now <= at < min(now + REVIEW_COVERS, evening_end(now, prefs.tz))

    def _bound_model(self) -> Any | None:
        model = self.runtime.companion.model
        if model is None:
            return None
        if self._bound is None or self._bound[0] is not model:
            from bot.schedule.compose import bind  # LangChain and pydantic: only with a model

            self._bound = (model, bind(model))
        return self._bound[1]

    async def _decide(
        self,
        person: Person,
        prefs: policy.Prefs,
        trigger: triggers.Trigger,
        now: datetime,
        *,
        fallback: str | None = None,
    ) -> Decision:
        from bot.schedule.compose import CheckinContext, decide  # not needed at start

        bound = self._bound_model() if trigger.model else None
        recent: list[tuple[str, str]] = []
        persona = ""
        if bound is not None:
            recent = [(t.role, t.content) for t in await self.runtime.turns.recent(person.id, 8)]
            persona = self.runtime.companion.prompt.persona()
        ctx = CheckinContext(person=person, now_local=now.astimezone(prefs.tz), recent=recent)
        return await decide(
            trigger,
            ctx,
            bound,
            persona,
            limit_s=self.settings.model_timeout + 5,
            fallback=fallback or self.settings.checkin_fallback,
        )

    async def _log_decision(
        self,
        person_id: int,
        prefs: policy.Prefs,
        now: datetime,
        trigger: triggers.Trigger,
        decision: Decision,
    ) -> None:
        """One line per decision, with its reason and cost; never the message itself."""
        calls_today = tokens_today = 0
        if decision.calls:
            day = now.astimezone(prefs.tz).date().isoformat()
            calls_today, tokens_today = await self.store.add_usage(
                person_id, day, calls=decision.calls, tokens=decision.tokens
            )
        log.info(
            "check-in decision: person=%s trigger=%s send=%s by=%s reason=%s tokens=%d "
            "(today: %d model calls, %d tokens)",
            person_id,
            trigger.kind,
            decision.send,
            decision.by,
            decision.reason,
            decision.tokens,
            calls_today,
            tokens_today,
        )
        if decision.model_reason:
            log.debug("check-in decision for person %s, model's reason: %s", person_id,
                      decision.model_reason)  # fmt: skip

    async def forecast(self, person: Person) -> tuple[datetime, triggers.Trigger] | None:
        """The next check-in and why, looking up to two weeks ahead, as things stand
        (for /checkins). Slots in quiet hours, a pause or a "not now" are passed over."""
        prefs = self.prefs(person)
        if not prefs.enabled:
            return None
        now = self.runtime.clock.now()
        state = await self.store.state(person.id)
        last_seen = await self.store.last_seen(person.id)
        scene = await self.scene(person, prefs, state, last_seen, now)
        unanswered = state.unanswered if state else 0
        last_sent = state.last_sent_at if state else None
        slots: list[datetime] = []
        at = state.next_at if state is not None and state.next_at is not None else None
        at = at or policy.next_checkin(prefs, now, unanswered=unanswered, last_sent_at=last_sent)
        while at is not None and at < now + FORECAST and len(slots) < 100:
            if state is None or state.snoozed_until is None or at >= state.snoozed_until:
                slots.append(max(at, now))
            at = policy.next_checkin(prefs, at, unanswered=unanswered, last_sent_at=last_sent)
        await scene.preload_goals(slots)
        for slot in slots:
            chosen = triggers.choose(scene, await triggers.find_all(scene, slot), slot)
            if chosen is not None:
                return slot, chosen
        return None

    async def not_now(self, person_id: int) -> datetime:
        """ "Not now": nothing more today (their local day)."""
        person = await self.runtime.people.get(person_id)
        assert person is not None
        prefs = self.prefs(person)
        now = self.runtime.clock.now()
        until = policy.local_day_start(prefs, now + timedelta(days=1))
        after = policy.next_checkin(prefs, until - timedelta(microseconds=1))
        await self.store.put_state(person_id, snoozed_until=until, unanswered=0, next_at=after)
        return until

    async def less_often(self, person_id: int) -> float:
        """ "Less often": half as many check-ins a week as they had lately (at least a
        month's worth of quiet for one, never more than before)."""
        person = await self.runtime.people.get(person_id)
        assert person is not None
        now = self.runtime.clock.now()
        recent = await self.store.sent_since(person_id, "checkin", now - timedelta(days=7))
        current = person.settings.get("checkins_per_week")
        # Half of what they had lately; with nothing lately, half their usual rhythm.
        base = float(recent) or 7.0 * max(self.prefs(person).per_day, 1)
        if isinstance(current, int | float) and current > 0:
            base = min(base, float(current))
        per_week = max(MIN_PER_WEEK, round(base / 2, 2))
        await self.runtime.people.update_settings(person_id, checkins_per_week=per_week)
        return per_week

    async def more_often(self, person_id: int) -> float | None:
        """Undo "less often" one step (twice as many); None when back to the usual."""
        person = await self.runtime.people.get(person_id)
        assert person is not None
        current = person.settings.get("checkins_per_week")
        if not isinstance(current, int | float) or current <= 0:
            return None
        doubled = float(current) * 2
        prefs = self.prefs(person)
        if doubled >= 7 * max(prefs.per_day, 1):
            await self.runtime.people.update_settings(person_id, checkins_per_week=None)
            return None
        await self.runtime.people.update_settings(person_id, checkins_per_week=doubled)
        return doubled

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
