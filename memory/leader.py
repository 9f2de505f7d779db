"""One scheduler per deployment: a lock that one process holds while it lives.

PostgreSQL: a session-level advisory lock on a dedicated connection; it is released
by the server when the holder's connection ends, so a killed scheduler hands over
without anyone cleaning up. SQLite: an exclusive file lock beside the database,
released by the kernel when the process dies."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from memory.db import Database

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 10.0  # seconds the lock's connection has to answer "still there?"


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock from a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class LeaderLock:
    def __init__(self, db: Database, name: str, *, lock_dir: Path) -> None:
        self.db = db
        self.name = name
        self.lock_dir = lock_dir
        self._conn: AsyncConnection | None = None
        self._file: IO[Any] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    async def try_acquire(self) -> bool:
        if self.held:
            return True
        if self.db.is_sqlite:
            return self._try_file()
        conn = await self.db.engine.connect()
        try:
            got = await conn.scalar(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(self.name)}
            )
            await conn.commit()
        except Exception:
            await conn.close()
            raise
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    def _try_file(self) -> bool:
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_dir / f"{self.name}.lock", "a+")  # held open while leader
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    async def acquire(self, *, poll: float = 2.0) -> None:
        """Wait until this process is the leader (a standby polls)."""
        waited = False
        while not await self.try_acquire():
            if not waited:
                log.info("another %s is running; waiting to take over", self.name)
                waited = True
            await asyncio.sleep(poll)

    async def still_held(self) -> bool:
        """False when the database connection behind the lock was lost (or does not
        answer within CHECK_TIMEOUT: a half-open connection may never error)."""
        if self._conn is None:
            return self._file is not None
        try:
            await asyncio.wait_for(self._conn.scalar(text("SELECT 1")), CHECK_TIMEOUT)
            return True
        except Exception:
            await self.release()
            return False

    async def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(self.name)})
                await conn.commit()
            except Exception:
                pass  # the connection is gone; the server has released the lock
            finally:
                await conn.close()
        if self._file is not None:
            handle, self._file = self._file, None
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()
