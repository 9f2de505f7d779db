"""Goals and progress entries, always scoped by person: no method reads or changes
another person's goal, whatever id it is handed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, or_, select

from memory.db import Database
from memory.goals_schema import CADENCES, STATUSES, GoalRow, ProgressRow
from memory.ownership import move_rows
from memory.prepared import Prepared
from memory.schema import TurnRow

OPEN_STATUSES = ("active", "paused")

# Read for every message (the goals context): prepared once (memory/prepared.py).
_EVERY_GOAL = Prepared(
    select(*GoalRow.__table__.columns)
    .where(GoalRow.person_id == bindparam("person"))
    .order_by(GoalRow.id)
)
_OPEN_GOALS = Prepared(
    select(*GoalRow.__table__.columns)
    .where(
        GoalRow.person_id == bindparam("person"),
        or_(*(GoalRow.status == status for status in OPEN_STATUSES)),
    )
    .order_by(GoalRow.id)
)


@dataclass(frozen=True, slots=True)
class Goal:
    id: int
    person_id: int
    title: str
    why: str | None
    cadence: str
    times_per_period: int
    target_date: date | None
    status: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Progress:
    id: int
    goal_id: int
    amount: float | None
    note: str | None
    at: datetime
    source_turn_id: int | None


@dataclass(slots=True)
class Activity:
    times: list[datetime]  # when each entry happened, oldest first
    last: Progress | None


def _goal(row: GoalRow | Row[Any] | Any) -> Goal:
    return Goal(
        id=row.id,
        person_id=row.person_id,
        title=row.title,
        why=row.why,
        cadence=row.cadence,
        times_per_period=row.times_per_period,
        target_date=row.target_date,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
    )


def _progress(row: ProgressRow) -> Progress:
    return Progress(row.id, row.goal_id, row.amount, row.note, row.at, row.source_turn_id)


class GoalStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        person_id: int,
        title: str,
        *,
        now: datetime,
        why: str | None = None,
        cadence: str = "none",
        times_per_period: int = 1,
        target_date: date | None = None,
    ) -> Goal:
        if cadence not in CADENCES:
            raise ValueError(f"unknown cadence {cadence!r}")
        async with self.db.session() as s:
            row = GoalRow(
                person_id=person_id,
                title=title,
                why=why,
                cadence=cadence,
                times_per_period=max(1, times_per_period),
                target_date=target_date,
                status="active",
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            await s.flush()
            return _goal(row)

    async def get(self, person_id: int, goal_id: int) -> Goal | None:
        async with self.db.session() as s:
            row = await s.scalar(
                select(GoalRow).where(GoalRow.id == goal_id, GoalRow.person_id == person_id)
            )
            return _goal(row) if row else None

    async def all(self, person_id: int, *, include_closed: bool = False) -> list[Goal]:
        """Open goals (active, paused) in creation order; closed ones after them."""
        query = _EVERY_GOAL if include_closed else _OPEN_GOALS
        async with self.db.transaction() as conn:
            rows = await query.records(conn, {"person": person_id})
        rows.sort(key=lambda r: r.status not in OPEN_STATUSES)
        return [_goal(r) for r in rows]

    async def update(self, person_id: int, goal_id: int, *, now: datetime, **fields: Any) -> Goal:
        """Change a goal's fields; status "done" stamps completed_at, reopening clears it."""
        if "status" in fields and fields["status"] not in STATUSES:
            raise ValueError(f"unknown status {fields['status']!r}")
        if "cadence" in fields and fields["cadence"] not in CADENCES:
            raise ValueError(f"unknown cadence {fields['cadence']!r}")
        async with self.db.session() as s:
            row = await s.scalar(
                select(GoalRow).where(GoalRow.id == goal_id, GoalRow.person_id == person_id)
            )
            if row is None:
                raise LookupError(f"no goal {goal_id}")
            for key, value in fields.items():
                setattr(row, key, value)
            if "status" in fields:
                row.completed_at = now if fields["status"] == "done" else None
            row.updated_at = now
            return _goal(row)

    async def log(
        self,
        person_id: int,
        goal_id: int,
        *,
        at: datetime,
        now: datetime,
        amount: float | None = None,
        note: str | None = None,
        source_turn_id: int | None = None,
    ) -> Progress:
        async with self.db.session() as s:
            goal = await s.scalar(
                select(GoalRow).where(GoalRow.id == goal_id, GoalRow.person_id == person_id)
            )
            if goal is None:
                raise LookupError(f"no goal {goal_id}")
            row = ProgressRow(
                goal_id=goal_id,
                person_id=person_id,
                amount=amount,
                note=note,
                at=at,
                source_turn_id=source_turn_id,
                created_at=now,
            )
            s.add(row)
            goal.updated_at = now
            await s.flush()
            return _progress(row)

    async def progress(self, person_id: int, goal_ids: list[int]) -> dict[int, list[Progress]]:
        """Entries per goal, oldest first."""
        out: dict[int, list[Progress]] = {g: [] for g in goal_ids}
        if not goal_ids:
            return out
        async with self.db.session() as s:
            rows = await s.scalars(
                select(ProgressRow)
                .where(ProgressRow.person_id == person_id, ProgressRow.goal_id.in_(goal_ids))
                .order_by(ProgressRow.at, ProgressRow.id)
            )
            for row in rows:
                out[row.goal_id].append(_progress(row))
        return out

    async def activity(self, person_id: int, goal_ids: list[int]) -> dict[int, Activity]:
        """What views need, cheaply: every entry's time (for streaks) and the last entry."""
        out = {g: Activity([], None) for g in goal_ids}
        if not goal_ids:
            return out
        async with self.db.session() as s:
            rows = await s.execute(
                select(ProgressRow.goal_id, ProgressRow.at, ProgressRow.id)
                .where(ProgressRow.person_id == person_id, ProgressRow.goal_id.in_(goal_ids))
                .order_by(ProgressRow.at, ProgressRow.id)
            )
            last_ids: dict[int, int] = {}
            for goal_id, at, row_id in rows:
                out[goal_id].times.append(at)
                last_ids[goal_id] = row_id
            if last_ids:
                for row in await s.scalars(
                    select(ProgressRow).where(ProgressRow.id.in_(list(last_ids.values())))
                ):
                    out[row.goal_id].last = _progress(row)
        return out

    async def latest_user_turn(self, person_id: int) -> int | None:
        """The person's newest message: the source of progress a tool logs mid-turn."""
        async with self.db.session() as s:
            return await s.scalar(
                select(func.max(TurnRow.id)).where(
                    TurnRow.person_id == person_id, TurnRow.role == "user"
                )
            )

    async def export(self, person_id: int) -> list[dict[str, Any]]:
        goals = await self.all(person_id, include_closed=True)
        entries = await self.progress(person_id, [g.id for g in goals])
        return [
            {
                "id": g.id,
                "title": g.title,
                "why": g.why,
                "cadence": g.cadence,
                "times_per_period": g.times_per_period,
                "target_date": g.target_date.isoformat() if g.target_date else None,
                "status": g.status,
                "created_at": g.created_at.isoformat(),
                "completed_at": g.completed_at.isoformat() if g.completed_at else None,
                "progress": [
                    {
                        "amount": p.amount,
                        "note": p.note,
                        "at": p.at.isoformat(),
                        "source_turn_id": p.source_turn_id,
                    }
                    for p in entries[g.id]
                ],
            }
            for g in goals
        ]

    async def merge(self, former: int, target: int) -> None:
        """/link joined two people: the former one's goals and progress move over."""
        async with self.db.session() as s:
            await move_rows(s, (GoalRow, ProgressRow), former, target)

    async def erase(self, person_id: int) -> None:
        async with self.db.session() as s:
            await s.execute(delete(ProgressRow).where(ProgressRow.person_id == person_id))
            await s.execute(delete(GoalRow).where(GoalRow.person_id == person_id))

    async def count(self, person_id: int) -> int:
        async with self.db.session() as s:
            return int(
                await s.scalar(
                    select(func.count()).select_from(GoalRow).where(GoalRow.person_id == person_id)
                )
                or 0
            )
