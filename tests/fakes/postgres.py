"""A throwaway PostgreSQL database: the tests and the benches make one per run."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url


@asynccontextmanager
async def fresh_database(url: str, prefix: str) -> AsyncIterator[str]:
    """A new empty database on the server ``url`` names (as the same user); yields its
    ``postgresql+asyncpg://`` URL and drops it afterwards, WITH FORCE: a stuck process
    must not keep it alive."""
    import asyncpg

    given = make_url(url)
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin_url = given.set(drivername="postgresql", database=given.database or "postgres")
    dsn = admin_url.render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        fresh = given.set(drivername="postgresql+asyncpg", database=name)
        yield fresh.render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
