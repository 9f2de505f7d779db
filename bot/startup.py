"""What fails at start, in one line that names the variable to look at.

An unreachable PostgreSQL or an SQLite file that cannot be opened is a matter of
configuration, not a crash: ``database_problem`` reads the exception (and what it
wraps) and says which part of COMPANION_DATABASE_URL to check. The password is never
shown."""

from __future__ import annotations

import socket
from collections.abc import Iterator

from bot.config import Settings
from memory.db import Database, DatabaseTooNew

VAR = "COMPANION_DATABASE_URL"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def where(url: str) -> str:
    """host:port/db of a URL, without user or password."""
    rest = url.split("://", 1)[-1]
    return rest.rsplit("@", 1)[-1] or url


def too_new(settings: Settings, exc: DatabaseTooNew) -> str:
    """One line for a database a newer Companion made: which setting points at it,
    and the two ways out. Nothing was changed in it."""
    revision = ", ".join(sorted(exc.unknown))
    what = f"was made by a newer version of Companion (migration {revision} is unknown here)"
    if settings.database_url:
        place = where(settings.database_url)
        return (
            f"{VAR}: the database at {place} {what}; nothing was changed. Upgrade Companion, "
            f"or point {VAR} at another database."
        )
    return (
        f"COMPANION_DATA_DIR={settings.data_dir}: its database {what}; nothing was changed. "
        "Upgrade Companion, or point COMPANION_DATA_DIR at another folder."
    )


def database_problem(settings: Settings, exc: BaseException) -> str | None:
    """One line for a database that cannot be reached or opened; None when the error
    is something else (a bug, which should be seen as one)."""
    url = settings.resolved_database_url
    newer = next((e for e in _chain(exc) if isinstance(e, DatabaseTooNew)), None)
    if newer is not None:
        return too_new(settings, newer)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        for error in _chain(exc):
            if "unable to open database" in str(error) or isinstance(error, PermissionError):
                return (
                    f"{VAR}: cannot open the SQLite file {path} ({str(error)[:80]}); point it "
                    "at a file in a folder this user can write, or unset it to use "
                    "COMPANION_DATA_DIR."
                )
        return None
    shown = where(url)
    for error in _chain(exc):
        name = type(error).__name__
        if isinstance(error, ModuleNotFoundError) and "asyncpg" in str(error):
            return (
                f"{VAR} is a PostgreSQL URL but its driver is not installed; "
                "pip install 'companion[postgres]'."
            )
        if name in ("InvalidPasswordError", "InvalidAuthorizationSpecificationError"):
            return (
                f"{VAR}: PostgreSQL at {shown} refused the user or password; fix them in the URL."
            )
        if name == "InvalidCatalogNameError":
            return (
                f"{VAR}: PostgreSQL at {shown} has no such database; create it "
                "(createdb NAME) or fix the name at the end of the URL."
            )
        if isinstance(error, socket.gaierror):
            return f"{VAR}: the host in {shown} is not known here; fix the host name in the URL."
        if isinstance(error, ConnectionRefusedError | TimeoutError | ConnectionError | OSError):
            why = "connection refused" if isinstance(error, ConnectionRefusedError) else name
            return (
                f"{VAR}: cannot reach PostgreSQL at {shown} ({why}); start the server, or fix "
                "the host and port in the URL."
            )
    return None


async def newer_database(settings: Settings) -> str | None:
    """``too_new``'s line when a newer Companion made the database, else None (also when
    it cannot be read at all: the commands' own checks say why). Reads only."""
    try:
        db = Database(settings.resolved_database_url)
    except Exception:
        return None
    try:
        await db.refuse_if_newer()
    except DatabaseTooNew as exc:
        return too_new(settings, exc)
    finally:
        await db.close()
    return None
