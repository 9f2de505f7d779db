"""Exactly one scheduler per deployment: the runner starts only in the process that
holds the leader lock; a second one (started by mistake, or as a standby) waits and
takes over when the leader dies. The leader re-checks the lock before every sweep
(the runner's ``guard``): when it was lost (its database session dropped, so the
standby may lead already) it stops sweeping and stands by again. The delivery log's
unique keys stay the second line of defence."""

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
        self._standing_down: asyncio.Task[None] | None = None
        self.leading = False
        if hasattr(runner, "guard"):  # SchedulerRunner asks before each sweep
            runner.guard = self.still_leading

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

    async def still_leading(self) -> bool:
        """Is the lock still ours? Asked before every sweep; when it is not, this
        process stops sweeping (in the background: the sweep asking is inside the
        runner) and waits to lead again."""
        if not self.leading:
            return False
        if await self.lock.still_held():
            return True
        log.warning("the scheduler lock was lost (its database session ended); standing by")
        self.leading = False
        self._standing_down = asyncio.create_task(self._stand_by_again())
        return False

    async def _stand_by_again(self) -> None:
        await self.runner.stop()
        await self.lock.release()
        self._waiting = asyncio.create_task(self._wait_then_lead())

    async def stop(self) -> None:
        if self._standing_down is not None:
            await asyncio.gather(self._standing_down, return_exceptions=True)
        if self._waiting is not None:
            self._waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._waiting
        if self.leading:
            await self.runner.stop()
            self.leading = False
        await self.lock.release()
