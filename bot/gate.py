"""Admission for the CPU-bound part of turns.

Hundreds of turns interleaved on one event loop each take seconds of wall time, so
every one of them looks slow: "typing..." goes out for all, HTTP pools queue up, and
the work per message grows as the backlog does. A few turns working at once finish
each in milliseconds while the rest wait their turn in order. A turn steps out of
the gate while it waits on the chat model, so slow providers still overlap freely.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class WorkGate:
    """At most ``size`` tasks inside at once; nested entries by the same task pass."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._free = asyncio.Semaphore(self.size)
        self._holders: set[asyncio.Task[object]] = set()
        self.waiting = 0

    @property
    def backlog(self) -> bool:
        """Someone is waiting to get in: the process is busy right now."""
        return self.waiting > 0

    @asynccontextmanager
    async def inside(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is None or task in self._holders:
            yield
            return
        await self._enter(task)
        try:
            yield
        finally:
            # Not held if re-entering after stepping out was cancelled.
            if task in self._holders:
                self._holders.discard(task)
                self._free.release()

    @asynccontextmanager
    async def stepped_out(self) -> AsyncIterator[None]:
        """Leave the gate for a wait that costs no CPU (a model call), then return."""
        task = asyncio.current_task()
        if task is None or task not in self._holders:
            yield
            return
        self._holders.discard(task)
        self._free.release()
        # On an error or a cancellation the turn unwinds outside the gate rather than
        # queue again just to leave; inside() then has nothing to give back.
        yield
        await self._enter(task)

    async def _enter(self, task: asyncio.Task[object]) -> None:
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        self._holders.add(task)
