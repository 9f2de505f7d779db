"""Counting crisis referrals per day (see safety_schema)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from memory.db import Database
from memory.safety_schema import SafetyReferralRow


class ReferralCounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, day: date, kind: str, via: str) -> int:
        """Count one referral; returns the day's total so far."""
        for _attempt in range(3):
            try:
                async with self.db.session() as s:
                    done = await s.execute(
                        update(SafetyReferralRow)
                        .where(
                            SafetyReferralRow.day == day,
                            SafetyReferralRow.kind == kind,
                            SafetyReferralRow.via == via,
                        )
                        .values(count=SafetyReferralRow.count + 1)
                    )
                    if not getattr(done, "rowcount", 0):
                        s.add(SafetyReferralRow(day=day, kind=kind, via=via, count=1))
                break
            except IntegrityError:  # another worker counted the day's first at once
                continue
        return await self.total(day)

    async def total(self, day: date) -> int:
        async with self.db.session() as s:
            value = await s.scalar(
                select(func.coalesce(func.sum(SafetyReferralRow.count), 0)).where(
                    SafetyReferralRow.day == day
                )
            )
            return int(value or 0)

    async def per_day(self, since: date) -> list[tuple[date, str, str, int]]:
        """(day, kind, via, count) from ``since`` on, newest day first."""
        async with self.db.session() as s:
            rows = await s.execute(
                select(
                    SafetyReferralRow.day,
                    SafetyReferralRow.kind,
                    SafetyReferralRow.via,
                    SafetyReferralRow.count,
                )
                .where(SafetyReferralRow.day >= since)
                .order_by(SafetyReferralRow.day.desc(), SafetyReferralRow.kind)
            )
            return [(r[0], r[1], r[2], int(r[3])) for r in rows]
