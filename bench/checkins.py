"""10,000 people with check-ins due in the same minute: how long until every one is
handed to the channel under Telegram's limits (~30 messages a second overall), the
scheduler's memory, and how many were missed or sent twice (both must be 0).

    python bench/checkins.py [--people 10000] [--rate 30] [--schedulers 1]

Runs the real APScheduler and the real sweep on a fresh SQLite database. A check-in
needs a reason: each person mentioned an exam the day before, so a follow-up is due
(its triggers, the policy and the delivery log all run); no model (the template asks).
The LAST line is exactly ``missed=<n> doubled=<n> seconds=<s>``.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bot.channel import Handler
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.types import Capabilities, Identity, OutgoingMessage
from memory.schedule_schema import CheckinStateRow, FollowupRow
from memory.schema import IdentityRow, PersonRow

DUE = datetime(2026, 5, 4, 16, 0, tzinfo=UTC)  # 18:00 in Berlin, a default check-in time


class BenchClock:
    """Real time passing, starting from a chosen instant."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def jump(self, when: datetime) -> None:
        self.offset = when - datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class TelegramLimitedChannel:
    """A fake Telegram: at most ``rate`` messages a second overall."""

    platform = "telegram"
    capabilities = Capabilities()

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()
        self.received: Counter[str] = Counter()
        self.handed_at: list[float] = []

    async def start(self, handler: Handler) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        async with self._lock:
            now = time.monotonic()
            wait = self._next - now
            self._next = max(now, self._next) + self.interval
        if wait > 0:
            await asyncio.sleep(wait)
        self.received[identity.platform_user_id] += 1
        self.handed_at.append(time.monotonic())


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def populate(rt: Runtime, people: int) -> None:
    """Bulk rows: people in Berlin, one Telegram identity each, check-in due at DUE, and
    a follow-up each (an exam that morning) to ask about."""
    seen = DUE - timedelta(days=1)
    async with rt.db.session() as s:
        await s.execute(
            insert(PersonRow),
            [
                {
                    "id": i,
                    "display_name": f"person{i}",
                    "timezone": "Europe/Berlin",
                    "settings": {},
                    "created_at": seen,
                    "last_seen_at": seen,
                }
                for i in range(1, people + 1)
            ],
        )
        await s.execute(
            insert(IdentityRow),
            [
                {
                    "person_id": i,
                    "platform": "telegram",
                    "platform_user_id": str(10_000_000 + i),
                    "chat_id": str(10_000_000 + i),
                    "unreachable": False,
                    "last_seen_at": seen,
                    "created_at": seen,
                }
                for i in range(1, people + 1)
            ],
        )
        await s.execute(
            insert(FollowupRow),
            [
                {
                    "person_id": i,
                    "concept": "exam",
                    "what": "exam",
                    "said": "exam tomorrow at 9",
                    "lang": "en",
                    "event_at": DUE - timedelta(hours=9),
                    "precision": "time",
                    "due_at": DUE - timedelta(hours=6),
                    "expires_at": DUE + timedelta(days=2),
                    "status": "pending",
                    "source": "rules",
                    "said_at": seen,
                    "created_at": seen,
                }
                for i in range(1, people + 1)
            ],
        )
        await s.execute(
            insert(CheckinStateRow),
            [
                {"person_id": i, "next_at": DUE + timedelta(seconds=i % 60), "unanswered": 0}
                for i in range(1, people + 1)
            ],
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0, help="messages a second overall")
    parser.add_argument("--schedulers", type=int, default=1, help="2 = started by mistake")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            scheduler_enabled=True,
            scheduler_tick_seconds=5.0,
            quiet_hours="off",
        )
        clock = BenchClock(DUE - timedelta(minutes=5))
        channel = TelegramLimitedChannel(args.rate)
        runtimes = [await build_runtime(settings, clock=clock, model=None)]
        await populate(runtimes[0], args.people)
        for _ in range(args.schedulers - 1):
            runtimes.append(await build_runtime(settings, clock=clock, model=None))
        before = rss_mb()
        for rt in runtimes:
            rt.outbox.register(channel)
            await rt.start()  # the real APScheduler; catch-up finds nothing due yet
        after_start = rss_mb()
        clock.jump(DUE + timedelta(minutes=1))  # the minute everyone falls due
        started = time.monotonic()
        peak = after_start

        async def watch() -> None:
            nonlocal peak
            while True:
                peak = max(peak, rss_mb())
                await asyncio.sleep(0.5)

        watcher = asyncio.create_task(watch())
        counts = await asyncio.gather(*(rt.services.checkins.tick() for rt in runtimes))
        # Sweeps by APScheduler's own timer may still be finishing: wait for all.
        for _ in range(300):
            if sum(channel.received.values()) >= args.people:
                break
            await asyncio.sleep(0.2)
        seconds = time.monotonic() - started
        watcher.cancel()
        for rt in runtimes:
            await rt.close()

    received = channel.received
    missed = sum(1 for i in range(1, args.people + 1) if received[str(10_000_000 + i)] == 0)
    doubled = sum(n - 1 for n in received.values() if n > 1)
    gaps = [b - a for a, b in zip(channel.handed_at, channel.handed_at[1:], strict=False)]
    offsets = sorted(t - started for t in channel.handed_at)
    total = Counter[str]()
    for c in counts:
        total.update(c)
    print(f"people={args.people} rate_limit={args.rate}/s schedulers={args.schedulers}")
    print(f"sweep outcomes: {dict(total)}")
    if gaps:
        q = statistics.quantiles(gaps, n=20)
        print(
            f"gap between hand-offs: median={statistics.median(gaps) * 1000:.1f}ms "
            f"p95={q[18] * 1000:.1f}ms"
        )
        q = statistics.quantiles(offsets, n=20)
        print(
            f"time from due to hand-off: median={statistics.median(offsets):.1f}s "
            f"p95={q[18]:.1f}s max={offsets[-1]:.1f}s"
        )
    print(f"achieved rate: {len(offsets) / seconds:.1f} messages/s (limit {args.rate})")
    print(
        f"memory (RSS): {before:.0f} MB before the scheduler, {after_start:.0f} MB started, "
        f"peak {peak:.0f} MB during the sweep; job store rows: 1"
    )
    print(f"missed={missed} doubled={doubled} seconds={seconds:.1f}")


if __name__ == "__main__":
    asyncio.run(main())
