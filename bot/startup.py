"""What fails at start, in one line that names the variable to look at.

An unreachable PostgreSQL or an SQLite file that cannot be opened is a matter of
configuration, not a crash: ``database_problem`` reads the exception (and what it
wraps) and says which part of COMPANION_DATABASE_URL to check. The password is never
shown."""

from __future__ import annotations

import socket
from collections.abc import Iterator

from bot.config import Settings

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


def database_problem(settings: Settings, exc: BaseException) -> str | None:
    """One line for a database that cannot be reached or opened; None when the error
    is something else (a bug, which should be seen as one)."""
    url = settings.resolved_database_url
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
