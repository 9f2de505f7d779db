"""One read per message for both of a person's memory indexes.

A recall catches the conversation index up with the turns stored since it last looked
(the message just stored, or turns another process wrote) and learns the person's
newest fact id (so the facts index reads rows only when another process added one).
Both come from one statement, not two: each statement costs about 0.3 ms of CPU on
the reply's path, and a message runs about ten."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, func, select

from memory.db import Database
from memory.schema import TurnRow
from memory.semantic.schema import MemoryRow
from memory.turns import TURN_COLUMNS, Turn

# The newest fact id (one row, NULL without facts), joined with the turns after
# ``after``: always at least one row, the turns in id order. Built once (a built
# statement keeps its cache key).
_NEWEST_FACT = (
    select(func.max(MemoryRow.id).label("newest"))
    .where(MemoryRow.person_id == bindparam("person"))
    .subquery("newest_fact")
)
_CATCH_UP = (
    select(_NEWEST_FACT.c.newest, *TURN_COLUMNS, TurnRow.meta)
    .select_from(
        _NEWEST_FACT.outerjoin(
            TurnRow,
            and_(TurnRow.person_id == bindparam("person"), TurnRow.id > bindparam("after")),
        )
    )
    .order_by(TurnRow.id)
)


async def turns_and_newest_fact(
    db: Database, person_id: int, after_id: int
) -> tuple[int, list[tuple[Turn, dict[str, Any]]]]:
    """The person's newest fact id (0 without any) and their turns with an id above
    ``after_id``, oldest first, with their meta (as ``TurnStore.since`` gives them)."""
    async with db.transaction() as conn:
        rows = (await conn.execute(_CATCH_UP, {"person": person_id, "after": after_id})).all()
    newest = int(rows[0][0] or 0) if rows else 0
    turns = [(Turn(*row[1:6]), row[6] or {}) for row in rows if row[1] is not None]
    return newest, turns
