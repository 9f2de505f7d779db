"""Rows belong to a person by their ``person_id``: /link moves them from one person to
another, and every feature whose data must follow does it the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession


async def move_rows(
    session: AsyncSession, tables: tuple[Any, ...], former: int, target: int
) -> None:
    """Give ``target`` every row of ``tables`` that ``former`` owned (in the caller's
    transaction, so a link moves all or nothing)."""
    for table in tables:
        await session.execute(
            update(table).where(table.person_id == former).values(person_id=target)
        )
