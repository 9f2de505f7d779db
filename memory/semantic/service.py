"""MemoryService: what the rest of the companion uses to remember and recall.

Two kinds of memory per person: facts (a relational row each, extracted by the model
or told) and the conversation itself (memory/semantic/conversation.py). Both are
searched hybrid: dense (MiniLM in Chroma) and keyword (BM25) rankings fused by
reciprocal rank. Every call is scoped by the person id given by the caller (the
core), never by anything a model produced."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.tokens import count_tokens
from memory.scrub import compact
from memory.semantic.catchup import turns_and_newest_fact
from memory.semantic.conversation import ConversationIndex, PersonTalk, Spawn
from memory.semantic.guard import MemoryRejected, clean, looks_like_instructions
from memory.semantic.keyword import KeywordIndex
from memory.semantic.schema import KINDS
from memory.semantic.store import Memory, MemoryStore, NewMemory
from memory.semantic.vectors import FACTS, TALK, DenseHit, EmbeddingUnavailable, VectorIndex
from memory.turns import Turn, TurnStore

log = logging.getLogger(__name__)

MAX_MEMORY_CHARS = 2000
RRF_K = 60
RECENCY_WEIGHT = 0.1
RECENCY_HALF_LIFE_DAYS = 60.0
SIMILAR = 0.45  # cosine similarity above which a fact may be a version of another


@dataclass(frozen=True, slots=True)
class Recalled:
    memory: Memory
    score: float
    similarity: float  # cosine similarity of the dense match, 0 when not matched
    keyword: float  # BM25 score, 0 when no word matched


@dataclass
class _Facts:
    """A person's active facts, in memory, with their keyword index."""

    memories: dict[str, Memory] = field(default_factory=dict)
    index: KeywordIndex[str] = field(default_factory=KeywordIndex)
    last_id: int = 0
    keys: dict[str, str] = field(default_factory=dict)  # normalised text -> id

    def put(self, memory: Memory) -> None:
        from memory.semantic.recall import fact_tokens  # the renderer owns the format

        fact_tokens(memory)  # costed once, when it is stored or read, not when recalled
        old = self.memories.get(memory.id)
        if old is not None:
            self.keys.pop(normalized(old.text), None)
        self.memories[memory.id] = memory
        self.keys[normalized(memory.text)] = memory.id
        self.index.add(memory.id, memory.text)
        self.last_id = max(self.last_id, int(memory.id))

    def drop(self, memory_id: str) -> None:
        old = self.memories.pop(memory_id, None)
        if old is not None:
            self.keys.pop(normalized(old.text), None)
        self.index.remove(memory_id)


