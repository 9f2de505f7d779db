"""After an erasure, SQLite still holds deleted rows in free pages and its write-ahead
log. Compacting the file and truncating the log makes the erasure real on disk."""

from __future__ import annotations

import sqlite3

from memory.db import Database


async def compact(db: Database) -> None:
    if not db.is_sqlite:
        return  # PostgreSQL: autovacuum reclaims dead rows; nothing of ours on local disk
    await db.alone_in_thread(_vacuum)


def _vacuum(path: str) -> None:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
