"""The durable inbox: platform updates written before they are handled, so nothing
received is lost in a crash and nothing finished is handled twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from memory.db import Database
from memory.schema import InboxRow

# How long a worker may hold an entry before another may take it over.
DEFAULT_LEASE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class InboxEntry:
    id: int
    platform: str
    update_id: str
    payload: str
    attempts: int
    user_key: str | None


class Inbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, platform: str, update_id: str, payload: str, *, at: datetime, user_key: str | None
    ) -> int | None:
        """Store an update. Returns its entry id, or None when it was already recorded
        (a redelivery: its first copy is, or was, handled)."""
        insert = sqlite_insert if self.db.is_sqlite else pg_insert
        stmt = (
            insert(InboxRow)
            .values(
                platform=platform,
                update_id=update_id,
                payload=payload,
                user_key=user_key,
                status="pending",
                attempts=0,
                received_at=at,
            )
            .on_conflict_do_nothing(index_elements=["platform", "update_id"])
            .returning(InboxRow.id)
        )
        async with self.db.session() as s:
            result = await s.execute(stmt)
            row = result.first()
            return int(row[0]) if row else None

    async def record_many(
        self, platform: str, items: list[tuple[str, str, str | None]], *, at: datetime
    ) -> dict[str, int]:
        """Store a batch of updates (update id, payload, user key) in one statement;
        returns the entry id of each one that was new. A polling batch costs one
        write instead of one per update."""
        if not items:
            return {}
        insert = sqlite_insert if self.db.is_sqlite else pg_insert
        rows = [
            {
                "platform": platform,
                "update_id": update_id,
                "payload": payload,
                "user_key": user_key,
                "status": "pending",
                "attempts": 0,
                "received_at": at,
            }
            for update_id, payload, user_key in items
        ]
        stmt = (
            insert(InboxRow)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["platform", "update_id"])
            .returning(InboxRow.id, InboxRow.update_id)
        )
        async with self.db.session() as s:
            result = await s.execute(stmt)
            return {str(update_id): int(entry_id) for entry_id, update_id in result.all()}

    async def claim(
        self, entry_id: int, worker: str, *, at: datetime, lease: timedelta = DEFAULT_LEASE
    ) -> bool:
        """Take an entry for ``worker``; counts the attempt. Only one worker holds an
        entry at a time: another may take it over when the holder's lease ran out (it
        died mid-message). The same worker may always take its own back (a restart)."""
        async with self.db.transaction() as s:
            result = await s.execute(
                update(InboxRow)
                .where(
                    InboxRow.id == entry_id,
                    InboxRow.status == "pending",
                    or_(
                        InboxRow.claimed_by.is_(None),
                        InboxRow.claimed_by == worker,
                        InboxRow.claimed_at < at - lease,
                    ),
                )
                .values(claimed_by=worker, claimed_at=at, attempts=InboxRow.attempts + 1)
            )
            return bool(result.rowcount)

    async def done(self, entry_id: int, *, at: datetime) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(InboxRow).where(InboxRow.id == entry_id).values(status="done", done_at=at)
            )

    async def fail(self, entry_id: int, *, at: datetime) -> None:
        """Give up on an entry that keeps failing, so it cannot block a person forever."""
        async with self.db.session() as s:
            await s.execute(
                update(InboxRow).where(InboxRow.id == entry_id).values(status="failed", done_at=at)
            )

    async def pending(
        self, platform: str, *, older_than: timedelta | None = None, now: datetime | None = None
    ) -> list[InboxEntry]:
        """Entries received but not finished, oldest first: replayed at start."""
        query = select(InboxRow).where(InboxRow.platform == platform, InboxRow.status == "pending")
        if older_than is not None and now is not None:
            query = query.where(InboxRow.received_at <= now - older_than)
        async with self.db.session() as s:
            rows = await s.scalars(query.order_by(InboxRow.id))
            return [
                InboxEntry(r.id, r.platform, r.update_id, r.payload, r.attempts, r.user_key)
                for r in rows
            ]

    async def earlier_unfinished(self, entry_id: int, platform: str, user_key: str) -> bool:
        """Is an older update of the same person still pending? Workers wait for it,
        so one person's messages are handled in order across processes."""
        async with self.db.session() as s:
            found = await s.scalar(
                select(InboxRow.id)
                .where(
                    InboxRow.platform == platform,
                    InboxRow.user_key == user_key,
                    InboxRow.status == "pending",
                    InboxRow.id < entry_id,
                )
                .limit(1)
            )
            return found is not None

    async def erase_for(self, users: list[tuple[str, str]]) -> None:
        """Remove the raw updates of these (platform, user) pairs: they hold messages."""
        async with self.db.session() as s:
            for platform, user_key in users:
                await s.execute(
                    delete(InboxRow).where(
                        InboxRow.platform == platform, InboxRow.user_key == user_key
                    )
                )

    async def status(self, platform: str, update_id: str) -> str | None:
        async with self.db.session() as s:
            return await s.scalar(
                select(InboxRow.status).where(
                    InboxRow.platform == platform, InboxRow.update_id == update_id
                )
            )
