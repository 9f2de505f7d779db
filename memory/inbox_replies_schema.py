"""The replies of an inbox entry, kept while they are being sent.

Once the core has answered, its replies are saved before the first is sent; after a
crash the unsent ones are sent from here instead of asking the core again (which
would store the turn twice and perhaps answer differently). Rows live only until
the entry is done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base, IdType, UTCDateTime


class InboxReplyRow(Base):
    __tablename__ = "inbox_replies"

    inbox_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("inbox.id", ondelete="CASCADE"), primary_key=True
    )
    payload: Mapped[str] = mapped_column(Text)  # JSON list of OutgoingMessage
    sent: Mapped[int] = mapped_column(Integer, default=0)  # how many went out already
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
