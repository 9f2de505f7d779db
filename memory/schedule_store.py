"""Reminders, check-in state and the delivery log.

``claim`` is the heart of "once": inserting a delivery row whose key is unique either
succeeds (this process sends) or fails (someone already did, or is doing it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.types import Person
from memory.db import Database
from memory.ownership import move_rows
from memory.people import to_person
from memory.prepared import Prepared
from memory.schedule_schema import CheckinStateRow, DeliveryRow, FollowupRow, ReminderRow
from memory.schema import PersonRow

DECIDED = ("sent", "silent")  # a topic with one of these was decided: not raised again

MAX_ATTEMPTS = 5  # transient failures retried, then given up (never forever)


# Read for every message, built once (a built statement keeps its cache key).
# Read for every message (the activity note): prepared once (memory/prepared.py).
_STATE = Prepared(
    select(*CheckinStateRow.__table__.columns).where(
        CheckinStateRow.person_id == bindparam("person")
    )
)


class ScheduleStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ reminders

    async def add_reminder(
        self,
        person_id: int,
        text: str,
        next_at: datetime,
        *,
        now: datetime,
        recurrence: str | None = None,
        local_start: str | None = None,
    ) -> int:
        async with self.db.session() as s:
            row = ReminderRow(
                person_id=person_id,
                text=text,
                status="active",
                next_at=next_at,
                recurrence=recurrence,
                local_start=local_start,
                created_at=now,
            )
            s.add(row)
            await s.flush()
            return row.id

    async def reminder(self, person_id: int, reminder_id: int) -> ReminderRow | None:
        """One reminder, only if it belongs to this person."""
        async with self.db.session() as s:
            return await s.scalar(
                select(ReminderRow).where(
                    ReminderRow.id == reminder_id, ReminderRow.person_id == person_id
                )
            )

    async def upcoming(self, person_id: int) -> list[ReminderRow]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(ReminderRow)
                .where(ReminderRow.person_id == person_id, ReminderRow.status == "active")
                .order_by(ReminderRow.next_at, ReminderRow.id)
            )
            return list(rows)

    async def recurring(self, person_id: int) -> list[ReminderRow]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(ReminderRow).where(
                    ReminderRow.person_id == person_id,
                    ReminderRow.status == "active",
                    ReminderRow.recurrence.is_not(None),
                )
            )
            return list(rows)

    async def set_reminder_status(self, person_id: int, reminder_id: int, status: str) -> bool:
        async with self.db.session() as s:
            result = await s.execute(
                update(ReminderRow)
                .where(ReminderRow.id == reminder_id, ReminderRow.person_id == person_id)
                .values(status=status)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def advance_reminder(
        self, reminder_id: int, was: datetime, next_at: datetime | None, status: str
    ) -> bool:
        """Move a reminder past the occurrence ``was``; a no-op when someone already did."""
        async with self.db.session() as s:
            result = await s.execute(
                update(ReminderRow)
                .where(
                    ReminderRow.id == reminder_id,
                    ReminderRow.next_at == was,
                    ReminderRow.status == "active",
                )
                .values(next_at=next_at, status=status)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def move_reminder(self, reminder_id: int, next_at: datetime) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(ReminderRow).where(ReminderRow.id == reminder_id).values(next_at=next_at)
            )

    # ------------------------------------------------------------------ check-in state

    async def state(self, person_id: int) -> CheckinStateRow | None:
        # A detached row built from the result.
        async with self.db.transaction() as conn:
            found = await _STATE.records(conn, {"person": person_id})
        return CheckinStateRow(**found[0]._asdict()) if found else None

    async def put_state(self, person_id: int, **values: Any) -> None:
        """Create or update a person's check-in state."""
        async with self.db.session() as s:
            row = await s.get(CheckinStateRow, person_id)
            if row is None:
                s.add(CheckinStateRow(person_id=person_id, **{"unanswered": 0, **values}))
                return
            for key, value in values.items():
                setattr(row, key, value)

    async def people_without_state(self) -> list[int]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(PersonRow.id)
                .outerjoin(CheckinStateRow, CheckinStateRow.person_id == PersonRow.id)
                .where(CheckinStateRow.person_id.is_(None))
            )
            return list(rows)

    async def people_without_review(self) -> list[int]:
        """People whose check-in state has no review time (new since the review came,
        or with it off: they are looked at again at each start)."""
        async with self.db.session() as s:
            rows = await s.scalars(
                select(CheckinStateRow.person_id).where(CheckinStateRow.review_at.is_(None))
            )
            return list(rows)

    async def due_work(self, now: datetime) -> tuple[list[ReminderRow], list[CheckinStateRow]]:
        """Everything due at ``now``, read in one go (a sweep runs often)."""
        async with self.db.session() as s:
            reminders = await s.scalars(
                select(ReminderRow)
                .where(ReminderRow.status == "active", ReminderRow.next_at <= now)
                .order_by(ReminderRow.next_at, ReminderRow.id)
            )
            checkins = await s.scalars(
                select(CheckinStateRow)
                .where(CheckinStateRow.next_at <= now)
                .order_by(CheckinStateRow.next_at, CheckinStateRow.person_id)
            )
            return list(reminders), list(checkins)

    async def next_due(self) -> datetime | None:
        """The earliest time anything is due (tests jump the clock there)."""
        async with self.db.session() as s:
            first = await s.scalar(
                select(func.min(ReminderRow.next_at)).where(ReminderRow.status == "active")
            )
            second = await s.scalar(select(func.min(CheckinStateRow.next_at)))
            third = await s.scalar(select(func.min(CheckinStateRow.review_at)))
        return min((v for v in (first, second, third) if v is not None), default=None)

    async def due_reviews(self, now: datetime) -> list[CheckinStateRow]:
        """Weekly reviews due at ``now`` (their own due time, not a check-in slot)."""
        async with self.db.session() as s:
            rows = await s.scalars(
                select(CheckinStateRow)
                .where(CheckinStateRow.review_at <= now)
                .order_by(CheckinStateRow.review_at, CheckinStateRow.person_id)
            )
            return list(rows)

    async def advance_review(self, person_id: int, was: datetime, next_at: datetime | None) -> bool:
        """Move a review on from ``was``; a no-op when someone already did."""
        async with self.db.session() as s:
            result = await s.execute(
                update(CheckinStateRow)
                .where(CheckinStateRow.person_id == person_id, CheckinStateRow.review_at == was)
                .values(review_at=next_at)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def last_delivery(self, person_id: int, kind: str) -> DeliveryRow | None:
        """The person's latest delivery of this kind (the last weekly review...)."""
        async with self.db.session() as s:
            return await s.scalar(
                select(DeliveryRow)
                .where(DeliveryRow.person_id == person_id, DeliveryRow.kind == kind)
                .order_by(DeliveryRow.id.desc())
                .limit(1)
            )

    async def advance_checkin(
        self, person_id: int, was: datetime, next_at: datetime | None
    ) -> bool:
        async with self.db.session() as s:
            result = await s.execute(
                update(CheckinStateRow)
                .where(CheckinStateRow.person_id == person_id, CheckinStateRow.next_at == was)
                .values(next_at=next_at)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def claim(
        self,
        key: str,
        *,
        person_id: int,
        kind: str,
        ref_id: int | None,
        due_at: datetime,
        now: datetime,
        status: str = "sending",
        late: bool = False,
        text: str | None = None,
        meta: dict[str, Any] | None = None,
        topic: str | None = None,
    ) -> int | None:
        """Take the send ``key`` for this process: the row id, or None when it is taken
        (a failed attempt is taken over again, up to MAX_ATTEMPTS)."""
        try:
            async with self.db.session() as s:
                row = DeliveryRow(
                    key=key,
                    person_id=person_id,
                    kind=kind,
                    ref_id=ref_id,
                    due_at=due_at,
                    status=status,
                    attempts=1,
                    late=late,
                    text=text,
                    mentioned=False,
                    created_at=now,
                    meta=meta or {},
                    topic=topic,
                )
                s.add(row)
                await s.flush()
                return row.id
        except IntegrityError:
            pass
        async with self.db.session() as s:
            result = await s.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.key == key,
                    DeliveryRow.status == "failed",
                    DeliveryRow.attempts < MAX_ATTEMPTS,
                )
                .values(status="sending", attempts=DeliveryRow.attempts + 1, late=late, topic=topic)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return None
            return await s.scalar(select(DeliveryRow.id).where(DeliveryRow.key == key))

    async def settle(
        self,
        delivery_id: int,
        status: str,
        *,
        sent_at: datetime | None = None,
        platform: str | None = None,
        text: str | None = None,
        reminder: tuple[int, datetime, datetime | None, str] | None = None,
        checkin: tuple[int, datetime, datetime | None] | None = None,
        review: tuple[int, datetime, datetime | None] | None = None,
        unanswered: int | None = None,
        meta: dict[str, Any] | None = None,
        followup: tuple[int, str] | None = None,
    ) -> None:
        """Record how a send went and move its reminder or check-in (and the follow-up
        it asked about) on, in one transaction (a sweep of 10,000 is bound by SQLite's
        one writer). ``unanswered``: the person's new count of unanswered check-ins
        (a weekly review counts as one)."""
        async with self.db.session() as s:
            values: dict[str, Any] = {"status": status, "text": text}
            if meta is not None:
                values["meta"] = meta
            if sent_at is not None:
                values.update(sent_at=sent_at, platform=platform)
            await s.execute(update(DeliveryRow).where(DeliveryRow.id == delivery_id).values(values))
            if reminder is not None:
                rid, was, next_at, after = reminder
                await s.execute(
                    update(ReminderRow)
                    .where(
                        ReminderRow.id == rid,
                        ReminderRow.next_at == was,
                        ReminderRow.status == "active",
                    )
                    .values(next_at=next_at, status=after)
                )
            moved = checkin or review
            if moved is not None and unanswered is not None:
                await s.execute(
                    update(CheckinStateRow)
                    .where(CheckinStateRow.person_id == moved[0])
                    .values(unanswered=unanswered, last_sent_at=sent_at)
                )
            if checkin is not None:
                pid, was, next_at = checkin
                await s.execute(
                    update(CheckinStateRow)
                    .where(CheckinStateRow.person_id == pid, CheckinStateRow.next_at == was)
                    .values(next_at=next_at)
                )
            if review is not None:
                pid, was, next_at = review
                await s.execute(
                    update(CheckinStateRow)
                    .where(CheckinStateRow.person_id == pid, CheckinStateRow.review_at == was)
                    .values(review_at=next_at)
                )
            if followup is not None:
                fid, after = followup
                await s.execute(
                    update(FollowupRow)
                    .where(FollowupRow.id == fid, FollowupRow.status == "pending")
                    .values(status=after)
                )

    async def delivery(self, key: str) -> DeliveryRow | None:
        async with self.db.session() as s:
            return await s.scalar(select(DeliveryRow).where(DeliveryRow.key == key))

    async def delivery_by_id(self, person_id: int, delivery_id: int) -> DeliveryRow | None:
        async with self.db.session() as s:
            return await s.scalar(
                select(DeliveryRow).where(
                    DeliveryRow.id == delivery_id, DeliveryRow.person_id == person_id
                )
            )

    async def set_outcome(self, person_id: int, delivery_id: int, outcome: str) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id, DeliveryRow.person_id == person_id)
                .values(outcome=outcome)
            )

    async def sent_since(self, person_id: int, kind: str, since: datetime) -> int:
        async with self.db.session() as s:
            count = await s.scalar(
                select(func.count())
                .select_from(DeliveryRow)
                .where(
                    DeliveryRow.person_id == person_id,
                    DeliveryRow.kind == kind,
                    DeliveryRow.status == "sent",
                    DeliveryRow.sent_at >= since,
                )
            )
            return int(count or 0)

    async def decided_topics(self, person_id: int, since: datetime) -> set[str]:
        """Check-in topics decided since ``since`` (sent, or silence chosen)."""
        async with self.db.session() as s:
            rows = await s.scalars(
                select(DeliveryRow.topic).where(
                    DeliveryRow.person_id == person_id,
                    DeliveryRow.topic.is_not(None),
                    DeliveryRow.status.in_(DECIDED),
                    DeliveryRow.created_at >= since,
                )
            )
            return {t for t in rows if t}

    async def person_seen(self, person_id: int) -> tuple[Person, datetime | None] | None:
        """The person and when they were last seen, in one read (every check-in slot)."""
        async with self.db.session() as s:
            row = await s.get(PersonRow, person_id)
            return (to_person(row), row.last_seen_at) if row is not None else None

    async def last_seen(self, person_id: int) -> datetime | None:
        """When the person last wrote, pressed a button or used a command (to a minute)."""
        async with self.db.session() as s:
            return await s.scalar(select(PersonRow.last_seen_at).where(PersonRow.id == person_id))

    async def add_usage(
        self, person_id: int, day: str, *, calls: int, tokens: int
    ) -> tuple[int, int]:
        """Count a check-in decision's model calls and tokens against the person's local
        ``day``; returns the day's totals (calls, tokens)."""
        async with self.db.session() as s:
            row = await s.get(CheckinStateRow, person_id)
            if row is None:
                row = CheckinStateRow(person_id=person_id, unanswered=0)
                s.add(row)
            if row.usage_day != day:
                row.usage_day, row.usage_calls, row.usage_tokens = day, 0, 0
            row.usage_calls = (row.usage_calls or 0) + calls
            row.usage_tokens = (row.usage_tokens or 0) + tokens
            return row.usage_calls, row.usage_tokens

    async def unmentioned_missed(self) -> dict[int, list[DeliveryRow]]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(DeliveryRow)
                .where(DeliveryRow.status == "missed", DeliveryRow.mentioned.is_(False))
                .order_by(DeliveryRow.id)
            )
            out: dict[int, list[DeliveryRow]] = {}
            for row in rows:
                out.setdefault(row.person_id, []).append(row)
            return out

    async def mark_mentioned(self, ids: list[int]) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(DeliveryRow).where(DeliveryRow.id.in_(ids)).values(mentioned=True)
            )

    async def history(self, person_id: int, limit: int = 20) -> list[DeliveryRow]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(DeliveryRow)
                .where(DeliveryRow.person_id == person_id)
                .order_by(DeliveryRow.id.desc())
                .limit(limit)
            )
            return list(rows)

    # ------------------------------------------------------------------ personal data

    async def export(self, person_id: int) -> dict[str, Any]:
        async with self.db.session() as s:
            reminders = await s.scalars(
                select(ReminderRow).where(ReminderRow.person_id == person_id)
            )
            deliveries = await s.scalars(
                select(DeliveryRow).where(DeliveryRow.person_id == person_id)
            )
            state = await s.get(CheckinStateRow, person_id)
            return {
                "reminders": [
                    {
                        "id": r.id,
                        "text": r.text,
                        "status": r.status,
                        "next_at": r.next_at.isoformat() if r.next_at else None,
                        "recurrence": r.recurrence,
                        "local_start": r.local_start,
                        "created_at": r.created_at.isoformat(),
                    }
                    for r in reminders
                ],
                "deliveries": [
                    {
                        "kind": d.kind,
                        "status": d.status,
                        "due_at": d.due_at.isoformat(),
                        "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                        "late": d.late,
                        "platform": d.platform,
                        "text": d.text,
                        "outcome": d.outcome,
                        "topic": d.topic,
                        "decision": {
                            k: v
                            for k, v in (d.meta or {}).items()
                            if k in ("trigger", "decided_by", "reason", "model_reason", "tokens")
                        },
                    }
                    for d in deliveries
                ],
                "checkins": None
                if state is None
                else {
                    "next_at": state.next_at.isoformat() if state.next_at else None,
                    "unanswered": state.unanswered,
                    "not_before": state.snoozed_until.isoformat() if state.snoozed_until else None,
                    "next_weekly_review": state.review_at.isoformat() if state.review_at else None,
                    "model_usage": {
                        "day": state.usage_day,
                        "calls": state.usage_calls,
                        "tokens": state.usage_tokens,
                    },
                },
            }

    async def merge(self, former: int, target: int) -> None:
        """/link joined two people: reminders and the delivery log move over; the
        target's own check-in state (its rhythm, its backoff) is the one kept."""
        async with self.db.session() as s:
            await move_rows(s, (ReminderRow, DeliveryRow), former, target)
            await s.execute(delete(CheckinStateRow).where(CheckinStateRow.person_id == former))

    async def erase(self, person_id: int) -> None:
        async with self.db.session() as s:
            await s.execute(delete(DeliveryRow).where(DeliveryRow.person_id == person_id))
            await s.execute(delete(ReminderRow).where(ReminderRow.person_id == person_id))
            await s.execute(delete(CheckinStateRow).where(CheckinStateRow.person_id == person_id))
