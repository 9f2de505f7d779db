"""Tables for reminders, check-in state and the delivery log of proactive sends.

The delivery log is what makes proactive sends happen once: every send claims a row
whose ``key`` is unique, so two schedulers (or a restart mid-send) cannot send twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base, IdType, UTCDateTime


class ReminderRow(Base):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_due", "status", "next_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # active (due at next_at) | sent (one-off, awaiting a button) | done | skipped
    # | cancelled | missed
    status: Mapped[str] = mapped_column(String(16), default="active")
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "RRULE:FREQ=WEEKLY;BYDAY=SU" or "CRON:0 9 * * 0"; None for a one-off.
    recurrence: Mapped[str | None] = mapped_column(String(200))
    # Wall-clock start of a recurring rule ("2026-05-10T09:00"), so 9:00 stays 9:00
    # local across daylight-saving changes.
    local_start: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CheckinStateRow(Base):
    __tablename__ = "checkin_state"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    unanswered: Mapped[int] = mapped_column(Integer, default=0)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("key", name="uq_delivery_key"),
        Index("ix_deliveries_person", "person_id", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # reminder | checkin | notice
    ref_id: Mapped[int | None] = mapped_column(IdType)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # sending | sent | failed | blocked | gave_up | missed | silent | skipped
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    late: Mapped[bool] = mapped_column(default=False)
    platform: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))  # done | skipped | snoozed
    mentioned: Mapped[bool] = mapped_column(default=False)  # a missed one told to the person
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
