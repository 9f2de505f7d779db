"""What a weekly review costs: many people whose review falls due in the same minute
(Sunday 19:00 in one timezone), swept by the real scheduler code on a fresh SQLite
database, each with three goals and a week of progress; no model (the template
words), a channel that takes every message at once.

    python bench/weekly_review.py [--people 300] [--repeat 3]

Prints, per run, the sweep's wall time and the process's CPU time per review, then
the medians over the runs; and the picture alone (``render_week``), CPU milliseconds
per picture, median and p95 over ``--pictures`` draws. The LAST line is exactly
``sent=<n> doubled=<n> cpu_ms_per_review=<median>``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channel import Handler
from bot.config import Settings
from bot.goals.chart import WeekItem, render_week
from bot.runtime import build_runtime
from bot.types import Capabilities, Identity, OutgoingMessage

MONDAY = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)  # 08:00 in New York
DUE = datetime(2026, 5, 10, 23, 0, tzinfo=UTC)  # Sunday 19:00 in New York


class Clock:
    def __init__(self) -> None:
        self.at = MONDAY

    def now(self) -> datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class Sink:
    platform = "telegram"
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.keys: Counter[str] = Counter()

    async def start(self, handler: Handler) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        assert message.image is not None
        self.keys[message.key or ""] += 1


async def one_run(people: int) -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            scheduler_enabled=False,
            memory_extraction=False,
            ai_notice=False,
            checkins_per_day=0,
        )
        clock = Clock()
        rt = await build_runtime(settings, clock=clock, model=None)
        sink = Sink()
        rt.outbox.register(sink)
        goals = rt.services.goals
        schedule = rt.services.checkins
        for n in range(people):
            person = await rt.people.resolve(Identity("telegram", str(1000 + n)), now=MONDAY)
            await rt.people.update(person.id, timezone="America/New_York")
            run = await goals.add(person.id, "Run 3 times a week")
            read = await goals.add(person.id, "Read")
            stretch = await goals.add(person.id, "Stretch every day")
            for day in range(n % 4):
                await goals.log(person.id, run, at=MONDAY + timedelta(days=day))
            await goals.log(person.id, read, amount=10 + n % 30, at=MONDAY + timedelta(days=2))
            for day in range(n % 7):
                await goals.log(person.id, stretch, at=MONDAY + timedelta(days=day, hours=2))
            await schedule.reschedule(person.id)
        clock.at = DUE
        cpu, wall = time.process_time(), time.perf_counter()
        counts = await schedule.run_due(DUE)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        await rt.close()
    doubled = sum(c - 1 for c in sink.keys.values() if c > 1)
    return wall, cpu * 1000 / max(counts["review_sent"], 1), counts["review_sent"], doubled


def pictures(n: int) -> list[float]:
    items = [
        WeekItem("Run 3 times a week", "times", 2, 3.0),
        WeekItem("Read", "amount", 35, None),
        WeekItem("Stretch every day", "times", 5, 7.0),
    ]
    render_week(items, date(2026, 5, 4))  # the first draw pays for importing matplotlib
    out = []
    for _ in range(n):
        start = time.process_time()
        render_week(items, date(2026, 5, 4))
        out.append((time.process_time() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pictures", type=int, default=50)
    args = parser.parse_args()
    draws = sorted(pictures(args.pictures))
    p95 = draws[min(len(draws) - 1, int(0.95 * len(draws)))]
    print(f"picture alone: cpu {statistics.median(draws):.1f} ms median, {p95:.1f} ms p95")
    per_review, walls, sent_total, doubled_total = [], [], 0, 0
    for i in range(args.repeat):
        wall, cpu_ms, sent, doubled = asyncio.run(one_run(args.people))
        per_review.append(cpu_ms)
        walls.append(wall)
        sent_total += sent
        doubled_total += doubled
        print(f"run {i + 1}: {sent} reviews in {wall:.1f} s wall, {cpu_ms:.1f} ms cpu per review")
    print(
        f"medians over {args.repeat} runs of {args.people} people: "
        f"{statistics.median(walls):.1f} s wall per sweep, "
        f"{statistics.median(per_review):.1f} ms cpu per review"
    )
    print(
        f"sent={sent_total} doubled={doubled_total} "
        f"cpu_ms_per_review={statistics.median(per_review):.1f}"
    )


if __name__ == "__main__":
    main()
