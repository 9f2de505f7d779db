"""Statements run on every message, prepared once and, on SQLite, run on the
connection's own sqlite3 handle.

SQLAlchemy's async execution path costs about 0.15 ms of CPU per statement here
(the compiled cache lookup, the execution context, the result object, and a
greenlet hand-over for every cursor call), where SQLite itself needs 10-20 µs. A
message runs about ten such statements. A ``Prepared`` statement keeps what
SQLAlchemy computed once (the SQL text, the order of its parameters, the types'
bind and result processors) and, on SQLite, executes it directly on the sqlite3
connection that the caller's transaction (``Database.transaction()``) holds: the
same connection and the same transaction, so commit, rollback and the database's
work gate behave exactly as for any other statement. On PostgreSQL it is an
ordinary ``conn.execute``: there the driver's round trip dominates anyway.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters in the order the SQL takes them
    defaults: Mapping[str, Any]  # values written into the statement (literals)
    binds: Mapping[str, Callable[[Any], Any]]
    converting: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, its processor)


class Prepared:
    """One Core statement; ``await p.rows(conn, params)`` and friends."""

    def __init__(self, statement: Executable, *, keys: Sequence[str] | None = None) -> None:
        # ``keys``: the columns an INSERT's parameters name (its VALUES clause).
        self.statement = statement
        self._keys = list(keys) if keys is not None else None
        self._sqlite: _Compiled | None = None
        self._record: Any = None  # the named-tuple type of its rows, built on first use

    async def rows(self, conn: AsyncConnection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, as plain tuples with the columns' Python values."""
        raw = sqlite_handle(conn)
        if raw is None:
            return [tuple(row) for row in await conn.execute(self.statement, dict(params))]
        compiled = self._compiled(conn.dialect)
        cursor = raw.execute(compiled.sql, _arguments(compiled, params))
        found = cursor.fetchall()
        converting = compiled.converting
        if not converting:
            return found
        out = []
        for row in found:
            values = list(row)
            for index, process in converting:
                values[index] = process(values[index])
            out.append(tuple(values))
        return out

    async def records(self, conn: AsyncConnection, params: Mapping[str, Any]) -> list[Any]:
        """Every row as a named tuple, its fields the statement's column keys."""
        if self._record is None:
            columns = self.statement.selected_columns  # type: ignore[attr-defined]
            keys = [column.key for column in columns]
            self._record = namedtuple("Record", keys)  # type: ignore[misc]
        return [self._record(*row) for row in await self.rows(conn, params)]

    async def first(
        self, conn: AsyncConnection, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        found = await self.rows(conn, params)
        return found[0] if found else None

    async def scalar(self, conn: AsyncConnection, params: Mapping[str, Any]) -> Any:
        row = await self.first(conn, params)
        return row[0] if row is not None else None

    async def run(self, conn: AsyncConnection, params: Mapping[str, Any]) -> int:
        """A write without RETURNING; the number of rows it touched."""
        raw = sqlite_handle(conn)
        if raw is None:
            result = await conn.execute(self.statement, dict(params))
            return int(result.rowcount)  # type: ignore[attr-defined]
        compiled = self._compiled(conn.dialect)
        return raw.execute(compiled.sql, _arguments(compiled, params)).rowcount

    def _compiled(self, dialect: Dialect) -> _Compiled:
        if self._sqlite is None:
            compiled: Any = self.statement.compile(  # type: ignore[attr-defined]
                dialect=dialect, column_keys=self._keys
            )
            if "POSTCOMPILE" in compiled.string:
                raise ValueError("an expanding IN list cannot be prepared once")
            types = [entry.type for entry in compiled._result_columns]
            self._sqlite = _Compiled(
                sql=compiled.string,
                names=tuple(compiled.positiontup or ()),
                defaults={
                    name: value
                    for name, value in compiled.construct_params(_check=False).items()
                    if value is not None
                },
                binds=dict(compiled._bind_processors),
                converting=tuple(
                    (index, process)
                    for index, process in enumerate(
                        t._cached_result_processor(dialect, None) for t in types
                    )
                    if process is not None
                ),
            )
        return self._sqlite


def _arguments(compiled: _Compiled, params: Mapping[str, Any]) -> list[Any]:
    out = []
    binds, defaults = compiled.binds, compiled.defaults
    for name in compiled.names:
        value = params[name] if name in params else defaults.get(name)
        process = binds.get(name)
        out.append(process(value) if process is not None else value)
    return out


def sqlite_handle(conn: AsyncConnection) -> sqlite3.Connection | None:
    """The sqlite3 connection under ``conn`` when it is our inline SQLite driver."""
    if conn.dialect.name != "sqlite":
        return None
    driver = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
    handle = getattr(driver, "_conn", None)
    return handle if isinstance(handle, sqlite3.Connection) else None
