"""Prepared statements (memory/prepared.py): on SQLite they run on the sqlite3 handle
inside the caller's transaction; they must read and write exactly what SQLAlchemy's
own path does, on SQLite and PostgreSQL, and roll back with the transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, select, text, update

from bot.types import Identity
from memory.db import Database
from memory.people import SEEN_RESOLUTION, PeopleStore
from memory.prepared import Prepared, sqlite_handle
from memory.schema import IdentityRow, PersonRow, TurnRow

NOW = datetime(2026, 5, 4, 9, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """A migrated database, SQLite and PostgreSQL (``db_url``), closed after."""
    database = Database(db_url)
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    await database.migrate()
    yield database
    await database.close()


_TURNS = select(TurnRow.id, TurnRow.content, TurnRow.created_at, TurnRow.meta, TurnRow.platform)


async def test_reads_and_writes_match_sqlalchemys_own_path(db: Database) -> None:
    people = PeopleStore(db)
    add = Prepared(
        insert(TurnRow).returning(TurnRow.id),
        keys=("person_id", "role", "content", "platform", "created_at", "meta"),
    )
    mine = Prepared(_TURNS.where(TurnRow.person_id == bindparam("person")).order_by(TurnRow.id))
    person = await people.resolve(Identity("telegram", "7"), now=NOW)
    values = [
        ("héllo 👋", NOW, {"source": "1", "private": True}, "telegram"),
        ("", NOW + timedelta(days=400, microseconds=1), {}, None),
    ]
    ids = []
    async with db.transaction() as conn:
        for content, at, meta, platform in values:
            row = {
                "person_id": person.id,
                "role": "user",
                "content": content,
                "platform": platform,
                "created_at": at,
                "meta": meta,
            }
            ids.append(await add.scalar(conn, row))
    async with db.transaction() as conn:
        prepared = await mine.rows(conn, {"person": person.id})
        named = await mine.records(conn, {"person": person.id})
        plain = [tuple(r) for r in await conn.execute(_TURNS.order_by(TurnRow.id))]
    assert prepared == plain
    assert [tuple(r) for r in named] == prepared
    assert [(r.content, r.meta) for r in named] == [(v[0], v[2]) for v in values]
    assert [r[0] for r in prepared] == ids
    assert [(r[1], r[2], r[3], r[4]) for r in prepared] == values
    assert prepared[0][2].tzinfo is not None  # aware times, as the ORM gives


async def test_a_failed_transaction_leaves_no_prepared_write(db: Database) -> None:
    people = PeopleStore(db)
    rename = Prepared(
        update(PersonRow).where(PersonRow.id == bindparam("who")).values(display_name="Zed")
    )
    person = await people.resolve(Identity("telegram", "8"), display_name="Ann", now=NOW)
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            assert await rename.run(conn, {"who": person.id}) == 1
            raise RuntimeError("the turn failed after the write")
    async with db.transaction() as conn:
        assert await rename.run(conn, {"who": person.id + 1000}) == 0
    got = await people.get(person.id)
    assert got is not None and got.display_name == "Ann"
    # A transaction mixing both paths commits both.
    async with db.transaction() as conn:
        await rename.run(conn, {"who": person.id})
        await conn.execute(text("UPDATE people SET locale = 'de' WHERE id = :i"), {"i": person.id})
    got = await people.get(person.id)
    assert got is not None and (got.display_name, got.locale) == ("Zed", "de")


async def test_resolving_writes_only_what_changed(db: Database) -> None:
    people = PeopleStore(db)
    ident = Identity("discord", "42")
    first = await people.resolve(ident, chat_id="c1", now=NOW)
    assert first.display_name is None

    async def identity_row() -> tuple[object, ...]:
        async with db.transaction() as conn:
            row = (
                await conn.execute(
                    select(
                        IdentityRow.chat_id, IdentityRow.unreachable, IdentityRow.last_seen_at
                    ).where(IdentityRow.person_id == first.id)
                )
            ).one()
            return tuple(row)

    soon = NOW + SEEN_RESOLUTION / 2
    again = await people.resolve(ident, display_name="Bo", chat_id="c1", now=soon)
    assert (again.id, again.display_name) == (first.id, "Bo")  # a name fills a gap
    assert await identity_row() == ("c1", False, NOW)  # seen a moment ago: no write
    renamed = await people.resolve(ident, display_name="Other", now=soon)
    assert renamed.display_name == "Bo"  # a name they gave is kept

    async with db.transaction() as conn:
        await conn.execute(
            update(IdentityRow).where(IdentityRow.person_id == first.id).values(unreachable=True)
        )
    later = NOW + SEEN_RESOLUTION * 2
    await people.resolve(ident, chat_id="c2", now=later)
    assert await identity_row() == ("c2", False, later)  # they wrote: reachable again
    async with db.transaction() as conn:
        seen = await conn.scalar(select(PersonRow.last_seen_at).where(PersonRow.id == first.id))
    assert seen == later


@pytest.mark.parametrize("path", ["prepared", "sqlalchemy"])
async def test_a_commit_that_fails_leaves_the_connection_usable(
    sqlite_db: Database, path: str
) -> None:
    """A full disk makes SQLite's COMMIT fail (bench/chaos.py's disk_full); the held
    connection must then be rolled back, not left in a broken transaction that fails
    every later message. A deferred foreign key makes COMMIT fail the same way here."""
    people = PeopleStore(sqlite_db)
    add = Prepared(
        insert(TurnRow).returning(TurnRow.id),
        keys=("person_id", "role", "content", "platform", "created_at", "meta"),
    )
    row = {"role": "user", "content": "x", "platform": None, "created_at": NOW, "meta": {}}
    person = await people.resolve(Identity("telegram", "9"), now=NOW)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        async with sqlite_db.transaction() as conn:
            if path == "prepared":
                handle = sqlite_handle(conn)
                assert handle is not None
                handle.execute("PRAGMA defer_foreign_keys=ON")
                await add.scalar(conn, {**row, "person_id": 999_999})
            else:
                await conn.execute(text("PRAGMA defer_foreign_keys=ON"))
                await conn.execute(insert(TurnRow), {**row, "person_id": 999_999})
    async with sqlite_db.transaction() as conn:
        kept = await add.scalar(conn, {**row, "person_id": person.id})
        owners = [r[0] for r in await conn.execute(select(TurnRow.person_id))]
    assert kept is not None and owners == [person.id]  # the failed write is gone
