"""Where each chat's history was last read up to, for platforms that do not
redeliver what a bot missed (Discord): after an outage the adapter reads the
chat's history after this message and puts what it finds through the inbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base, UTCDateTime


class ChannelCursorRow(Base):
    __tablename__ = "channel_cursors"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Whose direct-message chat it is: erased with the person.
    user_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # Every message up to this one (a platform id that grows with time) is in the inbox.
    last_message_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
