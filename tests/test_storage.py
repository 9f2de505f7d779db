"""The relational store on SQLite and PostgreSQL: migrations, people, turns, inbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.types import Identity
from memory.db import Database
from memory.inbox import Inbox
from memory.people import PeopleStore
from memory.turns import TurnStore

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


async def test_migrations_apply_twice_and_create_tables(db_url: str) -> None:
    db = Database(db_url)
    try:
        await db.migrate()
        await db.migrate()
        async with db.session() as s:
            heads = (await s.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert heads, "alembic recorded no version"
        for table in ("people", "identities", "turns", "inbox"):
            async with db.session() as s:
                await s.execute(text(f"SELECT count(*) FROM {table}"))
    finally:
        await db.close()


async def test_identity_resolves_to_one_person_even_when_racing(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    people = PeopleStore(db)
    try:
        ident = Identity("telegram", "99")
        found = await asyncio.gather(
            *(people.resolve(ident, display_name="Ann", chat_id="99", now=NOW) for _ in range(8))
        )
        assert len({p.id for p in found}) == 1
        other = await people.resolve(Identity("discord", "99"), now=NOW)
        assert other.id != found[0].id
        await people.update_settings(found[0].id, voice_replies=True)
        await people.update_settings(found[0].id, quiet="22-08")
        person = await people.get(found[0].id)
        assert person is not None
        assert person.settings == {"voice_replies": True, "quiet": "22-08"}
        assert person.display_name == "Ann"
    finally:
        await db.close()


async def test_turns_are_per_person_in_order_with_aware_times(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    people, turns = PeopleStore(db), TurnStore(db)
    try:
        a = await people.resolve(Identity("telegram", "1"), now=NOW)
        b = await people.resolve(Identity("telegram", "2"), now=NOW)
        for i in range(5):
            await turns.add(a.id, "user", f"a{i}", at=NOW + timedelta(seconds=i))
        await turns.add(b.id, "user", "b0", at=NOW)
        recent = await turns.recent(a.id, limit=3)
        assert [t.content for t in recent] == ["a2", "a3", "a4"]
        assert recent[0].created_at.tzinfo is not None
        assert recent[0].created_at == NOW + timedelta(seconds=2)
        assert [t.content for t in await turns.recent(b.id)] == ["b0"]
        assert await turns.get(b.id, recent[0].id) is None  # not b's turn
    finally:
        await db.close()


async def test_inbox_records_once_and_replays_unfinished(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    inbox = Inbox(db)
    try:
        first = await inbox.record("telegram", "100", '{"a": 1}', at=NOW, user_key="5")
        assert first is not None
        assert await inbox.record("telegram", "100", '{"a": 1}', at=NOW, user_key="5") is None
        second = await inbox.record("telegram", "101", "{}", at=NOW, user_key="5")
        assert second is not None
        assert await inbox.claim(first, "w1", at=NOW)
        await inbox.done(first, at=NOW)
        assert not await inbox.claim(first, "w2", at=NOW)  # finished: never again
        pending = await inbox.pending("telegram")
        assert [e.update_id for e in pending] == ["101"]
        assert await inbox.status("telegram", "100") == "done"
        assert await inbox.pending("discord") == []
    finally:
        await db.close()


async def test_inbox_claim_is_exclusive_until_the_lease_runs_out(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    inbox = Inbox(db)
    try:
        entry = await inbox.record("telegram", "200", "{}", at=NOW, user_key="5")
        assert entry is not None
        results = await asyncio.gather(*(inbox.claim(entry, f"w{i}", at=NOW) for i in range(5)))
        assert sum(results) == 1
        holder = f"w{results.index(True)}"
        other = "w9"
        assert await inbox.claim(entry, holder, at=NOW + timedelta(seconds=5))  # its own again
        assert not await inbox.claim(entry, other, at=NOW + timedelta(seconds=60))
        # The holder died: after the lease another worker takes over.
        assert await inbox.claim(entry, other, at=NOW + timedelta(minutes=10))
    finally:
        await db.close()


async def test_inbox_knows_when_an_older_message_of_the_person_is_pending(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    inbox = Inbox(db)
    try:
        first = await inbox.record("telegram", "300", "{}", at=NOW, user_key="8")
        second = await inbox.record("telegram", "301", "{}", at=NOW, user_key="8")
        other = await inbox.record("telegram", "302", "{}", at=NOW, user_key="9")
        assert first and second and other
        assert await inbox.earlier_unfinished(second, "telegram", "8")
        assert not await inbox.earlier_unfinished(first, "telegram", "8")
        assert not await inbox.earlier_unfinished(other, "telegram", "9")
        await inbox.done(first, at=NOW)
        assert not await inbox.earlier_unfinished(second, "telegram", "8")
    finally:
        await db.close()


async def test_inbox_records_a_batch_in_one_write_and_skips_known_ones(db_url: str) -> None:
    db = Database(db_url)
    await db.migrate()
    inbox = Inbox(db)
    try:
        known = await inbox.record("telegram", "400", "{}", at=NOW, user_key="1")
        entries = await inbox.record_many(
            "telegram",
            [("400", "{}", "1"), ("401", '{"x": 1}', "1"), ("402", "{}", None)],
            at=NOW,
        )
        assert set(entries) == {"401", "402"}
        assert known not in entries.values()
        assert [e.update_id for e in await inbox.pending("telegram")] == ["400", "401", "402"]
        assert await inbox.record_many("telegram", [], at=NOW) == {}
    finally:
        await db.close()
