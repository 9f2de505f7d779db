"""Tables for goals and their progress entries (migration 0005)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base, IdType, UTCDateTime, utcnow

CADENCES = ("daily", "weekly", "by_date", "none")
STATUSES = ("active", "paused", "done", "dropped")


class GoalRow(Base):
    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_person_status", "person_id", "status"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str | None] = mapped_column(Text)
    cadence: Mapped[str] = mapped_column(String(16), default="none")
    # For habits: how many entries a day/week needs to count towards the streak.
    times_per_period: Mapped[int] = mapped_column(Integer, default=1)
    # For "by a date" goals: the person's local date.
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProgressRow(Base):
    __tablename__ = "goal_progress"
    __table_args__ = (Index("ix_goal_progress_goal_time", "goal_id", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    amount: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it happened
    # The user turn it was learned from (None when logged by /goals).
    source_turn_id: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
