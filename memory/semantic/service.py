"""MemoryService: what the rest of the companion uses to remember and recall.

Hybrid retrieval: dense (MiniLM in Chroma) and keyword (BM25) rankings fused by
reciprocal rank, with a small boost for recent memories. Every call is scoped by the
person id given by the caller (the core), never by anything a model produced."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.tokens import count_tokens
from memory.semantic.guard import MemoryRejected, looks_like_instructions
from memory.semantic.keyword import BM25
from memory.semantic.schema import KINDS
from memory.semantic.store import Memory, MemoryStore, NewMemory
from memory.semantic.vectors import DenseHit, EmbeddingUnavailable, VectorIndex

MAX_MEMORY_CHARS = 2000
RRF_K = 60
RECENCY_WEIGHT = 0.1
RECENCY_HALF_LIFE_DAYS = 60.0


@dataclass(frozen=True, slots=True)
class Recalled:
    memory: Memory
    score: float
    similarity: float  # cosine similarity of the dense match, 0 when not matched
    keyword: float  # BM25 score, 0 when no word matched


@dataclass
class _Keywords:
    version: int
    memories: list[Memory]
    index: BM25


def normalized(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _meta(memory: Memory) -> dict[str, Any]:
    return {"kind": memory.kind, "said_at": memory.said_at.timestamp()}


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


class MemoryService:
    def __init__(self, store: MemoryStore, vectors: VectorIndex, clock: Clock) -> None:
        self.store = store
        self.vectors = vectors
        self.clock = clock
        self._keywords: dict[int, _Keywords] = {}
        self.dense_weight = 1.0  # relative weights of the two rankings in the fusion
        self.keyword_weight = 1.0
        self._versions: dict[int, int] = {}

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
        )
        return (await self.remember_many(person_id, [item]))[0]

    async def recall(self, person_id: int, query: str, k: int = 10) -> list[str]:
        return [r.memory.text for r in await self.search(person_id, query, k)]

    # ------------------------------------------------------------------ writing

    @staticmethod
    def clean(text: str) -> str:
        text = " ".join((text or "").split())
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
        known: dict[str, str] = {}
        if dedupe:
            known = {
                normalized(m.text): m.id for m in (await self._keyword_index(person_id)).memories
            }
        fresh: list[NewMemory] = []
        for item in items:
            key = normalized(item.text)
            if key not in known:
                known[key] = ""
                fresh.append(item)
        added = await self.store.add_many(person_id, fresh, self.clock.now()) if fresh else []
        for memory in added:
            known[normalized(memory.text)] = memory.id
        self._touch(person_id)
        try:
            await self.vectors.upsert(
                person_id,
                [m.id for m in added],
                [m.text for m in added],
                [_meta(m) for m in added],
            )
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
        """Replace a memory's text; the old text stays in its history."""
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
            self._touch(person_id)
            await self.vectors.upsert(person_id, [updated.id], [updated.text], [_meta(updated)])
        return updated

    async def retire(self, person_id: int, memory_id: str, *, why: str) -> bool:
        """No longer true (contradicted): kept for the audit trail, never recalled."""
        done = await self.store.retire(person_id, memory_id, now=self.clock.now(), why=why)
        if done:
            self._touch(person_id)
            await self.vectors.delete(person_id, [str(memory_id)])
        return done

    async def forget(self, person_id: int, memory_ids: Sequence[str]) -> list[str]:
        """Delete outright, at the person's request."""
        gone = await self.store.delete(person_id, list(memory_ids))
        if gone:
            self._touch(person_id)
            await self.vectors.delete(person_id, gone)
        return gone

    def _touch(self, person_id: int) -> None:
        self._versions[person_id] = self._versions.get(person_id, 0) + 1
        self._keywords.pop(person_id, None)

    # ------------------------------------------------------------------ reading

    async def _keyword_index(self, person_id: int) -> _Keywords:
        cached = self._keywords.get(person_id)
        if cached is not None:
            return cached
        version = self._versions.get(person_id, 0)
        memories = await self.store.active(person_id)
        built = _Keywords(version, memories, BM25([m.text for m in memories]))
        if self._versions.get(person_id, 0) == version:
            self._keywords[person_id] = built
        return built

    async def search(
        self, person_id: int, query: str, k: int = 10, *, spread: bool = False
    ) -> list[Recalled]:
        """The k memories most relevant to ``query``, best first. ``spread`` skips a
        memory whose source turns mostly repeat those of a better one (overlapping
        windows of a conversation), so k results cover more of it."""
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        keywords = await self._keyword_index(person_id)
        if not keywords.memories:
            return []
        pool = max(k * 5, 50)
        try:
            vector = await self.vectors.embed_query(query)
            dense = await self.vectors.query(person_id, vector, pool)
        except EmbeddingUnavailable:
            dense = []  # offline without the model: by words only (logged once)
        fused = self._fuse(keywords, dense, keywords.index.top(query, pool), pool)
        return spread_out(fused, k) if spread else fused[:k]

    def _fuse(
        self,
        keywords: _Keywords,
        dense: list[DenseHit],
        sparse: list[tuple[int, float]],
        k: int,
    ) -> list[Recalled]:
        by_id = {m.id: m for m in keywords.memories}
        scores: dict[str, float] = {}
        similarity: dict[str, float] = {}
        keyword: dict[str, float] = {}
        for rank, hit in enumerate(dense):
            if hit.id in by_id:
                scores[hit.id] = scores.get(hit.id, 0.0) + self.dense_weight / (RRF_K + rank)
                similarity[hit.id] = 1.0 - hit.distance
        for rank, (index, score) in enumerate(sparse):
            memory_id = keywords.memories[index].id
            scores[memory_id] = scores.get(memory_id, 0.0) + self.keyword_weight / (RRF_K + rank)
            keyword[memory_id] = score
        now = self.clock.now()
        out = []
        for memory_id, score in scores.items():
            memory = by_id[memory_id]
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
        """Existing memories close to ``text``: the candidates a new one may update."""
        return [r for r in await self.search(person_id, text, k) if r.similarity >= 0.45]

    async def get(self, person_id: int, memory_id: str) -> Memory | None:
        return await self.store.get(person_id, memory_id)

    async def page(self, person_id: int, offset: int, limit: int) -> tuple[list[Memory], int]:
        return await self.store.page(person_id, offset, limit)

    async def active(self, person_id: int) -> list[Memory]:
        return list((await self._keyword_index(person_id)).memories)

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

    # ------------------------------------------------------------------ privacy

    async def export(self, person_id: int) -> list[dict[str, Any]]:
        return [m.as_dict() for m in await self.store.all(person_id)]

    async def erase(self, person_id: int) -> None:
        """Rows, vectors and the collection's files."""
        await self.store.erase(person_id)
        self._touch(person_id)
        await self.vectors.drop(person_id)

    async def close(self) -> None:
        await asyncio.sleep(0)
        await self.vectors.close()