def normalized(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def about_key(value: Any) -> str | None:
    """What a fact is about, as a short key: "Home" and "home " are one subject."""
    if not isinstance(value, str):
        return None
    key = " ".join(re.findall(r"[^\W_]+(?::[^\W_]+)?", value.casefold()))[:64]
    return key or None


def spread_out(ranked: list[Recalled], k: int) -> list[Recalled]:
    seen: set[int] = set()
    kept: list[Recalled] = []
    for item in ranked:
        sources = set(item.memory.source_turn_ids)
        if len(sources) > 1 and len(sources & seen) * 2 >= len(sources):
            continue
        kept.append(item)
        seen |= sources
        if len(kept) == k:
            break
    return kept


def fuse(
    rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None
) -> dict[str, float]:
    """Reciprocal-rank fusion of several rankings of ids."""
    out: dict[str, float] = {}
    for n, ranking in enumerate(rankings):
        weight = weights[n] if weights else 1.0
        for rank, key in enumerate(ranking):
            out[key] = out.get(key, 0.0) + weight / (RRF_K + rank)
    return out


class MemoryService:
    def __init__(
        self,
        store: MemoryStore,
        vectors: VectorIndex,
        clock: Clock,
        turns: TurnStore | None = None,
        *,
        spawn: Spawn | None = None,
    ) -> None:
        self.store = store
        self.vectors = vectors
        self.clock = clock
        self.turns = turns
        self.talk = (
            ConversationIndex(turns, vectors, spawn=spawn, since=self._turns_since)
            if turns is not None
            else None
        )
        self.spawn: Spawn = spawn or asyncio.ensure_future
        self._facts: dict[int, _Facts] = {}
        # The newest fact id per person, read with the conversation's catch-up (one
        # statement): taken by the recall that made that read, right after it.
        self._newest_fact: dict[int, int] = {}
        self._loading: dict[int, asyncio.Lock] = {}
        self._scrubbing: set[int] = set()
        self.dense_weight = 1.0  # relative weights of the two rankings in the fusion
        self.keyword_weight = 1.0

    # ------------------------------------------------------------------ contract

    async def remember(
        self,
        person_id: int,
        text: str,
        *,
        kind: str = "fact",
        source_turn_ids: list[int] | None = None,
        platform: str | None = None,
        refers_to: datetime | None = None,
        said_at: datetime | None = None,
        origin: str = "told",
        about: str | None = None,
        history: Sequence[dict[str, Any]] = (),
    ) -> str:
        """Store one memory and return its id; an identical one is not stored twice.
        Raises MemoryRejected for empty, oversized or instruction-like text."""
        item = NewMemory(
            text=self.clean(text),
            kind=kind if kind in KINDS else "fact",
            said_at=said_at,
            refers_to=refers_to,
            source_turn_ids=tuple(source_turn_ids or ()),
            platform=platform,
            origin=origin,
            about=about_key(about),
            history=tuple(history),
        )
        return (await self.remember_many(person_id, [item]))[0]

    async def recall(self, person_id: int, query: str, k: int = 10) -> list[str]:
        """The texts of the k facts most relevant to ``query`` (check-ins use it)."""
        return [r.memory.text for r in await self.search(person_id, query, k)]

    # ------------------------------------------------------------------ writing

    @staticmethod
    def clean(text: str) -> str:
        text = " ".join(clean(text or "").split())
        if not text:
            raise MemoryRejected("there is nothing to remember")
        if len(text) > MAX_MEMORY_CHARS:
            raise MemoryRejected("that is too long to keep as one memory")
        if looks_like_instructions(text):
            raise MemoryRejected("that reads like an instruction, not something about you")
        return text

    async def remember_many(
        self, person_id: int, items: Sequence[NewMemory], *, dedupe: bool = True
    ) -> list[str]:
        """Store several memories in one go (one embedding batch). Returns an id per
        item: the existing one for an exact duplicate."""
        facts = await self._facts_of(person_id)
        known: dict[str, str] = dict(facts.keys) if dedupe else {}
        fresh: list[NewMemory] = []
        for item in items:
            key = normalized(item.text)
            if key not in known or not dedupe:
                known[key] = ""
                fresh.append(item)
        added = await self.store.add_many(person_id, fresh, self.clock.now()) if fresh else []
        for memory in added:
            known[normalized(memory.text)] = memory.id
            facts.put(memory)
        try:
            await self.vectors.upsert(person_id, [m.id for m in added], [m.text for m in added])
        except EmbeddingUnavailable:
            pass  # offline without the model: kept, and found by its words (logged once)
        return [known[normalized(item.text)] for item in items]

    async def update(
        self,
        person_id: int,
        memory_id: str,
        text: str,
        *,
        why: str = "updated",
        kind: str | None = None,
        refers_to: datetime | None = None,
        source_turn_ids: Sequence[int] = (),
    ) -> Memory | None:
        """Replace a memory's text; the old text stays in its history (shown as
        earlier), and its old vector is scrubbed from Chroma's files."""
        updated = await self.store.update_text(
            person_id,
            memory_id,
            self.clean(text),
            now=self.clock.now(),
            why=why,
            kind=kind if kind in KINDS else None,
            refers_to=refers_to,
            source_turn_ids=tuple(source_turn_ids),
        )
        if updated is not None:
            (await self._facts_of(person_id)).put(updated)
            await self.vectors.upsert(person_id, [updated.id], [updated.text])
            self._scrub_later(person_id)
        return updated

    async def retire(self, person_id: int, memory_id: str, *, why: str) -> bool:
        """No longer true (contradicted): kept as history, recalled only as "earlier"
        next to what replaced it; its vector leaves every store."""
        done = await self.store.retire(person_id, memory_id, now=self.clock.now(), why=why)
        if done:
            (await self._facts_of(person_id)).drop(str(memory_id))
            await self.vectors.delete(person_id, [str(memory_id)])
            self._scrub_later(person_id)
        return done

    async def replace(
        self, person_id: int, old: Memory, item: NewMemory, *, why: str
    ) -> str | None:
        """A new fact that replaces ``old``: the old one is retired and its text kept
        in the new one's history, so recall shows it as earlier."""
        if not await self.retire(person_id, old.id, why=why):
            return None
        earlier = [
            *old.history,
            {
                "id": old.id,
                "text": old.text,
                "said": old.said_at.isoformat(),
                "until": (item.said_at or self.clock.now()).isoformat(),
                "why": why,
            },
        ]
        return (
            await self.remember_many(
                person_id,
                [
                    NewMemory(
                        text=self.clean(item.text),
                        kind=item.kind,
                        said_at=item.said_at,
                        refers_to=item.refers_to,
                        source_turn_ids=item.source_turn_ids,
                        platform=item.platform,
                        origin=item.origin,
                        about=item.about or old.about,
                        history=tuple(earlier),
                    )
                ],
                dedupe=False,
            )
        )[0]

    async def forget(
        self, person_id: int, memory_ids: Sequence[str], *, with_sources: bool = True
    ) -> list[str]:
        """Delete outright, at the person's request: the memories, the earlier versions
        they replaced, and (``with_sources``) the messages they were made from, from
        the tables, the keyword indexes and Chroma, compacted on disk."""
        wanted = [m for m in (await self.store.get_many(person_id, list(memory_ids))).values()]
        if not wanted:
            return []
        earlier = {str(h["id"]) for m in wanted for h in m.history if h.get("id")}
        gone = await self.store.delete(person_id, [*(m.id for m in wanted), *earlier])
        facts = await self._facts_of(person_id)
        for memory_id in gone:
            facts.drop(memory_id)
        await self.vectors.delete(person_id, gone)
        await self.vectors.scrub(person_id, FACTS)
        sources = sorted({t for m in wanted for t in m.source_turn_ids})
        if with_sources and sources:
            await self.forget_turns(person_id, sources, compact_now=False)
        await compact(self.store.db)
        return [m.id for m in wanted if m.id in gone]

    async def forget_turns(
        self, person_id: int, turn_ids: Sequence[int], *, compact_now: bool = True
    ) -> list[int]:
        """Delete messages of the conversation (and every memory made from them)."""
        if self.turns is None:
            return []
        gone = await self.turns.delete(person_id, list(turn_ids))
        if not gone:
            return []
        derived = await self.store.citing(person_id, set(gone))
        if derived:
            removed = await self.store.delete(person_id, [m.id for m in derived])
            facts = await self._facts_of(person_id)
            for memory_id in removed:
                facts.drop(memory_id)
            await self.vectors.delete(person_id, removed)
            await self.vectors.scrub(person_id, FACTS)
        if self.talk is not None:
            await self.talk.remove_turns(person_id, gone)
        if compact_now:
            await compact(self.store.db)
        return gone

    async def turns_mentioning(self, person_id: int, words: str) -> list[int]:
        """Messages of the conversation (either side) that contain ``words``, matched
        whole-word and case-insensitively ("/forget Anna's address")."""
        phrase = normalized(words)
        if self.turns is None or len(phrase) < 3:
            return []
        pattern = re.compile(rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_])")
        return [
            t.id for t in await self.turns.all(person_id) if pattern.search(normalized(t.content))
        ]

    def _scrub_later(self, person_id: int) -> None:
        """Retire and update leave an old vector in Chroma's queue and files; rebuild
        the person's facts collection soon after (once, however many changes)."""
        if person_id in self._scrubbing:
            return
        self._scrubbing.add(person_id)

        async def scrub() -> None:
            try:
                await asyncio.sleep(0)
                await self.vectors.scrub(person_id, FACTS)
            except Exception:
                log.exception("scrubbing the memory vectors of person %s failed", person_id)
            finally:
                self._scrubbing.discard(person_id)

        self.spawn(scrub())

    # ------------------------------------------------------------------ reading

    async def _facts_of(
        self, person_id: int, *, catch_up: bool = True, newest: int | None = None
    ) -> _Facts:
        """The person's active facts: read once, then caught up with facts another
        process added (rows with a higher id). ``newest``: the newest fact id, read a
        moment ago (then rows are read only when there is a newer one)."""
        facts = self._facts.get(person_id)
        if facts is not None and not catch_up:
            return facts
        lock = self._loading.setdefault(person_id, asyncio.Lock())
        async with lock:
            facts = self._facts.get(person_id)
            if facts is None:
                facts = _Facts()
                for memory in await self.store.active(person_id):
                    facts.put(memory)
                self._facts[person_id] = facts
            elif newest is None:
                for memory in await self.store.active_since(person_id, facts.last_id):
                    facts.put(memory)
            elif newest > facts.last_id:
                for memory in await self.store.active_after(person_id, facts.last_id):
                    facts.put(memory)
            return facts

    async def _turns_since(
        self, person_id: int, after_id: int
    ) -> list[tuple[Turn, dict[str, Any]]]:
        """The conversation index's catch-up, which also notes the newest fact id."""
        newest, rows = await turns_and_newest_fact(self.store.db, person_id, after_id)
        self._newest_fact[person_id] = newest
        return rows

    async def caught_up(self, person_id: int) -> tuple[PersonTalk | None, int]:
        """The person's conversation index and number of active facts, both caught up
        with the tables by one read (recall's first step, each message)."""
        if self.talk is None:
            return None, await self.fact_count(person_id)
        talk = await self.talk.person(person_id)  # reads the newest fact id too
        newest = self._newest_fact.pop(person_id, None)
        facts = await self._facts_of(person_id, newest=newest)
        return talk, len(facts.memories)

    def may_have_vectors(self, person_id: int) -> bool:
        """False only when this process knows the person has no fact and no window
        with a vector yet: then a recall needs no embedding of the query."""
        facts = self._facts.get(person_id)
        talk = self.talk.cached(person_id) if self.talk is not None else None
        if facts is None or (self.talk is not None and talk is None):
            return True
        return bool(facts.memories) or bool(talk is not None and talk.embedded)

    async def search(
        self,
        person_id: int,
        query: str,
        k: int = 10,
        *,
        spread: bool = False,
        vector: Any = None,
        dense: list[DenseHit] | None = None,
        catch_up: bool = True,
    ) -> list[Recalled]:
        """The k facts most relevant to ``query``, best first. ``spread`` skips a fact
        whose source turns mostly repeat those of a better one. ``dense`` hits may be
        given when the caller queried Chroma already."""
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        facts = await self._facts_of(person_id, catch_up=catch_up)
        if not facts.memories:
            return []
        pool = max(k * 5, 50)
        if dense is None:
            try:
                if vector is None:
                    vector = await self.vectors.embed_query(query)
                dense = await self.vectors.query(person_id, vector, pool)
            except EmbeddingUnavailable:
                dense = []  # offline without the model: by words only (logged once)
        fused = self._fuse(facts, dense, facts.index.top(query, pool), pool)
        return spread_out(fused, k) if spread else fused[:k]

    def _fuse(
        self,
        facts: _Facts,
        dense: list[DenseHit],
        sparse: list[tuple[str, float]],
        k: int,
    ) -> list[Recalled]:
        by_id = facts.memories
        dense = [h for h in dense if h.id in by_id]
        scores = fuse(
            [[h.id for h in dense], [key for key, _ in sparse]],
            [self.dense_weight, self.keyword_weight],
        )
        similarity = {h.id: 1.0 - h.distance for h in dense}
        keyword = dict(sparse)
        now = self.clock.now()
        out = []
        for memory_id, score in scores.items():
            memory = by_id.get(memory_id)
            if memory is None:
                continue
            age_days = max(0.0, (now - memory.said_at).total_seconds() / 86400)
            boost = 1 + RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
            out.append(
                Recalled(
                    memory,
                    score * boost,
                    similarity.get(memory_id, 0.0),
                    keyword.get(memory_id, 0.0),
                )
            )
        out.sort(key=lambda r: -r.score)
        return out[:k]

    async def similar(self, person_id: int, text: str, k: int = 5) -> list[Recalled]:
        """Existing memories close to ``text``: candidates a new one may update."""
        return [r for r in await self.search(person_id, text, k) if r.similarity >= SIMILAR]

    async def about(self, person_id: int, about: str | None) -> list[Memory]:
        """Active facts about the same thing: candidates whatever their wording."""
        key = about_key(about)
        return await self.store.about(person_id, key) if key else []

    async def get(self, person_id: int, memory_id: str) -> Memory | None:
        return await self.store.get(person_id, memory_id)

    async def get_many(self, person_id: int, memory_ids: list[str]) -> dict[str, Memory]:
        return await self.store.get_many(person_id, memory_ids)

    async def page(self, person_id: int, offset: int, limit: int) -> tuple[list[Memory], int]:
        return await self.store.page(person_id, offset, limit)

    async def active(self, person_id: int, *, catch_up: bool = True) -> list[Memory]:
        """``catch_up`` False: as this process knows them, when it caught up with the
        table a moment ago in the same turn (each catch-up is a read)."""
        facts = await self._facts_of(person_id, catch_up=catch_up)
        return list(facts.memories.values())  # in id order: the order they were read

    async def fact_count(self, person_id: int, *, catch_up: bool = True) -> int:
        return len((await self._facts_of(person_id, catch_up=catch_up)).memories)

    async def fit(self, recalled: list[Recalled], budget: int) -> list[Recalled]:
        """The best memories that fit in ``budget`` tokens."""
        kept, used = [], 0
        for item in recalled:
            cost = count_tokens(item.memory.text) + 6
            if used + cost > budget:
                continue
            kept.append(item)
            used += cost
        return kept

    # ------------------------------------------------------------------ conversation

    def turns_stored(self, person_id: int, turns: Sequence[Any]) -> None:
        """The engine stored turns: index them (keywords now, vectors soon)."""
        if self.talk is not None:
            self.talk.stored(person_id, turns)

    async def settle(self) -> None:
        """Wait for background indexing (tests, benches)."""
        if self.talk is not None:
            await self.talk.settle()

    # ------------------------------------------------------------------ privacy

    async def export(self, person_id: int) -> list[dict[str, Any]]:
        return [m.as_dict() for m in await self.store.all(person_id)]

    async def export_index(self, person_id: int) -> dict[str, Any]:
        """What the conversation index keeps: which turns, in which windows."""
        if self.talk is None:
            return {}
        talk = await self.talk.person(person_id)
        if not talk.turns:
            return {}
        return {
            "indexed_turn_ids": [t.id for t in talk.turns],
            "windows": sorted(
                [talk.turns[w.start].id, talk.turns[w.end - 1].id] for w in talk.windows.values()
            ),
            "with_vectors": len(talk.embedded or ()),
        }

    async def erase_index(self, person_id: int) -> None:
        """Erased with the memories (``erase``): nothing of its own on disk."""
        if self.talk is not None:
            await self.talk.erase(person_id)

    async def merged_index(self, from_person: int, to_person: int) -> None:
        """Rebuilt for the merged person by ``merge`` (the memories' merger)."""

    async def erase(self, person_id: int) -> None:
        """Rows, vectors of both kinds and the collections' files."""
        await self.store.erase(person_id)
        self._facts.pop(person_id, None)
        self._newest_fact.pop(person_id, None)
        if self.talk is not None:
            await self.talk.erase(person_id)
        await self.vectors.drop(person_id)

    async def merge(self, from_person: int, to_person: int) -> None:
        """/link: the facts move to the other person; both indexes are rebuilt from
        the tables (the turns were moved by the core) and the old vectors dropped."""
        await self.settle()  # no vector of the old person is written after this
        await self.store.move(from_person, to_person)
        for pid in (from_person, to_person):
            self._facts.pop(pid, None)
            self._newest_fact.pop(pid, None)
            if self.talk is not None:
                await self.talk.erase(pid)
        await self.vectors.drop(from_person)
        await self.vectors.drop(to_person)
        facts = await self._facts_of(to_person)
        memories = list(facts.memories.values())
        for start in range(0, len(memories), 64):
            chunk = memories[start : start + 64]
            await self.vectors.upsert(to_person, [m.id for m in chunk], [m.text for m in chunk])
        if self.talk is not None:
            await self.talk.person(to_person)
            self.talk.stored(to_person, [])

    async def close(self) -> None:
        await asyncio.sleep(0)
        await self.vectors.close()


__all__ = ["TALK", "MemoryService", "Recalled", "normalized"]
