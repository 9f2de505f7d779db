"""The relational store: one async SQLAlchemy engine, schema by Alembic at start."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from memory.prepared import sqlite_handle
from memory.sqlite_inline import inline_creator

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

_UNREAD: Any = object()


class DatabaseTooNew(Exception):
    """The database is at a revision this code does not know: a newer version of
    Companion migrated it. Nothing may be changed; the person upgrades or points
    elsewhere."""

    def __init__(self, unknown: frozenset[str]) -> None:
        self.unknown = unknown
        super().__init__(f"unknown database revision {', '.join(sorted(unknown))}")


# Set while this task is inside a gated session: a nested session must not wait
# on the gate its own caller holds.
_inside_gate: ContextVar[bool] = ContextVar("inside_sqlite_gate", default=False)
# Set while this task's transaction runs on the held SQLite connection: a nested
# transaction then takes a pooled one (the held one is in use).
_on_held: ContextVar[bool] = ContextVar("on_held_sqlite_connection", default=False)


class Database:
    """Owns the engine and hands out sessions. SQLite by default, PostgreSQL by URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        # The SQLite file (":memory:" when none), read from the URL once.
        self.sqlite_path = (make_url(url).database or ":memory:") if self.is_sqlite else ""
        if self.is_sqlite:
            self._ensure_sqlite_dir(self.sqlite_path)
            kwargs["async_creator"] = inline_creator(self.sqlite_path, timeout=30)
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time. Left to itself, each pooled connection
        # holds its write lock while the event loop runs other work, and the rest
        # sleep in SQLite's busy handler (backing off to 100 ms): at 30 messages/s
        # a write took 60-80 ms. Taking turns in-process keeps each one short.
        self._gate: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None
        # On SQLite the gate lets one transaction run at a time, so one connection,
        # kept open, serves them all: checking one out of the pool and resetting it
        # on return cost about 0.13 ms of CPU per transaction, ten times a message.
        self._held: AsyncConnection | None = None
        self._handle: sqlite3.Connection | None = None  # the sqlite3 one under it

    @cached_property
    def insert(self) -> Any:
        """The dialect's ``insert`` (the one with ON CONFLICT), imported on first use:
        loading the PostgreSQL dialect costs a SQLite start about 45 ms of CPU."""
        name = "sqlite" if self.is_sqlite else "postgresql"
        return importlib.import_module(f"sqlalchemy.dialects.{name}").insert

    @staticmethod
    def _ensure_sqlite_dir(path: str) -> None:
        if path and path != ":memory:" and not path.startswith(":"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error."""
        async with self._taking_turns(), self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A plain connection in a transaction, for Core statements: the per-message
        writes skip the ORM session's bookkeeping (about 0.3 ms of CPU each)."""
        async with self._taking_turns():
            if self._gate is None or _on_held.get():
                async with self.engine.begin() as conn:
                    yield conn
                return
            held = self._held
            if held is None or held.closed or held.invalidated:
                held = self._held = await self.engine.connect()
                self._handle = sqlite_handle(held)
            handle = self._handle
            token = _on_held.set(True)
            try:
                if handle is None:
                    async with held.begin():
                        yield held
                    return
                # SQLite's driver opens the transaction itself at the first write
                # (SQLAlchemy's BEGIN is a no-op there), so a transaction of prepared
                # statements (memory/prepared.py) ends on the sqlite3 handle without
                # SQLAlchemy's begin/commit path (about 80 µs of CPU); one that used
                # SQLAlchemy (autobegun) ends through it.
                # A failed commit (a full disk) rolls back too, or the connection
                # would stay in a broken transaction for every later caller.
                try:
                    yield held
                    if held.in_transaction():
                        await held.commit()
                    else:
                        handle.commit()
                except BaseException:
                    await self._roll_back(held, handle)
                    raise
            finally:
                _on_held.reset(token)

    async def _roll_back(self, held: AsyncConnection, handle: sqlite3.Connection) -> None:
        """Undo the held connection's transaction on both levels. When that fails too
        (the connection itself broke), the next transaction opens a new one; the
        error that led here is the one raised."""
        try:
            await held.rollback()  # also one whose commit failed (no longer "active")
            handle.rollback()
        except Exception:
            self._held = self._handle = None
            with contextlib.suppress(Exception):
                await held.invalidate()

    @asynccontextmanager
    async def _taking_turns(self) -> AsyncIterator[None]:
        if self._gate is None or _inside_gate.get():
            yield
            return
        async with self._gate:
            token = _inside_gate.set(True)
            try:
                yield
            finally:
                _inside_gate.reset(token)

    async def alone_in_thread(self, work: Callable[[str], None]) -> None:
        """Run ``work(path)`` on a plain SQLite connection in a thread, with no
        transaction of ours running meanwhile. Statements run inline on the event
        loop (memory/sqlite_inline.py), so one waiting on a long lock (VACUUM) would
        stall everything; instead they wait at the gate."""
        assert self._gate is not None, "SQLite only"
        if _inside_gate.get():
            raise RuntimeError("alone_in_thread inside a session would wait on itself")
        async with self._gate:
            await asyncio.to_thread(work, self.sqlite_path)

    async def migrate(self) -> None:
        """Bring the schema up to date (every branch head: features add their own).
        A database already at every head is left alone without loading Alembic
        (about a third of a second at each start). One a newer Companion made (at a
        revision this code does not know) is not touched: ``DatabaseTooNew``."""
        at = await self.revisions()
        heads = migration_heads()
        if heads and at == heads:
            return
        await self.refuse_if_newer(at)
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade)

    async def refuse_if_newer(self, at: frozenset[str] | None = _UNREAD) -> None:
        """``DatabaseTooNew`` when the database is at a revision no migration file here
        names (``at``: its revisions, when already read)."""
        if at is _UNREAD:
            at = await self.revisions()
        unknown = (at or frozenset()) - known_revisions()
        if unknown:
            raise DatabaseTooNew(unknown)

    async def revisions(self) -> frozenset[str] | None:
        """The revisions the database is at; None before the first migration."""
        try:
            async with self.engine.connect() as conn:
                rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
                return frozenset(str(r[0]) for r in rows)
        except Exception:  # no such table yet: a fresh database
            return None

    async def close(self) -> None:
        if self._held is not None:
            held, self._held, self._handle = self._held, None, None
            await held.close()
        await self.engine.dispose()


_REVISION = re.compile(r"^revision\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(.+)$", re.MULTILINE)


def _read_migrations() -> tuple[frozenset[str], frozenset[str]] | None:
    """(every revision, every revision something builds on), read from the migration
    files as text; None when one does not read plainly."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    return frozenset(revisions), frozenset(parents)


def migration_heads() -> frozenset[str] | None:
    """The newest revision of each branch; None when a migration file does not read
    plainly (then Alembic decides)."""
    read = _read_migrations()
    if read is None:
        return None
    return (read[0] - read[1]) or None


def known_revisions() -> frozenset[str]:
    """Every revision this code has a migration for (Alembic's list when a file does
    not read plainly as text)."""
    read = _read_migrations()
    if read is not None:
        return read[0]
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(r.revision for r in script.walk_revisions())


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


# Several processes (workers, a scheduler) may start at once on a fresh PostgreSQL
# database: they take turns migrating, under a transaction-scoped advisory lock.
MIGRATION_LOCK = 7_420_001


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
    from alembic import command

    command.upgrade(alembic_config(connection), "heads")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; busy_timeout waits instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
