"""Tables for linking one person's identities across platforms (/link)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base, IdType, UTCDateTime


class LinkCodeRow(Base):
    """A one-time code. Only its hash is kept, so a copy of the database cannot be
    used to link an account."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))  # where it was asked for
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LinkAttemptRow(Base):
    """A failed /link CODE, counted per platform identity so codes cannot be guessed."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index("ix_link_attempts_who", "platform", "platform_user_id", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
