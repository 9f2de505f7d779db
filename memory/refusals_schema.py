"""People refused by ``COMPANION_ALLOWED_USERS``: only that they were refused, so a
restart (or another worker) does not refuse them again. No name, no text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base, UTCDateTime


class RefusalRow(Base):
    __tablename__ = "refusals"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    platform_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    refused_at: Mapped[datetime] = mapped_column(UTCDateTime)
