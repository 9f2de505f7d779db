"""Remembers, durably, whom the companion has refused (see memory/refusals_schema.py)."""

from __future__ import annotations

from datetime import datetime

from bot.types import Identity
from memory.db import Database
from memory.refusals_schema import RefusalRow


class RefusalStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def first(self, identity: Identity, *, at: datetime) -> bool:
        """Record the refusal; True only the first time for this identity (one
        statement, so two workers cannot both think they were first)."""
        insert = self.db.insert
        statement = (
            insert(RefusalRow)
            .values(
                platform=identity.platform,
                platform_user_id=identity.platform_user_id,
                refused_at=at,
            )
            .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
            .returning(RefusalRow.platform)
        )
        async with self.db.transaction() as conn:
            return (await conn.execute(statement)).first() is not None
