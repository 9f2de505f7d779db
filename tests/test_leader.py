"""Exactly one scheduler: a second one waits, and takes over when the first dies."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

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
