"""Exactly one scheduler per deployment: the runner starts only in the process that
holds the leader lock; a second one (started by mistake, or as a standby) waits and
takes over when the leader dies. The delivery log's unique keys stay the second
line of defence."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from memory.leader import LeaderLock

log = logging.getLogger(__name__)


class Startable(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LeaderOnly:
    def __init__(self, lock: LeaderLock, runner: Startable, *, poll: float = 5.0) -> None:
        self.lock = lock
        self.runner = runner
        self.poll = poll
        self._waiting: asyncio.Task[None] | None = None
        self.leading = False

    async def start(self) -> None:
        if await self.lock.try_acquire():
            await self._lead()
            return
        log.info("another scheduler is running; this one stands by")
        self._waiting = asyncio.create_task(self._wait_then_lead())

    async def _wait_then_lead(self) -> None:
        await self.lock.acquire(poll=self.poll)
        log.info("the scheduler lock is free: taking over")
        await self._lead()

    async def _lead(self) -> None:
        self.leading = True
        await self.runner.start()

    async def stop(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._waiting
        if self.leading:
            await self.runner.stop()
            self.leading = False
        await self.lock.release()
