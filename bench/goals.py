"""How long goal features add to a turn, on SQLite, for a heavy user: N active goals
with a year of daily progress each. Prints medians and p95 over many runs.

    python bench/goals.py [--goals 10] [--days 365] [--runs 50]

The last line is exactly: context_ms=<median> listing_ms=<median> log_ms=<median>
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings
from bot.runtime import build_runtime
from bot.turn import TurnInput
from bot.types import ChannelRef, Identity, IncomingMessage
from memory.goals_schema import ProgressRow


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)


def summary(name: str, samples: list[float]) -> float:
    ms = sorted(s * 1000 for s in samples)
    median = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"{name:<28} median {median:7.2f} ms   p95 {p95:7.2f} ms   (n={len(ms)})")
    return median


async def main(goals: int, days: int, runs: int) -> None:
    now = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), scheduler_enabled=False)  # type: ignore[call-arg]
        rt = await build_runtime(settings, clock=FixedClock(now), model=None)
        try:
            msg = IncomingMessage(Identity("console", "bench"), ChannelRef("console", "bench"))
            person = await rt.people.resolve(msg.identity, now=now)
            await rt.people.update(person.id, timezone="America/New_York")
            service = rt.services.goals
            store = service.store
            for g in range(goals):
                goal = await store.add(person.id, f"Habit {g}", now=now, cadence="daily")
                async with rt.db.session() as s:  # one transaction: setup, not measured
                    for d in range(days):
                        at = now - timedelta(days=d, hours=g % 5)
                        s.add(ProgressRow(goal_id=goal.id, person_id=person.id, at=at,
                                          note="done", created_at=at))  # fmt: skip
            print(f"{goals} goals x {days} days of progress, SQLite, America/New_York")
            provider = rt.companion.hooks.context[-1]
            person = await rt.people.get(person.id) or person
            turn = TurnInput(person=person, message=msg, text="ran 5k")
            context, listing, logging = [], [], []
            for _ in range(runs):
                started = time.perf_counter()
                await provider(turn)
                context.append(time.perf_counter() - started)
                started = time.perf_counter()
                await rt.companion.handle(IncomingMessage(msg.identity, msg.channel, "/goals"))
                listing.append(time.perf_counter() - started)
                started = time.perf_counter()
                await rt.companion.handle(
                    IncomingMessage(msg.identity, msg.channel, "/goals log 1 5k")
                )
                logging.append(time.perf_counter() - started)
            c = summary("goals context (per turn)", context)
            li = summary("/goals listing", listing)
            lo = summary("/goals log", logging)
            print(f"context_ms={c:.2f} listing_ms={li:.2f} log_ms={lo:.2f}")
        finally:
            await rt.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=50)
    a = parser.parse_args()
    asyncio.run(main(a.goals, a.days, a.runs))
