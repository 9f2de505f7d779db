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
    # "Not now": no check-in before this instant.
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What deciding check-ins cost the model today (the person's local day), for operators.
    usage_day: Mapped[str | None] = mapped_column(String(10))
    usage_calls: Mapped[int] = mapped_column(Integer, default=0)
    usage_tokens: Mapped[int] = mapped_column(Integer, default=0)
    # The next weekly review (the person's chosen weekday and time, as a UTC instant);
    # None when it is off. Held reviews move later within the same evening.
    review_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("key", name="uq_delivery_key"),
        Index("ix_deliveries_person", "person_id", "kind", "created_at"),
        Index("ix_deliveries_topic", "person_id", "topic"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # reminder | checkin | review | notice
    ref_id: Mapped[int | None] = mapped_column(IdType)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # sending | sent | failed | blocked | gave_up | missed | silent | skipped
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    late: Mapped[bool] = mapped_column(default=False)
    platform: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    # reminders: done | skipped | snoozed; check-ins: not_now | less_often | useful
    outcome: Mapped[str | None] = mapped_column(String(16))
    mentioned: Mapped[bool] = mapped_column(default=False)  # a missed one told to the person
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What a check-in was about ("followup:12", "care:2026-05-04T..."): each topic is
    # decided once, whether the decision was to send or to stay silent.
    topic: Mapped[str | None] = mapped_column(String(120))


class FollowupRow(Base):
    """Something the person said is coming up ("interview Thursday at 10"): asked about
    once, after it happened, unless they told how it went first."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_person_status", "person_id", "status"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    concept: Mapped[str] = mapped_column(String(32))  # "interview", "flight", "event"...
    what: Mapped[str] = mapped_column(String(200))  # the words for it ("job interview")
    said: Mapped[str] = mapped_column(Text)  # the sentence it came from (data for the model)
    lang: Mapped[str] = mapped_column(String(8), default="en")
    event_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it starts
    precision: Mapped[str] = mapped_column(String(8))  # time | day | weekend | week
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)  # asked at the first slot after this
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # not asked after this
    # pending | sent | silent (the model decided not to ask) | answered (they told first)
    # | expired | dropped
    status: Mapped[str] = mapped_column(String(16), default="pending")
    source: Mapped[str] = mapped_column(String(16), default="rules")  # rules | model
    turn_id: Mapped[int | None] = mapped_column(IdType)
    said_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
