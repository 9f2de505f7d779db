"""Recall latency for one person with 10,000 facts and 50,000 turns.

The person's turns are written to the turns table and the facts to the memories
table in bulk; the conversation index is then built from the table as the bot does
after a restart. Computing 35,000 MiniLM vectors would take most of an hour on two
cores, so the stores get real MiniLM vectors of a pool of distinct texts (reused,
with a little noise): the index sizes are the real ones. What is timed is the live
recall path with the default settings: the query's embedding, both Chroma queries,
both keyword indexes, fusion, the budget and the rendering (``recall_memory``).

    python bench/memory_latency.py
    python bench/memory_latency.py --facts 1000 --turns 5000 --queries 100
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory_standin import model_dir
from bot.config import Settings
from bot.memories.context import memory_budget
from bot.runtime import build_runtime
from bot.types import Identity
from memory.schema import TurnRow
from memory.semantic.recall import recall_memory
from memory.semantic.service import MemoryService
from memory.semantic.store import NewMemory
from memory.semantic.vectors import FACTS, TALK

WORDS = """garden sister brother marathon kitchen guitar Lisbon Porto Berlin Kyoto office
manager dentist birthday cake hiking trail lake coffee tea bread oven novel poetry chess
piano violin camping tent beach museum painting sunrise dog cat parrot vet doctor knee
ankle physio salary rent flat lease bike train ferry wedding anniversary promotion
interview exam diploma course teacher student neighbour friend cousin aunt grandma
holiday flight passport visa recipe soup pasta curry vegan salmon allergy peanuts""".split()
SUBJECTS = ["I", "my sister", "we", "my friend Ola", "my manager", "the kids", "my partner"]
VERBS = ["talked about", "bought", "visited", "planned", "finished", "hated", "loved", "fixed"]


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, 3)
    who, did = rng.choice(SUBJECTS), rng.choice(VERBS)
    return f"{who} {did} the {words[0]} near the {words[1]}, {words[2]} too"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main_async(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            embedding_model_dir=args.embedding_model_dir,
        )
        runtime = await build_runtime(settings, model=None)
        service: MemoryService = runtime.services.memory
        assert service.talk is not None
        try:
            start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
            person = await runtime.people.resolve(Identity("console", "bench"), now=start)
            began = time.perf_counter()
            rows, at = [], start
            for i in range(args.turns):
                at += timedelta(days=2) if i % 20 == 0 else timedelta(minutes=2)
                role = "user" if i % 2 == 0 else "assistant"
                rows.append(
                    {
                        "person_id": person.id,
                        "role": role,
                        "content": sentence(rng),
                        "created_at": at,
                        "platform": "console",
                        "meta": {"private": True},
                    }
                )
            async with runtime.db.transaction() as conn:
                for chunk in range(0, len(rows), 5000):
                    await conn.execute(insert(TurnRow), rows[chunk : chunk + 5000])
            facts = [
                NewMemory(f"{sentence(rng)}.", said_at=start + timedelta(hours=i))
                for i in range(args.facts)
            ]
            added = await service.store.add_many(person.id, facts, start)
            pool_texts = [sentence(rng) for _ in range(args.pool)]
            pool = service.vectors.embed(pool_texts)
            talk = await service.talk.person(person.id)  # built from the table
            # Their vectors are given below: the background pass must not compute them.
            talk.embedded = set(talk.windows)
            built = time.perf_counter() - began

            def vectors(n: int) -> np.ndarray:
                picked = np.array([pool[i % len(pool)] for i in range(n)], dtype=np.float32)
                picked += np.random.default_rng(1).normal(0, 0.01, picked.shape).astype(np.float32)
                return picked

            keys = list(talk.windows)
            for chunk in range(0, len(keys), 5000):
                part = keys[chunk : chunk + 5000]
                await asyncio.to_thread(
                    service.vectors._upsert_vectors, person.id, TALK, part, vectors(len(part))
                )
            ids = [m.id for m in added]
            for chunk in range(0, len(ids), 5000):
                part = ids[chunk : chunk + 5000]
                await asyncio.to_thread(
                    service.vectors._upsert_vectors, person.id, FACTS, part, vectors(len(part))
                )
            await service.settle()  # the background pass a loaded person gets
            print(
                f"person: {len(await service.active(person.id))} facts, {len(talk.turns)} turns, "
                f"{len(talk.windows)} windows; tables and index built in {built:.1f} s"
            )
            budget = memory_budget(settings)
            queries = [
                f"what did {rng.choice(SUBJECTS)} say about the {rng.choice(WORDS)}?"
                for _ in range(args.queries)
            ]
            first = time.perf_counter()
            await recall_memory(service, person.id, "warm up", budget=budget)
            print(
                f"first recall (Chroma and the model loading): {time.perf_counter() - first:.2f} s"
            )
            timings, cpu, tokens = [], [], []
            for query in queries:
                began, began_cpu = time.perf_counter(), time.process_time()
                part = await recall_memory(service, person.id, query, budget=budget)
                timings.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                tokens.append(part.tokens)
            print(f"memory part tokens: median {statistics.median(tokens):.0f} (budget {budget})")
            print(
                f"recall CPU ms (all threads; what contention cannot inflate): "
                f"p50={pct(cpu, 0.5):.1f} p95={pct(cpu, 0.95):.1f}"
            )
            print(
                f"recall latency ms: p50={pct(timings, 0.5):.1f} p95={pct(timings, 0.95):.1f} "
                f"(n={len(timings)}, {args.facts} facts, {args.turns} turns)"
            )
        finally:
            await runtime.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pool", type=int, default=500, help="distinct texts embedded")
    parser.add_argument("--embedding-model-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    args.embedding_model_dir = model_dir(args.embedding_model_dir)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
