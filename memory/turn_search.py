"""Reading a person's own conversation back: words they search for, and the
messages memories came from. Scoped by person id like every other store."""

from __future__ import annotations

from sqlalchemy import select

from memory.db import Database
from memory.schema import TurnRow
from memory.turns import TURN_COLUMNS, Turn

MAX_QUERY = 200


def _like_pattern(words: str) -> str:
    """A LIKE pattern matching ``words`` literally (``%`` and ``_`` are escaped)."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class TurnSearch:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def search(
        self, person_id: int, words: str, *, limit: int = 50, before_id: int | None = None
    ) -> list[Turn]:
        """The person's turns containing ``words`` (case-insensitive), newest first;
        every turn when ``words`` is empty. ``before_id`` pages further back."""
        query = select(*TURN_COLUMNS).where(TurnRow.person_id == person_id)
        words = " ".join(words.split())[:MAX_QUERY]
        if words:
            query = query.where(TurnRow.content.ilike(_like_pattern(words), escape="\\"))
        if before_id is not None:
            query = query.where(TurnRow.id < before_id)
        async with self.db.transaction() as conn:
            rows = await conn.execute(query.order_by(TurnRow.id.desc()).limit(limit))
            return [Turn(*row) for row in rows.all()]

    async def by_ids(self, person_id: int, turn_ids: list[int]) -> dict[int, Turn]:
        """Those of ``turn_ids`` that are the person's (another's id finds nothing)."""
        if not turn_ids:
            return {}
        query = select(*TURN_COLUMNS).where(
            TurnRow.person_id == person_id, TurnRow.id.in_(sorted(set(turn_ids)))
        )
        async with self.db.transaction() as conn:
            return {row[0]: Turn(*row) for row in (await conn.execute(query)).all()}
