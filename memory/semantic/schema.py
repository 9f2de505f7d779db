"""The memories table: one row per remembered thing, with provenance and history, so
the person can list, correct, export and erase what the companion keeps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base, IdType, UTCDateTime, utcnow

KINDS = ("fact", "preference", "person", "event", "plan", "feeling")
ACTIVE = "active"
RETIRED = "retired"  # contradicted or replaced: history, shown only as "earlier"


class MemoryRow(Base):
    __tablename__ = "memories"
    __table_args__ = (
        Index("ix_memories_person_status", "person_id", "status"),
        Index("ix_memories_person_about", "person_id", "about"),
        Index("ix_memories_person_id", "person_id", "id"),  # recall's catch-up (0011)
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="fact")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    said_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    refers_to: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the fact is about ("home", "job", "partner", "pet:dog"...): a new fact about
    # the same thing is a candidate to replace it, whatever its wording (0010).
    about: Mapped[str | None] = mapped_column(String(64))
    source_turn_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    platform: Mapped[str | None] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(16), default="told")  # told|extracted|tool
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
