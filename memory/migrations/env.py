"""Alembic environment: always run with a connection handed in by memory.db."""

from __future__ import annotations

from alembic import context

from memory.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` CLI use without our runner
    raise RuntimeError("run migrations through memory.db.Database.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copes
)
with context.begin_transaction():
    context.run_migrations()
