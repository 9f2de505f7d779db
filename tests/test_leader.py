"""Exactly one scheduler: a second one waits, and takes over when the first dies."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from memory.db import Database
from memory.leader import LeaderLock

ROOT = Path(__file__).resolve().parent.parent

HOLDER = """
import asyncio, sys
from pathlib import Path
from memory.db import Database
from memory.leader import LeaderLock
async def main():
    db = Database(sys.argv[1])
    lock = LeaderLock(db, "scheduler", lock_dir=Path(sys.argv[2]))
    assert await lock.try_acquire()
    print("leader", flush=True)
    await asyncio.sleep(600)
asyncio.run(main())
"""


async def test_one_leader_and_takeover_when_the_holder_is_killed(
    db_url: str, tmp_path: Path
) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLDER,
        db_url,
        str(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
        assert line.strip() == b"leader"
        db = Database(db_url)
        standby = LeaderLock(db, "scheduler", lock_dir=tmp_path)
        assert not await standby.try_acquire()
        other_name = LeaderLock(db, "something-else", lock_dir=tmp_path)
        assert await other_name.try_acquire()
        await other_name.release()

        proc.send_signal(signal.SIGKILL)
        await proc.wait()
        await asyncio.wait_for(standby.acquire(poll=0.1), timeout=30)
        assert standby.held and await standby.still_held()
        third = LeaderLock(db, "scheduler", lock_dir=tmp_path)
        assert not await third.try_acquire()
        await standby.release()
        assert await third.try_acquire()
        await third.release()
        await db.close()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


class Recorder:
    def __init__(self) -> None:
        self.events: list[str] = []

    async def start(self) -> None:
        self.events.append("start")

    async def stop(self) -> None:
        self.events.append("stop")


async def test_only_the_leader_runs_the_scheduler_and_a_standby_takes_over(
    db_url: str, tmp_path: Path
) -> None:
    from bot.schedule.leadership import LeaderOnly

    db = Database(db_url)
    first, second = Recorder(), Recorder()
    a = LeaderOnly(LeaderLock(db, "scheduler", lock_dir=tmp_path), first, poll=0.05)
    b = LeaderOnly(LeaderLock(db, "scheduler", lock_dir=tmp_path), second, poll=0.05)
    try:
        await a.start()
        await b.start()
        await asyncio.sleep(0.3)
        assert (first.events, second.events) == (["start"], [])
        await a.stop()  # the leader goes away
        for _ in range(100):
            if second.events:
                break
            await asyncio.sleep(0.05)
        assert first.events == ["start", "stop"] and second.events == ["start"]
    finally:
        await b.stop()
        await a.stop()
        await db.close()
    assert second.events == ["start", "stop"]


@pytest.mark.postgres
async def test_a_leader_that_lost_its_lock_stops_sweeping_and_stands_by(
    pg_url: str, tmp_path: Path
) -> None:
    """The real scheduler wiring on PostgreSQL: the session holding the advisory lock
    ends (as when a connection drops), so another process may lead at once; the old
    leader notices at its next sweep, stops sweeping, and leads again only when the
    lock is free once more."""
    import time

    from sqlalchemy import text

    from bot.runtime import build_runtime
    from tests.conftest import make_settings

    settings = make_settings(
        tmp_path, database_url=pg_url, scheduler_enabled=True, scheduler_tick_seconds=0.2
    )
    rt = await build_runtime(settings, model=None)
    service, leader = rt.services.checkins, rt.services.scheduler_leader
    sweeps: list[float] = []
    real_tick = service.tick

    async def counted_tick() -> object:
        sweeps.append(time.monotonic())
        return await real_tick()

    service.tick = counted_tick

    async def until(condition: Callable[[], bool], what: str) -> None:
        for _ in range(300):
            if condition():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    other = Database(pg_url)
    standby = LeaderLock(other, "companion-scheduler", lock_dir=tmp_path)
    try:
        await rt.start()
        await until(lambda: len(sweeps) >= 3, "sweeps")
        pid = await leader.lock._conn.scalar(text("SELECT pg_backend_pid()"))
        async with other.engine.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            await conn.commit()
        assert await standby.try_acquire()  # free: another process could lead now
        await until(lambda: not leader.leading, "the old leader to stand down")
        after = len(sweeps)
        await asyncio.sleep(1.0)  # five sweep periods
        assert len(sweeps) == after  # it swept no more
        await standby.release()  # the other leader goes away
        await until(lambda: leader.leading and len(sweeps) > after, "leading again")
    finally:
        await standby.release()
        await other.close()
        await rt.close()
