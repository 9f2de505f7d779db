"""Group commit: writes asked for at about the same moment go to the database in one
transaction, and each caller still returns only once its own write is committed.

A write transaction costs about a millisecond of CPU here (SQLAlchemy's statement
path, BEGIN/COMMIT, the connection's return to the pool) whatever it holds, and every
message costs the inbox two of them (its replies saved before sending, the entry
closed after). Under load hundreds of conversations finish within the same few
milliseconds: one multi-row statement for all of them costs little more than one.
When it is quiet a batch holds one write, so nothing waits longer than before."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    """``await batch(item)`` queues ``item``; one flush at a time writes everything
    queued so far with ``write(items) -> results`` (one result per item, in order).
    Items queued while a flush is running go in the next one. If a flush fails,
    each of its callers gets the exception."""

    def __init__(self, write: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]]) -> None:
        self._write = write
        self._queued: list[tuple[Item, asyncio.Future[Result]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def __call__(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queued.append((item, future))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        # Shielded: a caller that is cancelled does not cancel the others' write.
        return await asyncio.shield(future)

    async def _flush(self) -> None:
        try:
            await asyncio.sleep(0)  # writes asked for in this same moment join in
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    results = await self._write([item for item, _ in batch])
                except BaseException as exc:
                    for _item, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for (_item, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._flusher = None
            for _item, future in self._queued:  # only if cancelled mid-way
                if not future.done():
                    future.cancel()
