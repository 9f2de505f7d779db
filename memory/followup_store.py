"""Follow-ups: things a person said are coming up, to ask about once afterwards.

Always scoped by person. Exported by /export, erased by /deleteme, moved on /link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from memory.db import Database
from memory.ownership import move_rows
from memory.schedule_schema import FollowupRow


@dataclass(frozen=True, slots=True)
class NewFollowup:
    concept: str
    what: str
    said: str
    lang: str
    event_at: datetime
    precision: str
    due_at: datetime
    expires_at: datetime
    said_at: datetime
    source: str = "rules"
    turn_id: int | None = None


class FollowupStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, person_id: int, new: NewFollowup, *, now: datetime) -> int:
        async with self.db.session() as s:
            row = FollowupRow(
                person_id=person_id,
                concept=new.concept,
                what=new.what[:200],
                said=new.said[:500],
                lang=new.lang,
                event_at=new.event_at,
                precision=new.precision,
                due_at=new.due_at,
                expires_at=new.expires_at,
                status="pending",
                source=new.source,
                turn_id=new.turn_id,
                said_at=new.said_at,
                created_at=now,
            )
            s.add(row)
            await s.flush()
            return row.id

    async def pending(self, person_id: int) -> list[FollowupRow]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(FollowupRow)
                .where(FollowupRow.person_id == person_id, FollowupRow.status == "pending")
                .order_by(FollowupRow.due_at, FollowupRow.id)
            )
            return list(rows)

    async def get(self, person_id: int, followup_id: int) -> FollowupRow | None:
        async with self.db.session() as s:
            return await s.scalar(
                select(FollowupRow).where(
                    FollowupRow.id == followup_id, FollowupRow.person_id == person_id
                )
            )

    async def reschedule(self, person_id: int, followup_id: int, new: NewFollowup) -> None:
        """The person moved the event ("the interview is Friday now")."""
        async with self.db.session() as s:
            await s.execute(
                update(FollowupRow)
                .where(
                    FollowupRow.id == followup_id,
                    FollowupRow.person_id == person_id,
                    FollowupRow.status == "pending",
                )
                .values(
                    event_at=new.event_at,
                    precision=new.precision,
                    due_at=new.due_at,
                    expires_at=new.expires_at,
                    said=new.said[:500],
                    said_at=new.said_at,
                )
            )

    async def set_status(
        self, person_id: int, ids: list[int], status: str, *, only_pending: bool = True
    ) -> int:
        if not ids:
            return 0
        query = update(FollowupRow).where(
            FollowupRow.person_id == person_id, FollowupRow.id.in_(ids)
        )
        if only_pending:
            query = query.where(FollowupRow.status == "pending")
        async with self.db.session() as s:
            result = await s.execute(query.values(status=status))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def all(self, person_id: int) -> list[FollowupRow]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(FollowupRow)
                .where(FollowupRow.person_id == person_id)
                .order_by(FollowupRow.event_at, FollowupRow.id)
            )
            return list(rows)

    # ------------------------------------------------------------------ personal data

    async def export(self, person_id: int) -> list[dict[str, Any]]:
        return [
            {
                "id": r.id,
                "what": r.what,
                "said": r.said,
                "language": r.lang,
                "event_at": r.event_at.isoformat(),
                "precision": r.precision,
                "ask_after": r.due_at.isoformat(),
                "status": r.status,
                "source": r.source,
                "said_at": r.said_at.isoformat(),
            }
            for r in await self.all(person_id)
        ]

    async def merge(self, former: int, target: int) -> None:
        async with self.db.session() as s:
            await move_rows(s, (FollowupRow,), former, target)

    async def erase(self, person_id: int) -> None:
        async with self.db.session() as s:
            await s.execute(delete(FollowupRow).where(FollowupRow.person_id == person_id))
