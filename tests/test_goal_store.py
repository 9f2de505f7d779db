"""The goal store on SQLite and PostgreSQL: migration 0005, scoping by person,
status times, progress order, erasure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.types import Identity
from memory.db import Database
from memory.goals import GoalStore
from memory.people import PeopleStore

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


async def test_goal_store_round_trip_scoped_by_person(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    people, goals = PeopleStore(db), GoalStore(db)
    try:
        a = await people.resolve(Identity("telegram", "1"), now=NOW)
        b = await people.resolve(Identity("telegram", "2"), now=NOW)
        run = await goals.add(a.id, "Run a 10k", now=NOW, cadence="by_date",
                              target_date=date(2026, 9, 1), why="health")  # fmt: skip
        read = await goals.add(a.id, "Read", now=NOW, cadence="daily")
        other = await goals.add(b.id, "Paint", now=NOW, cadence="weekly", times_per_period=2)
        assert run.target_date == date(2026, 9, 1) and run.created_at == NOW

        later = NOW + timedelta(hours=2)
        await goals.log(a.id, read.id, at=later, now=later, amount=30, note="pages")
        await goals.log(a.id, read.id, at=NOW, now=later, note="earlier")
        entries = (await goals.progress(a.id, [read.id]))[read.id]
        assert [e.note for e in entries] == ["earlier", "pages"]  # by when it happened
        assert entries[1].at == later and entries[1].at.tzinfo is not None

        with pytest.raises(LookupError):
            await goals.log(b.id, read.id, at=NOW, now=NOW)  # not b's goal
        with pytest.raises(LookupError):
            await goals.update(b.id, run.id, now=NOW, status="done")
        assert await goals.get(b.id, run.id) is None

        done = await goals.update(a.id, run.id, now=later, status="done")
        assert done.completed_at == later
        assert [g.title for g in await goals.all(a.id)] == ["Read"]
        assert [g.title for g in await goals.all(a.id, include_closed=True)] == [
            "Read",
            "Run a 10k",
        ]
        reopened = await goals.update(a.id, run.id, now=later, status="active")
        assert reopened.completed_at is None
        with pytest.raises(ValueError):
            await goals.update(a.id, run.id, now=later, status="finished")

        await goals.erase(a.id)
        assert await goals.count(a.id) == 0
        assert [g.id for g in await goals.all(b.id)] == [other.id]
    finally:
        await db.close()
