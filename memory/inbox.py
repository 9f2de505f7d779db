"""The durable inbox: platform updates written before they are handled, so nothing
received is lost in a crash and nothing finished is handled twice.

The path that uses it lives in bot/inbox_path.py; this module is only the storage:
record (idempotent by the platform's update id), claim with a lease, finish, and
forget raw updates once they are no longer needed (the retention purge)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update

from memory.db import Database
from memory.schema import InboxRow

# How long a worker may hold an entry before another may take it over.
DEFAULT_LEASE = timedelta(minutes=2)
# Finished rows (ids and times only, once their payload is purged) are kept this long,
# so a late redelivery is still recognised; then they go.
ROW_KEEP = timedelta(days=30)
FINISHED = ("done", "failed", "unreadable")


@dataclass(frozen=True, slots=True)
class InboxEntry:
    id: int
    platform: str
    update_id: str
    payload: str
    attempts: int
    user_key: str | None
    chat_key: str | None = None


@dataclass(frozen=True, slots=True)
class NewEntry:
    """One update to record. ``status="unreadable"`` keeps an update the channel
    could not parse, for the operator, without ever handling it."""

    update_id: str
    payload: str
    user_key: str | None
    chat_key: str | None = None
    status: str = "pending"


def _emptying(*where: Any) -> Any:
    """Empty the raw update (text, sender's name) of finished entries matching
    ``where``; the rows stay, so a redelivered update is still recognised."""
    return (
        update(InboxRow)
        .where(InboxRow.status.in_(FINISHED), InboxRow.payload != "", *where)
        .values(payload="")
    )


def _entry(row: InboxRow) -> InboxEntry:
    return InboxEntry(
        row.id, row.platform, row.update_id, row.payload, row.attempts, row.user_key, row.chat_key
    )


class Inbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._recording: Any = None

    def _insert(self) -> Any:
        return self.db.insert

    async def record(
        self,
        platform: str,
        update_id: str,
        payload: str,
        *,
        at: datetime,
        user_key: str | None,
        chat_key: str | None = None,
    ) -> int | None:
        """Store an update. Returns its entry id, or None when it was already recorded
        (a redelivery: its first copy is, or was, handled)."""
        new = NewEntry(update_id, payload, user_key, chat_key)
        found = await self.record_many(platform, [new], at=at)
        return found.get(update_id)

    async def record_many(
        self,
        platform: str,
        items: Sequence[NewEntry | tuple[str, str, str | None]],
        *,
        at: datetime,
        claim_for: str | None = None,
    ) -> dict[str, int]:
        """Store a batch of updates in one statement; returns the entry id of each
        one that was new (redeliveries are dropped). With ``claim_for`` the new
        entries are claimed by that worker at once: the one write a message costs
        on arrival instead of two."""
        if not items:
            return {}
        # (update id, payload, user key) tuples are accepted too, as before.
        entries = [i if isinstance(i, NewEntry) else NewEntry(*i) for i in items]
        rows = [
            {
                "platform": platform,
                "update_id": item.update_id,
                "payload": item.payload,
                "user_key": item.user_key,
                "chat_key": item.chat_key,
                "status": item.status,
                "attempts": 1 if claim_for and item.status == "pending" else 0,
                "received_at": at,
                "done_at": at if item.status != "pending" else None,
                "claimed_by": claim_for if item.status == "pending" else None,
                "claimed_at": at if claim_for and item.status == "pending" else None,
            }
            for item in entries
        ]
        async with self.db.transaction() as conn:
            result = await conn.execute(self._record_statement(), rows)
            return {str(update_id): int(entry_id) for entry_id, update_id in result.all()}

    def _record_statement(self) -> Any:
        """One statement for any batch size, built once: SQLAlchemy sends the rows as
        batched multi-row VALUES ("insertmanyvalues") from its cached compilation,
        where a statement with the rows written into it was compiled anew for every
        batch size (about 10 ms for a hundred rows)."""
        if self._recording is None:
            self._recording = (
                self._insert()(InboxRow)
                .on_conflict_do_nothing(index_elements=["platform", "update_id"])
                .returning(InboxRow.id, InboxRow.update_id)
            )
        return self._recording

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

    async def renew(self, entry_ids: Iterable[int], worker: str, *, at: datetime) -> None:
        """Keep holding entries that are queued or being handled here, so a slow turn
        is not taken over by another worker while this one is alive."""
        ids = list(entry_ids)
        async with self.db.transaction() as conn:
            for start in range(0, len(ids), 500):
                await conn.execute(
                    update(InboxRow)
                    .where(
                        InboxRow.id.in_(ids[start : start + 500]),
                        InboxRow.claimed_by == worker,
                        InboxRow.status == "pending",
                    )
                    .values(claimed_at=at)
                )

    async def done(self, entry_id: int, *, at: datetime) -> None:
        await self.finish(entry_id, "done", at=at)

    async def fail(self, entry_id: int, *, at: datetime) -> None:
        """Give up on an entry that keeps failing, so it cannot block a person forever."""
        await self.finish(entry_id, "failed", at=at)

    async def finish(self, entry_id: int, status: str, *, at: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                update(InboxRow).where(InboxRow.id == entry_id).values(status=status, done_at=at)
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
            return [_entry(r) for r in rows]

    async def stale(
        self, platform: str, *, lease: timedelta, now: datetime, worker: str | None = None
    ) -> list[InboxEntry]:
        """Pending entries nobody holds: never claimed, or their holder's lease ran
        out (it died, or hangs); with ``worker``, also every one that worker held (a
        restarted process takes its own work back at once). Oldest first."""
        free = or_(InboxRow.claimed_at.is_(None), InboxRow.claimed_at < now - lease)
        if worker is not None:
            free = or_(free, InboxRow.claimed_by == worker)
        query = select(InboxRow).where(
            InboxRow.platform == platform, InboxRow.status == "pending", free
        )
        async with self.db.session() as s:
            return [_entry(r) for r in await s.scalars(query.order_by(InboxRow.id))]

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

    async def latest_update(self, platform: str, chat_key: str) -> str | None:
        """The platform id of the newest update recorded from this conversation (any
        status): where a channel that does not redeliver (Discord) resumes reading."""
        async with self.db.session() as s:
            return await s.scalar(
                select(InboxRow.update_id)
                .where(InboxRow.platform == platform, InboxRow.chat_key == chat_key)
                .order_by(InboxRow.id.desc())
                .limit(1)
            )

    async def purge(self, *, payloads_before: datetime, rows_before: datetime) -> tuple[int, int]:
        """Forget what is no longer needed: the raw update (its text, the sender's
        name) of every entry finished before ``payloads_before``, and finished rows
        before ``rows_before``. Returns (payloads emptied, rows deleted)."""
        async with self.db.transaction() as conn:
            emptied = await conn.execute(_emptying(InboxRow.done_at < payloads_before))
            gone = await conn.execute(
                delete(InboxRow).where(
                    InboxRow.done_at < rows_before, InboxRow.status.in_(FINISHED)
                )
            )
            return int(emptied.rowcount or 0), int(gone.rowcount or 0)

    async def export_for(self, users: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """The raw updates still kept for these (platform, user) pairs, for /export."""
        out: list[dict[str, Any]] = []
        async with self.db.session() as s:
            for platform, user_key in users:
                rows = await s.scalars(
                    select(InboxRow)
                    .where(
                        InboxRow.platform == platform,
                        InboxRow.user_key == user_key,
                        InboxRow.payload != "",
                    )
                    .order_by(InboxRow.id)
                )
                for row in rows:
                    try:
                        raw: Any = json.loads(row.payload)
                    except ValueError:
                        raw = row.payload
                    out.append(
                        {
                            "platform": platform,
                            "update_id": row.update_id,
                            "status": row.status,
                            "received_at": row.received_at.isoformat(),
                            "update": raw,
                        }
                    )
        return out

    async def erase_for(self, users: list[tuple[str, str]]) -> None:
        """Remove the raw updates of these (platform, user) pairs: they hold messages."""
        async with self.db.session() as s:
            for platform, user_key in users:
                await s.execute(
                    delete(InboxRow).where(
                        InboxRow.platform == platform, InboxRow.user_key == user_key
                    )
                )

    async def empty_answered_for(self, users: list[tuple[str, str]]) -> int:
        """Empty the raw updates (text, sender's name) of these (platform, user) pairs'
        answered messages before their retention ends: /forget must not leave the words
        it erased here. The rows stay, so a redelivered update is still known."""
        emptied = 0
        async with self.db.transaction() as conn:
            for platform, user_key in users:
                result = await conn.execute(
                    _emptying(InboxRow.platform == platform, InboxRow.user_key == user_key)
                )
                emptied += int(result.rowcount or 0)
        return emptied

    async def status(self, platform: str, update_id: str) -> str | None:
        async with self.db.session() as s:
            return await s.scalar(
                select(InboxRow.status).where(
                    InboxRow.platform == platform, InboxRow.update_id == update_id
                )
            )
