"""Crisis referrals counted per day, for the operator: no content, no person."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from memory.schema import Base


class SafetyReferralRow(Base):
    """How many crisis referrals were given on a (UTC) day, by kind and by who
    noticed (the rules or the model). Nothing that could identify a person."""

    __tablename__ = "safety_referrals"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    via: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
