"""Core overhead: everything but the model's own time.

N people talk through the real core (storage, locks, prompt assembly, features) with
a chat model that answers instantly. Two shapes, both printed:

- burst: every person sends ``--messages`` messages back to back, all at once (the
  worst case; its latency is mostly queueing, its throughput the core's ceiling);
- steady: every person writes once every ``--interval`` seconds on average (random
  arrivals) for ``--duration`` seconds: latency as people would feel it.

    python bench/core_overhead.py                 # 100 and 1,000 people
    python bench/core_overhead.py --people 1000 --interval 5
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from bot.config import Settings
from bot.runtime import build_runtime
from bot.types import ChannelRef, Identity, IncomingMessage


class InstantModel(BaseChatModel):
    """Answers at once, so the figures are the core's own cost."""

    @property
    def _llm_type(self) -> str:
        return "instant"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> ChatResult:
        last = messages[-1].content
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=f"ok: {last}"))])

    async def _agenerate(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> ChatResult:
        return self._generate(messages)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def report(shape: str, people: int, ms: list[float], elapsed: float) -> None:
    print(
        f"{shape:6} people={people} messages={len(ms)} throughput={len(ms) / elapsed:.0f} msg/s "
        f"p50={statistics.median(ms):.1f}ms p95={percentile(ms, 95):.1f}ms "
        f"p99={percentile(ms, 99):.1f}ms"
    )


async def run(
    people: int,
    messages: int,
    interval: float,
    duration: float,
    data_dir: Path,
    database_url: str | None,
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        database_url=database_url,
        scheduler_enabled=False,
    )
    runtime = await build_runtime(settings, model=InstantModel())
    latencies: list[float] = []

    async def say(i: int, m: int) -> None:
        ident = Identity("bench", str(i))
        msg = IncomingMessage(ident, ChannelRef("bench", str(i)), text=f"message {m} from {i}")
        started = time.perf_counter()
        await runtime.companion.handle(msg)
        latencies.append(time.perf_counter() - started)

    async def burst_person(i: int) -> None:
        for m in range(messages):
            await say(i, m)

    async def steady_person(i: int, rng: random.Random) -> None:
        end = time.perf_counter() + duration
        m = 0
        await asyncio.sleep(rng.uniform(0, interval))
        while time.perf_counter() < end:
            await say(i, m)
            m += 1
            await asyncio.sleep(rng.expovariate(1 / interval))

    # Warm-up: first contact creates each person; measure talking after.
    await asyncio.gather(*(say(i, 0) for i in range(people)))

    latencies.clear()
    started = time.perf_counter()
    await asyncio.gather(*(burst_person(i) for i in range(people)))
    report("burst", people, [v * 1000 for v in latencies], time.perf_counter() - started)

    latencies.clear()
    rng = random.Random(7)
    started = time.perf_counter()
    await asyncio.gather(*(steady_person(i, rng) for i in range(people)))
    report("steady", people, [v * 1000 for v in latencies], time.perf_counter() - started)
    await runtime.companion.drain()
    await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--messages", type=int, default=3, help="per person, in sequence")
    parser.add_argument("--interval", type=float, default=10.0, help="steady: seconds apart")
    parser.add_argument("--duration", type=float, default=20.0, help="steady: seconds to run")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    args = parser.parse_args()
    for n in args.people:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(
                run(n, args.messages, args.interval, args.duration, Path(tmp), args.database_url)
            )


if __name__ == "__main__":
    main()
