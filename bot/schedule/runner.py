"""APScheduler 3.x wiring: one sweep job with a stable id, stored in the same database.

The scheduler runs in its own thread (BackgroundScheduler): its job store is
synchronous, and on SQLite a sync write waiting for the lock inside the event loop
would stall every conversation (or deadlock with an open async transaction). The
job hands the sweep to the event loop and waits for it.

The job store keeps only that job (its argument is a plain key, never an object);
what is due lives in our own tables, so rebuilding at start is idempotent and
10,000 people cost one row each, not one pickled job each. APScheduler's defaults
would drop runs missed while the process was down (``misfire_grace_time`` is 1 s):
here ``misfire_grace_time=None`` and ``coalesce=True`` make a missed sweep run once
at start, and the catch-up sweep then delivers late work with a note."""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.schedule.service import ScheduleService

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "companion:sweep"
JOBS_TABLE = "apscheduler_jobs"
_SERVICES: dict[str, tuple[ScheduleService, asyncio.AbstractEventLoop]] = {}
_IN_FLIGHT: dict[str, concurrent.futures.Future[Any]] = {}
# Asked before every sweep: does this process still lead? (bot/schedule/leadership.py)
_GUARDS: dict[str, Callable[[], Awaitable[bool]]] = {}
SWEEP_TIMEOUT = 3600.0


def sync_url(url: str) -> str:
    """The job store is synchronous: the same database through a sync driver."""
    if url.startswith("sqlite+aiosqlite://"):
        return "sqlite://" + url.split("://", 1)[1]
    if url.startswith("postgresql+asyncpg://"):
        return "postgresql+psycopg2://" + url.split("://", 1)[1]
    return url


def service_key(url: str) -> str:
    """A plain, secret-free id for the job's argument (the URL may hold a password)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def sweep(key: str) -> None:
    """The stored job's function (looked up by name: keep it importable here). Runs in
    the scheduler's thread and waits for the sweep on the event loop."""
    found = _SERVICES.get(key)
    if found is None:
        log.warning("scheduler sweep for an unknown deployment %s", key)
        return
    service, loop = found
    if loop.is_closed():
        return
    future = asyncio.run_coroutine_threadsafe(_guarded_tick(key, service), loop)
    _IN_FLIGHT[key] = future  # cancelled at shutdown, so this thread never hangs on it
    try:
        counts = future.result(timeout=SWEEP_TIMEOUT)
    except concurrent.futures.CancelledError:
        return
    finally:
        _IN_FLIGHT.pop(key, None)
    if counts:
        log.info("scheduler sweep: %s", dict(counts))


async def _guarded_tick(key: str, service: ScheduleService) -> Any:
    guard = _GUARDS.get(key)
    if guard is not None and not await guard():
        return {}  # the lock was lost: another process sweeps now
    return await service.tick()


class SchedulerRunner:
    def __init__(self, service: ScheduleService, database_url: str, tick_seconds: float) -> None:
        self.service = service
        self.url = database_url
        self.key = service_key(database_url)
        self.tick_seconds = tick_seconds
        self.scheduler: BackgroundScheduler | None = None
        self._backfill: asyncio.Task[int] | None = None
        # Set by LeaderOnly: checked before every sweep (a lost lock stops sweeping).
        self.guard: Callable[[], Awaitable[bool]] | None = None

    async def start(self) -> None:
        # APScheduler loads where a scheduler runs, not in every command.
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        _SERVICES[self.key] = (self.service, asyncio.get_running_loop())
        if self.guard is not None:
            _GUARDS[self.key] = self.guard
        store = SQLAlchemyJobStore(
            url=sync_url(self.url),
            tablename=JOBS_TABLE,
            engine_options={"connect_args": {"timeout": 30}}
            if self.url.startswith("sqlite")
            else {},
        )
        self.scheduler = BackgroundScheduler(
            jobstores={"default": store},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
            timezone=UTC,
        )
        await asyncio.to_thread(self.scheduler.start)
        await asyncio.to_thread(
            self.scheduler.add_job,
            sweep,
            IntervalTrigger(seconds=self.tick_seconds, timezone=UTC),
            id=SWEEP_JOB_ID,
            name="reminders and check-ins",
            args=[self.key],
            replace_existing=True,
        )
        # Catch up now on whatever fell due while down; then give people without a
        # check-in schedule theirs (slow once after an upgrade, so in the background).
        counts = await self.service.tick()
        log.info("scheduler started; catch-up: %s", dict(counts) or "nothing due")
        self._backfill = asyncio.create_task(self.service.ensure_all())

    async def stop(self) -> None:
        if self._backfill is not None:
            self._backfill.cancel()
            await asyncio.gather(self._backfill, return_exceptions=True)
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        in_flight = _IN_FLIGHT.get(self.key)
        if in_flight is not None:
            in_flight.cancel()
        found = _SERVICES.get(self.key)
        if found is not None and found[0] is self.service:
            del _SERVICES[self.key]
            _GUARDS.pop(self.key, None)
        self.scheduler = None
