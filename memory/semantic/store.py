"""Relational side of memory: every read and write takes the person id, so one
person's memories can never be reached through another's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update

from memory.db import Database
from memory.semantic.schema import ACTIVE, RETIRED, MemoryRow


@dataclass(frozen=True, slots=True)
class Memory:
    id: str
    person_id: int
    kind: str
    text: str
    status: str
    said_at: datetime
    refers_to: datetime | None = None
    source_turn_ids: tuple[int, ...] = ()
    platform: str | None = None
    origin: str = "told"
    history: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    updated_at: datetime | None = None
    about: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "status": self.status,
            "said_at": self.said_at.isoformat(),
            "refers_to": self.refers_to.isoformat() if self.refers_to else None,
            "source_turn_ids": list(self.source_turn_ids),
            "platform": self.platform,
            "origin": self.origin,
            "history": list(self.history),
            "about": self.about,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def to_memory(row: MemoryRow) -> Memory:
    return Memory(
        id=str(row.id),
        person_id=row.person_id,
        kind=row.kind,
        text=row.text,
        status=row.status,
        said_at=row.said_at,
        refers_to=row.refers_to,
        source_turn_ids=tuple(row.source_turn_ids or ()),
        platform=row.platform,
        origin=row.origin,
        history=tuple(row.history or ()),
        updated_at=row.updated_at,
        about=row.about,
    )


@dataclass(frozen=True, slots=True)
class NewMemory:
    text: str
    kind: str = "fact"
    said_at: datetime | None = None
    refers_to: datetime | None = None
    source_turn_ids: tuple[int, ...] = ()
    platform: str | None = None
    origin: str = "told"
    about: str | None = None
    history: tuple[dict[str, Any], ...] = ()


def _row_id(memory_id: str | int) -> int | None:
    try:
        value = int(str(memory_id).strip().lstrip("#"))
    except ValueError:
        return None
    return value if 0 <= value < 2**63 else None  # no row has such an id (and no driver takes it)


# Asked on every recall (built once: a built statement keeps its cache key).
_NEWEST = select(func.max(MemoryRow.id)).where(MemoryRow.person_id == bindparam("person"))


class MemoryStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_many(self, person_id: int, items: list[NewMemory], now: datetime) -> list[Memory]:
        async with self.db.session() as s:
            rows = [
                MemoryRow(
                    person_id=person_id,
                    kind=item.kind,
                    text=item.text,
                    status=ACTIVE,
                    said_at=item.said_at or now,
                    refers_to=item.refers_to,
                    source_turn_ids=list(item.source_turn_ids),
                    platform=item.platform,
                    origin=item.origin,
                    about=item.about,
                    history=list(item.history),
                    created_at=now,
                    updated_at=now,
                )
                for item in items
            ]
            s.add_all(rows)
            await s.flush()
            return [to_memory(r) for r in rows]

    async def get(self, person_id: int, memory_id: str | int) -> Memory | None:
        row_id = _row_id(memory_id)
        if row_id is None:
            return None
        async with self.db.session() as s:
            row = await s.scalar(
                select(MemoryRow).where(MemoryRow.id == row_id, MemoryRow.person_id == person_id)
            )
            return to_memory(row) if row else None

    async def get_many(self, person_id: int, memory_ids: list[str]) -> dict[str, Memory]:
        ids = [i for i in (_row_id(m) for m in memory_ids) if i is not None]
        if not ids:
            return {}
        async with self.db.session() as s:
            rows = await s.scalars(
                select(MemoryRow).where(MemoryRow.person_id == person_id, MemoryRow.id.in_(ids))
            )
            return {str(r.id): to_memory(r) for r in rows}

    async def active(self, person_id: int) -> list[Memory]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(MemoryRow)
                .where(MemoryRow.person_id == person_id, MemoryRow.status == ACTIVE)
                .order_by(MemoryRow.id)
            )
            return [to_memory(r) for r in rows]

    async def active_since(self, person_id: int, after_id: int) -> list[Memory]:
        """Active memories with an id above ``after_id`` (written by another process).
        Asked on every recall: a plain read of the highest id first, usually all."""
        async with self.db.transaction() as conn:
            newest = await conn.scalar(_NEWEST, {"person": person_id})
        if newest is None or int(newest) <= after_id:
            return []
        return await self.active_after(person_id, after_id)

    async def active_after(self, person_id: int, after_id: int) -> list[Memory]:
        """Active memories with an id above ``after_id``, in id order (the caller
        knows a newer one exists)."""
        async with self.db.session() as s:
            rows = await s.scalars(
                select(MemoryRow)
                .where(
                    MemoryRow.person_id == person_id,
                    MemoryRow.status == ACTIVE,
                    MemoryRow.id > after_id,
                )
                .order_by(MemoryRow.id)
            )
            return [to_memory(r) for r in rows]

    async def about(self, person_id: int, about: str) -> list[Memory]:
        """Active memories about the same thing (the candidates a new fact replaces)."""
        async with self.db.session() as s:
            rows = await s.scalars(
                select(MemoryRow)
                .where(
                    MemoryRow.person_id == person_id,
                    MemoryRow.status == ACTIVE,
                    MemoryRow.about == about,
                )
                .order_by(MemoryRow.id)
            )
            return [to_memory(r) for r in rows]

    async def citing(self, person_id: int, turn_ids: set[int]) -> list[Memory]:
        """Every memory (active or retired) made from one of these turns."""
        found = []
        for memory in await self.all(person_id):
            if turn_ids & set(memory.source_turn_ids):
                found.append(memory)
        return found

    async def page(self, person_id: int, offset: int, limit: int) -> tuple[list[Memory], int]:
        """Active memories, newest first, and how many there are in all."""
        async with self.db.session() as s:
            where = (MemoryRow.person_id == person_id, MemoryRow.status == ACTIVE)
            total = await s.scalar(select(func.count()).select_from(MemoryRow).where(*where))
            rows = await s.scalars(
                select(MemoryRow)
                .where(*where)
                .order_by(MemoryRow.said_at.desc(), MemoryRow.id.desc())
                .offset(offset)
                .limit(limit)
            )
            return [to_memory(r) for r in rows], int(total or 0)

    async def all(self, person_id: int) -> list[Memory]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(MemoryRow).where(MemoryRow.person_id == person_id).order_by(MemoryRow.id)
            )
            return [to_memory(r) for r in rows]

    async def update_text(
        self,
        person_id: int,
        memory_id: str,
        text: str,
        *,
        now: datetime,
        why: str,
        kind: str | None = None,
        refers_to: datetime | None = None,
        source_turn_ids: tuple[int, ...] = (),
    ) -> Memory | None:
        """Replace a memory's text, keeping the old one in its history."""
        row_id = _row_id(memory_id)
        async with self.db.session() as s:
            row = await s.scalar(
                select(MemoryRow).where(
                    MemoryRow.id == row_id,
                    MemoryRow.person_id == person_id,
                    MemoryRow.status == ACTIVE,
                )
            )
            if row is None:
                return None
            row.history = [
                *(row.history or []),
                {
                    "text": row.text,
                    "said": row.said_at.isoformat(),
                    "until": now.isoformat(),
                    "why": why,
                },
            ]
            row.text = text
            row.said_at = now
            if kind:
                row.kind = kind
            if refers_to is not None:
                row.refers_to = refers_to
            row.source_turn_ids = sorted({*(row.source_turn_ids or []), *source_turn_ids})
            row.updated_at = now
            return to_memory(row)

    async def retire(self, person_id: int, memory_id: str, *, now: datetime, why: str) -> bool:
        """Contradicted: no longer true, no longer recalled, still auditable."""
        row_id = _row_id(memory_id)
        async with self.db.session() as s:
            row = await s.scalar(
                select(MemoryRow).where(
                    MemoryRow.id == row_id,
                    MemoryRow.person_id == person_id,
                    MemoryRow.status == ACTIVE,
                )
            )
            if row is None:
                return False
            row.status = RETIRED
            row.history = [*(row.history or []), {"retired": now.isoformat(), "why": why}]
            row.updated_at = now
            return True

    async def delete(self, person_id: int, memory_ids: list[str]) -> list[str]:
        """Forget outright: the rows go, history and all."""
        ids = [i for i in (_row_id(m) for m in memory_ids) if i is not None]
        if not ids:
            return []
        async with self.db.session() as s:
            found = list(
                await s.scalars(
                    select(MemoryRow.id).where(
                        MemoryRow.person_id == person_id, MemoryRow.id.in_(ids)
                    )
                )
            )
            await s.execute(
                delete(MemoryRow).where(MemoryRow.person_id == person_id, MemoryRow.id.in_(found))
            )
            return [str(i) for i in found]

    async def move(self, from_person: int, to_person: int) -> None:
        """Every memory of one person becomes the other's (/link merges people)."""
        async with self.db.session() as s:
            await s.execute(
                update(MemoryRow)
                .where(MemoryRow.person_id == from_person)
                .values(person_id=to_person)
            )

    async def erase(self, person_id: int) -> None:
        async with self.db.session() as s:
            await s.execute(delete(MemoryRow).where(MemoryRow.person_id == person_id))
