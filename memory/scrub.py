"""After an erasure, SQLite still holds deleted rows in free pages and its write-ahead
log. Compacting the file and truncating the log makes the erasure real on disk."""

from __future__ import annotations

from sqlalchemy import text

from memory.db import Database


async def compact(db: Database) -> None:
    if not db.is_sqlite:
        return  # PostgreSQL: autovacuum reclaims dead rows; nothing of ours on local disk
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM"))
        await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
