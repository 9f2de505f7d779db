"""What a recall keeps between messages, and why it stays true.

A recall catches both indexes up with the tables in one statement (the turns since
the last one seen and the newest fact id), so facts and turns written by another
process (a second worker on the same database) are found on its next message; the
windows are indexed from their turns' word counts, costs are kept per window, and
the memory part's tokens are counted by pieces: each the same as computed afresh.
Erasure and /forget leave nothing of a person in what is kept."""

from __future__ import annotations

import random
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.runtime import Runtime, build_runtime
from bot.tokens import count_tokens
from bot.types import Identity
from memory.semantic.conversation import PersonTalk, TalkTurn, Window, warm
from memory.semantic.embedding import RETRY_DOWNLOAD_AFTER, MiniLM
from memory.semantic.recall import ASKING, Selection, recall_memory, render
from memory.semantic.service import MemoryService
from memory.semantic.store import MemoryStore
from memory.semantic.vectors import EmbeddingUnavailable, VectorIndex
from memory.turns import TurnStore
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock

BUDGET = 800


@pytest.fixture
async def rt(tmp_path: Path, clock: ManualClock, db_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(make_settings(tmp_path, database_url=db_url), clock=clock)
    yield runtime
    await runtime.close()


def service(rt: Runtime) -> MemoryService:
    found = rt.services.memory
    assert isinstance(found, MemoryService)
    return found


def other_process(rt: Runtime, tmp_path: Path) -> MemoryService:
    """A second worker's memory service: the same tables, caches of its own."""
    return MemoryService(
        MemoryStore(rt.db),
        VectorIndex(service(rt).vectors.embed, path=tmp_path / "other-chroma"),
        rt.clock,
        TurnStore(rt.db),
    )


async def person(rt: Runtime, user: str) -> int:
    return (await rt.people.resolve(Identity("telegram", user), now=rt.clock.now())).id


async def say(rt: Runtime, mem: MemoryService, pid: int, role: str, text: str) -> int:
    """A turn stored as the engine stores one, and told to this process's index."""
    at = rt.clock.now()
    turn_id = await rt.turns.add(pid, role, text, at=at, meta={"private": True})
    mem.turns_stored(pid, [TalkTurn(turn_id, role, text, at)])
    return turn_id


@contextmanager
def statements(rt: Runtime) -> Iterator[list[str]]:
    """The statements on the memory's tables run meanwhile (any connection)."""
    seen: list[str] = []

    def note(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        if re.search(r"\b(memories|turns)\b", statement):  # not a leader's heartbeat
            seen.append(re.sub(r"\s+", " ", statement))

    engine = rt.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def test_a_recall_reads_both_indexes_in_one_statement(rt: Runtime) -> None:
    mem = service(rt)
    pid = await person(rt, "1")
    await mem.remember(pid, "Their sister Anna lives in Lyon.")
    await say(rt, mem, pid, "user", "I went climbing with Anna")
    await recall_memory(mem, pid, "climbing", budget=BUDGET)  # loads both indexes
    await say(rt, mem, pid, "assistant", "how was the climbing?")
    await rt.turns.add(pid, "user", "the wall was tall", at=rt.clock.now(), meta={})
    with statements(rt) as seen:
        part = await recall_memory(mem, pid, "wall", budget=BUDGET)
    assert len(seen) == 1, seen
    assert "max(memories.id)" in seen[0] and "JOIN turns" in seen[0]
    assert "the wall was tall" in part.text  # the turn stored just before, caught up


async def test_what_another_process_wrote_is_found_on_the_next_recall(
    rt: Runtime, tmp_path: Path
) -> None:
    here, there = service(rt), other_process(rt, tmp_path)
    pid = await person(rt, "1")
    await say(rt, here, pid, "user", "I adopted a cat")
    assert "Biscuit" not in (await recall_memory(here, pid, "cat", budget=BUDGET)).text
    # The second worker answers the next message and extracts a fact from it.
    await say(rt, there, pid, "user", "the cat is called Biscuit")
    await there.remember(pid, "Their cat is called Biscuit.", kind="person")
    part = await recall_memory(here, pid, "what is the cat called", budget=BUDGET)
    assert "they: “the cat is called Biscuit”" in part.text
    assert "Their cat is called Biscuit." in part.text
    assert await here.fact_count(pid, catch_up=False) == 1
    with statements(rt) as seen:  # nothing new: no second read of the facts
        await recall_memory(here, pid, "cat", budget=BUDGET)
    assert len(seen) == 1
    await there.close()


async def test_a_new_fact_of_another_person_is_never_taken_for_this_ones(
    rt: Runtime, tmp_path: Path
) -> None:
    here, there = service(rt), other_process(rt, tmp_path)
    ada, bob = await person(rt, "1"), await person(rt, "2")
    await here.remember(bob, "Bob keeps bees.")
    await recall_memory(here, ada, "bees", budget=BUDGET)
    await recall_memory(here, bob, "bees", budget=BUDGET)
    await there.remember(ada, "Ada keeps goats.")  # a newer id, for Ada only
    bobs = await recall_memory(here, bob, "what animals do I keep", budget=BUDGET)
    adas = await recall_memory(here, ada, "what animals do I keep", budget=BUDGET)
    assert "goats" not in bobs.text and "Bob keeps bees." in bobs.text
    assert "goats" in adas.text and "bees" not in adas.text
    await there.close()


async def test_erasure_and_forgetting_leave_nothing_in_what_is_kept(rt: Runtime) -> None:
    mem = service(rt)
    ada, bob = await person(rt, "1"), await person(rt, "2")
    await mem.remember(ada, "Their sister Anna lives in Lyon.")
    secret = await say(rt, mem, ada, "user", "my pin code is hidden under the porcupine")
    await say(rt, mem, ada, "assistant", "noted")
    await say(rt, mem, bob, "user", "I like porcupines too")
    await recall_memory(mem, ada, "porcupine", budget=BUDGET)
    await mem.forget_turns(ada, [secret])
    talk = await mem.talk.person(ada) if mem.talk is not None else None
    assert talk is not None
    assert all("porcupine" not in t.text for t in talk.turns)
    assert all("porcupine" not in c for c in talk.recent_terms.values())
    assert not talk.keyword.top("porcupine", 5)
    assert "porcupine" not in (await recall_memory(mem, ada, "porcupine", budget=BUDGET)).text
    await rt.erase_person(ada)
    assert mem.talk is not None and mem.talk.cached(ada) is None
    assert ada not in mem._facts and ada not in mem._newest_fact
    assert (await recall_memory(mem, ada, "Anna sister", budget=BUDGET)).text == ""
    # The other person's memory is untouched.
    assert "porcupines" in (await recall_memory(mem, bob, "porcupine", budget=BUDGET)).text


WORDS = ["rye", "bread", "Neukölln", "Kyoto", "café", "running", "runs", "O'Brien's", "東京都"]


def random_turns(seed: int, n: int) -> list[TalkTurn]:
    rng = random.Random(seed)
    at = datetime(2026, 5, 1, 9, tzinfo=UTC)
    turns = []
    for i in range(n):
        at += timedelta(minutes=rng.choice([1, 5, 30, 60 * 5]))  # some new sessions
        words = rng.choices([*WORDS, "the", "and", "\u0301", "—", "ﬁsh"], k=rng.randint(1, 9))
        turns.append(TalkTurn(i + 1, rng.choice(["user", "assistant"]), " ".join(words), at))
    return turns


class TextIndexedTalk(PersonTalk):
    """Windows indexed by reading their text, as before the counts were kept."""

    def _put(self, start: int, end: int) -> None:
        old = self.by_start.get(start)
        key = Window.key(self.turns[start], self.turns[end - 1])
        if old == key:
            return
        if old is not None:
            self.windows.pop(old, None)
            self.keyword.remove(old)
        self.windows[key] = Window(key, start, end)
        self.by_start[start] = key
        self.keyword.add(key, self.text(self.windows[key]))


@pytest.mark.parametrize("seed", range(5))
def test_windows_indexed_from_counts_score_as_from_their_text(seed: int) -> None:
    talk, by_text = PersonTalk(), TextIndexedTalk()
    for turn in random_turns(seed, 60):
        talk.append(turn)
        by_text.append(turn)
    assert len(talk.recent_terms) <= 4
    assert talk.windows == by_text.windows
    for query in ["bread rye", "Kyoto café", "running", "東京", "O'Brien", "fish", "the"]:
        assert talk.keyword.top(query, 50, ASKING) == by_text.keyword.top(query, 50, ASKING)


@pytest.mark.parametrize("seed", range(5))
async def test_the_parts_tokens_are_the_count_of_its_text(seed: int) -> None:
    talk = PersonTalk()
    for turn in random_turns(seed, 40):
        talk.append(turn)
    await warm(talk)
    assert talk.warmed == 40 and len(talk.shown) == 40
    rng = random.Random(seed)
    chosen = Selection(talk, 10_000)
    for key in rng.sample(sorted(talk.windows), k=len(talk.windows) // 2):
        chosen.take_window(talk.windows[key])
    part = render(chosen)
    assert part.tokens == count_tokens(part.text) > 0
    talk.append(TalkTurn(99, "user", "one more", talk.turns[-1].at + timedelta(minutes=1)))
    await warm(talk)  # only the new turn
    assert talk.warmed == 41 and 99 in talk.shown


async def test_offline_without_the_model_no_thread_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed = MiniLM()
    embed.DOWNLOAD_PATH = str(tmp_path)  # no model there
    vectors = VectorIndex(embed, path=tmp_path / "chroma")
    embed._failed_at = None
    started: list[object] = []

    async def to_thread(*args: object) -> None:
        started.append(args)
        raise EmbeddingUnavailable("the model is not there")

    monkeypatch.setattr("memory.semantic.vectors.asyncio.to_thread", to_thread)
    with pytest.raises(EmbeddingUnavailable):
        await vectors.upsert(1, ["1"], ["text"])
    assert len(started) == 1  # the first time, the thread finds out

    embed._failed_at = time.monotonic()  # as the failed download leaves it
    for call in (
        vectors.upsert(1, ["1"], ["text"]),
        vectors.embed_query("text"),
        vectors.search_spaces(1, "text", 5, ("person",)),
    ):
        with pytest.raises(EmbeddingUnavailable):
            await call
    assert len(started) == 1
    embed._failed_at = time.monotonic() - RETRY_DOWNLOAD_AFTER - 1  # time to try again
    with pytest.raises(EmbeddingUnavailable):
        await vectors.upsert(1, ["1"], ["text"])
    assert len(started) == 2


async def test_a_small_memory_shown_whole_is_what_the_ranking_gives(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shortcut for a small memory (no ranking when all of it fits) gives the
    same part as the ranking, for any question and budget; facts said at the same
    moment (ordered by the ranking) and budgets too small take the ranking."""
    from memory.semantic import recall

    mem = service(rt)
    rng = random.Random(3)
    ranked_only = recall._whole

    async def never(*_args: object) -> None:
        return None

    taken: list[bool] = []

    async def counted(*args: Any) -> recall.Selection | None:
        found = await ranked_only(*args)
        taken.append(found is not None)
        return found

    for n in range(8):
        pid = await person(rt, str(100 + n))
        start = rt.clock.now()
        for _ in range(rng.randint(1, 40)):
            text = " ".join(rng.choices([*WORDS, "the", "and", "sister", "Lyon"], k=5))
            turn_id = await say(rt, mem, pid, rng.choice(["user", "assistant"]), text)
            rt.clock.advance(minutes=rng.choice([1, 2, 60 * 5]))  # type: ignore[attr-defined]
        for i in range(rng.randint(0, 5)):
            said = start + timedelta(minutes=rng.choice([i, 0]))  # some said together
            await mem.remember(pid, f"Fact {i}: {rng.choice(WORDS)} {n}.", said_at=said)
        await mem.settle()  # every window has its vector: both ways search the same
        for query in ["sister in Lyon", "bread", "Kyoto café running"]:
            for budget in [60, 300, 2000]:
                exclude = {turn_id}
                monkeypatch.setattr(recall, "_whole", counted)
                fast = await recall_memory(mem, pid, query, budget=budget, exclude_turn_ids=exclude)
                monkeypatch.setattr(recall, "_whole", never)
                slow = await recall_memory(mem, pid, query, budget=budget, exclude_turn_ids=exclude)
                assert fast == slow
    assert any(taken) and not all(taken)  # both ways were compared


@pytest.mark.parametrize("seed", range(6))
def test_what_a_sync_embeds_and_deletes_is_what_comparing_all_windows_gives(seed: int) -> None:
    """The windows without a vector and the vectors of windows gone, kept as the
    windows change, are always those found by comparing every window with the set of
    vectors, whatever happens between syncs (a window growing while its vector is
    made, vectors read again from Chroma, a live window's vector deleted)."""
    rng = random.Random(seed)
    talk = PersonTalk()
    turns = random_turns(seed, 120)
    for turn in turns[:10]:
        talk.append(turn)
    talk.embedded = set()
    in_flight: list[str] = []
    for turn in turns[10:]:
        talk.append(turn)
        step = rng.random()
        if step < 0.3:
            in_flight = [w.id for w in talk.pending()[: rng.randint(0, 3)]]
        elif step < 0.6:
            talk.vectors_written(in_flight)  # some may have grown meanwhile
            in_flight = []
        elif step < 0.75:
            talk.vectors_deleted(talk.stale())
        elif step < 0.8:
            talk.embedded = set(rng.sample(sorted(talk.windows), k=len(talk.windows) // 2))
        elif step < 0.85 and talk.embedded:
            talk.vectors_deleted(rng.sample(sorted(talk.embedded), k=1))  # maybe a live one
        embedded = talk.embedded
        assert talk.pending() == [w for k, w in talk.windows.items() if k not in embedded]
        assert sorted(talk.stale()) == sorted(k for k in embedded if k not in talk.windows)
