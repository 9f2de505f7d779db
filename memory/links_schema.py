"""Tables for linking one person's identities across platforms (/link)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
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
    """A failed /link CODE, counted so codes cannot be guessed. Kept apart from the
    person on purpose: erasing oneself (/deleteme) must not reset the count, so the
    row names no person, only a keyed hash of the platform identity (``who``), and
    it lives an hour (the counting window). Nothing in it says who tried."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index("ix_link_attempts_who_at", "who", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    who: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256(key, platform + user id)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkAttemptKeyRow(Base):
    """The deployment's random key for ``LinkAttemptRow.who``: a platform user id is
    short enough to find by trying them all against a plain hash; not against a
    keyed one without the key."""

    __tablename__ = "link_attempt_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(64))
