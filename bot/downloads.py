"""How much of a file the core will take, told to whoever downloads it.

The core knows the limit (the most it takes of a voice note, of a photo); the adapter
does the download. A context variable carries the limit from one to the other, so
``Attachment.fetch()`` keeps the signature every channel implements, and the
adapter's download stops as soon as more bytes than that have arrived instead of
reading a whole file to find out it was too large."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_LIMIT = 20 * 1024 * 1024  # Telegram's getFile limit, and the media defaults
_limit: ContextVar[int] = ContextVar("companion_download_limit", default=DEFAULT_LIMIT)


class DownloadTooLarge(ValueError):
    """More bytes than the limit: said by the platform (``size``) or found while
    streaming (``size`` None: the download was stopped there)."""

    def __init__(self, limit: int, size: int | None = None) -> None:
        self.limit = limit
        self.size = size
        super().__init__(f"the file is larger than I take ({limit / 2**20:.0f} MB)")


@contextmanager
def download_limit(limit: int) -> Iterator[None]:
    """Downloads started inside stop after ``limit`` bytes."""
    token = _limit.set(limit)
    try:
        yield
    finally:
        _limit.reset(token)


def current_download_limit() -> int:
    return _limit.get()
