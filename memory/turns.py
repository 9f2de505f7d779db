"""The conversation log: every turn, kept with its time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select

from memory.db import Database
from memory.prepared import Prepared
from memory.schema import PersonRow, TurnRow


@dataclass(frozen=True, slots=True)
class Turn:
    id: int
    role: str
    content: str
    created_at: datetime
    platform: str | None = None


TURN_COLUMNS = (TurnRow.id, TurnRow.role, TurnRow.content, TurnRow.created_at, TurnRow.platform)


# The statements every message runs, prepared once (memory/prepared.py).
_ADD = Prepared(
    insert(TurnRow).returning(TurnRow.id),
    keys=("person_id", "role", "content", "platform", "created_at", "meta"),
)
_SINCE_RESET = (
    select(PersonRow.conversation_since)
    .where(PersonRow.id == bindparam("person"))
    .scalar_subquery()
)
_RECENT = Prepared(
    select(*TURN_COLUMNS)
    .where(
        TurnRow.person_id == bindparam("person"),
        or_(_SINCE_RESET.is_(None), TurnRow.created_at >= _SINCE_RESET),
    )
    .order_by(TurnRow.created_at.desc(), TurnRow.id.desc())
    .limit(bindparam("limit"))
)
_SINCE_ID = Prepared(
    select(*TURN_COLUMNS, TurnRow.meta)
    .where(TurnRow.person_id == bindparam("person"), TurnRow.id > bindparam("after"))
    .order_by(TurnRow.id)
)


def _turn(row: TurnRow) -> Turn:
    return Turn(row.id, row.role, row.content, row.created_at, row.platform)


class TurnStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        person_id: int,
        role: str,
        content: str,
        *,
        at: datetime,
        platform: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> int:
        # A plain INSERT ... RETURNING: twice per message, and the ORM's flush
        # machinery cost more than the write itself.
        values = {
            "person_id": person_id,
            "role": role,
            "content": content,
            "platform": platform,
            "created_at": at,
            "meta": meta or {},
        }
        async with self.db.transaction() as conn:
            return int(await _ADD.scalar(conn, values))

    async def stored_message(self, person_id: int, source: str, *, within: int = 50) -> int | None:
        """The id of the person's stored turn for this platform message, looking at
        their last ``within`` words (asked only for a message handled again)."""
        query = (
            select(TurnRow.id, TurnRow.meta)
            .where(TurnRow.person_id == person_id, TurnRow.role == "user")
            .order_by(TurnRow.id.desc())
            .limit(within)
        )
        async with self.db.transaction() as conn:
            for turn_id, meta in await conn.execute(query):
                if (meta or {}).get("source") == source:
                    return int(turn_id)
        return None

    async def annotate(self, turn_id: int, **meta: Any) -> None:
        """Add facts to a stored turn (e.g. that it went unanswered, and why)."""
        async with self.db.session() as s:
            row = await s.get(TurnRow, turn_id)
            if row is not None:
                row.meta = {**(row.meta or {}), **meta}

    async def recent(self, person_id: int, limit: int = 40) -> list[Turn]:
        """The running conversation, oldest first: turns since the last /reset."""
        # Plain rows, not ORM objects: forty of them are read for every message.
        async with self.db.transaction() as conn:
            rows = await _RECENT.rows(conn, {"person": person_id, "limit": limit})
            return [Turn(*row) for row in reversed(rows)]

    async def all(self, person_id: int) -> list[Turn]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(TurnRow).where(TurnRow.person_id == person_id).order_by(TurnRow.id)
            )
            return [_turn(r) for r in rows]

    async def since(self, person_id: int, after_id: int = 0) -> list[tuple[Turn, dict[str, Any]]]:
        """The person's turns with an id above ``after_id``, oldest first, with their
        meta: how the conversation index catches up (usually none or two rows)."""
        async with self.db.transaction() as conn:
            rows = await _SINCE_ID.rows(conn, {"person": person_id, "after": after_id})
            return [(Turn(*row[:5]), row[5] or {}) for row in rows]

    async def get_many(self, person_id: int, turn_ids: list[int]) -> dict[int, Turn]:
        """The person's turns among ``turn_ids`` (another person's ids find nothing)."""
        if not turn_ids:
            return {}
        query = select(*TURN_COLUMNS).where(
            TurnRow.person_id == person_id, TurnRow.id.in_(sorted(set(turn_ids)))
        )
        async with self.db.transaction() as conn:
            return {row[0]: Turn(*row) for row in await conn.execute(query)}

    async def delete(self, person_id: int, turn_ids: list[int]) -> list[int]:
        """Forget these turns of the person's conversation; returns the ids deleted."""
        if not turn_ids:
            return []
        where = (TurnRow.person_id == person_id, TurnRow.id.in_(sorted(set(turn_ids))))
        async with self.db.transaction() as conn:
            found = [int(r[0]) for r in await conn.execute(select(TurnRow.id).where(*where))]
            if found:
                await conn.execute(delete(TurnRow).where(*where))
            return found

    async def get(self, person_id: int, turn_id: int) -> Turn | None:
        async with self.db.session() as s:
            r = await s.scalar(
                select(TurnRow).where(TurnRow.id == turn_id, TurnRow.person_id == person_id)
            )
            return _turn(r) if r else None

    async def reset(self, person_id: int, at: datetime) -> None:
        async with self.db.session() as s:
            row = await s.get_one(PersonRow, person_id)
            row.conversation_since = at

    async def erase(self, person_id: int) -> None:
        async with self.db.session() as s:
            await s.execute(delete(TurnRow).where(TurnRow.person_id == person_id))
