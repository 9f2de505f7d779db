"""What the per-message shortcuts (issue 13's throughput) must not change: SQLite
transactions on the one held connection still commit, roll back and nest; a person
is resolved the same way through the plain read; the prompt keeps the same history
with its token counts remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.prompt import PromptBuilder
from bot.runtime import Runtime
from bot.tokens import count_tokens
from bot.turn import ContextSection, TurnInput
from bot.types import ChannelRef, Identity, IncomingMessage, Person
from memory.db import Database
from memory.people import SEEN_RESOLUTION, PeopleStore
from memory.turns import Turn, TurnStore
from tests.conftest import make_settings

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'hot.db'}")
    await database.migrate()
    yield database  # type: ignore[misc]
    await database.close()


async def test_sqlite_transactions_share_one_connection_and_still_roll_back(
    db: Database,
) -> None:
    async with db.transaction() as first:
        await first.execute(text("CREATE TABLE t (x INTEGER)"))
    async with db.transaction() as second:
        await second.execute(text("INSERT INTO t VALUES (1)"))
    assert second is first  # the held connection, not one from the pool each time
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(text("INSERT INTO t VALUES (2)"))
            raise RuntimeError("the work failed")
    async with db.transaction() as conn:
        # Nested in the same task: a pooled connection of its own, no deadlock.
        async with db.transaction() as inner:
            assert inner is not conn
            assert (await inner.scalar(text("SELECT count(*) FROM t"))) == 1
        await conn.execute(text("INSERT INTO t VALUES (3)"))
    async with db.transaction() as conn:
        rows = [r[0] for r in await conn.execute(text("SELECT x FROM t ORDER BY x"))]
    assert rows == [1, 3]  # the failed insert rolled back, the later one committed


async def test_a_closed_held_connection_is_replaced(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(text("SELECT 1"))
    await conn.close()
    async with db.transaction() as again:
        assert again is not conn
        assert (await again.scalar(text("SELECT 2"))) == 2


async def test_resolve_creates_then_finds_and_notes_changes(db: Database) -> None:
    people = PeopleStore(db, default_timezone="Europe/Berlin")
    ada = Identity("telegram", "42")
    created = await people.resolve(ada, display_name=None, chat_id="c1", now=NOW)
    assert created.display_name is None and created.timezone == "Europe/Berlin"
    await people.update_settings(created.id, minor=True)
    await people.set_unreachable(ada)
    later = NOW + SEEN_RESOLUTION
    found = await people.resolve(ada, display_name="Ada", chat_id="c2", now=later)
    assert found.id == created.id
    assert found.display_name == "Ada" and found.settings == {"minor": True}
    [ident] = await people.identities(created.id)
    assert ident.chat_id == "c2" and ident.unreachable is False
    assert ident.last_seen_at == later
    again = await people.resolve(ada, display_name="Other", chat_id=None, now=later)
    assert again.display_name == "Ada"  # a name once known is not replaced


async def test_recent_turns_respect_the_reset_and_the_limit(db: Database) -> None:
    people = PeopleStore(db)
    person = await people.resolve(Identity("console", "me"), now=NOW)
    turns = TurnStore(db)
    for i in range(5):
        await turns.add(person.id, "user", f"m{i}", at=NOW + timedelta(minutes=i))
    assert [t.content for t in await turns.recent(person.id, limit=3)] == ["m2", "m3", "m4"]
    await turns.reset(person.id, NOW + timedelta(minutes=3))
    assert [t.content for t in await turns.recent(person.id, limit=40)] == ["m3", "m4"]
    since = await turns.since(person.id, after_id=0)
    assert [t.content for t, _meta in since] == [f"m{i}" for i in range(5)]


def _turn_input(text_: str) -> TurnInput:
    msg = IncomingMessage(
        Identity("console", "me"), ChannelRef("console", "me"), text=text_, sent_at=NOW
    )
    return TurnInput(person=Person(id=1, display_name="Ada"), message=msg, text=text_)


def test_prompt_keeps_the_history_that_fits_and_counts_it_the_same(tmp_path: Path) -> None:
    persona = count_tokens(PromptBuilder(make_settings(tmp_path)).persona())
    total = persona * 2 + 600  # the persona and a part of the forty turns fit
    builder = PromptBuilder(make_settings(tmp_path, context_tokens=total))
    history = [
        Turn(i, "user" if i % 2 else "assistant", f"turn {i} " + "word " * 30, NOW)
        for i in range(1, 41)
    ]
    sections = [
        ContextSection("Profile", "Name: Ada\nTimezone: UTC", priority=10),
        ContextSection("Memories", "- likes tea\n\n- runs on Sundays, 5 km…\r\nend", priority=20),
        ContextSection("Notes", "a rather long note " * 400, priority=30, as_data=False),
    ]
    turn = _turn_input("how are you?")
    # The system text's count is computed from its parts: exactly what counting it gives.
    for budget in (60, 200, total):
        system, cost = builder._system(turn, sections, budget)
        assert cost == count_tokens(system)
    for _ in range(2):  # the second time from remembered counts
        messages = builder.build(turn, sections, history, "how are you?")
        system = str(messages[0].content)
        kept = messages[1:-1]
        used = count_tokens(system) + count_tokens("how are you?")
        used += sum(count_tokens(str(m.content)) + 4 for m in kept)
        assert used <= total
        assert 0 < len(kept) < len(history)
        # Exactly the newest turns that fit: one more would not have.
        assert [str(m.content) for m in kept] == [t.content for t in history[-len(kept) :]]
        older = history[-len(kept) - 1]
        assert used + count_tokens(older.content) + 4 > total
    # A turn id seen again with other words (an id reused after a deletion) is
    # counted afresh, not from the remembered number.
    longer = Turn(40, "user", "word " * total, NOW)
    messages = builder.build(turn, sections, [*history[:-1], longer], "how are you?")
    assert len(messages) == 2  # system and the new message: the long turn does not fit


async def test_a_started_runtime_freezes_its_heap_and_a_closed_one_releases_it(
    tmp_path: Path,
) -> None:
    import gc

    from bot.heap import FIRST_THRESHOLD
    from bot.runtime import build_runtime

    runtime = await build_runtime(make_settings(tmp_path), model=None, with_features=False)
    try:
        await runtime.start()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == FIRST_THRESHOLD
    finally:
        await runtime.close()
    assert gc.get_freeze_count() == 0  # collectable again once the runtime is gone


@pytest.mark.parametrize("turns", [4, 80])  # shown whole, and ranked within the budget
async def test_the_memory_section_carries_its_own_token_count(runtime: Runtime, turns: int) -> None:
    """The prompt trusts a section's ``tokens`` instead of counting its text again:
    the memory part must hand over exactly what counting its text gives."""
    person = await runtime.people.resolve(Identity("console", "me"), now=NOW)
    for i in range(turns):
        await runtime.turns.add(
            person.id, "user", f"On trip {i} I hiked the Alps with Ana, 12 km…", at=NOW
        )
    turn = TurnInput(
        person=person,
        message=IncomingMessage(
            Identity("console", "me"), ChannelRef("console", "me"), text="hiking?", sent_at=NOW
        ),
        text="where did I go hiking with Ana?",
    )
    counted = []
    for provider in runtime.companion.hooks.context:
        for section in await provider(turn):
            if section.tokens is not None:
                counted.append(section)
    assert counted, "no section carried its count"
    for section in counted:
        assert section.tokens == count_tokens(section.text) > 0
