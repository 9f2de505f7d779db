"""The real APScheduler on the real database: a restart across a due time, two
schedulers started by mistake, the too-late limit, and an idempotent job store."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.schedule.runner import SWEEP_JOB_ID, sync_url
from bot.types import Identity
from tests.conftest import make_settings
from tests.fakes.channel import CaptureChannel
from tests.fakes.clock import ManualClock
from tests.schedule_helpers import say, service

START = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)  # Monday 09:00 in Berlin


def scheduler_settings(tmp_path: Path, **extra: object) -> Settings:
    return make_settings(tmp_path, scheduler_enabled=True, **extra)


async def started(settings: Settings, clock: ManualClock, channel: CaptureChannel) -> Runtime:
    rt = await build_runtime(settings, clock=clock)
    rt.outbox.register(channel)
    await rt.start()
    return rt


async def setup_person(tmp_path: Path, clock: ManualClock, *commands: str) -> None:
    """A first run, without a scheduler: the person sets things up, then we go down."""
    rt = await build_runtime(make_settings(tmp_path), clock=clock)
    try:
        await say(rt, "hello")
        found = await rt.people.find(Identity("telegram", "42"))
        assert found is not None
        await rt.people.update(found.id, timezone="Europe/Berlin")
        await rt.people.update_settings(found.id, checkins_enabled=False)
        await service(rt).reschedule(found.id)
        for command in commands:
            assert "OK, I'll remind you" in await say(rt, command)
    finally:
        await rt.close()


def jobs(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "data" / "companion.db") as conn:
        return [r[0] for r in conn.execute("SELECT id FROM apscheduler_jobs")]


def test_sync_url_for_the_job_store() -> None:
    assert sync_url("sqlite+aiosqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert sync_url("postgresql+asyncpg://u:p@h/db") == "postgresql+psycopg2://u:p@h/db"


async def test_restart_across_a_due_time_delivers_once_late_with_a_note(
    tmp_path: Path, clock: ManualClock
) -> None:
    clock.set(START)
    await setup_person(tmp_path, clock, "/remind at 10:00 call the dentist")
    clock.advance(hours=3)  # down from 09:00 to 12:00 local; due at 10:00
    channel = CaptureChannel()
    rt = await started(scheduler_settings(tmp_path), clock, channel)
    try:
        assert channel.texts() == [
            "⏰ Reminder: call the dentist\n(Sorry, this is late: it was due Mon 04 May "
            "10:00, and I was offline then.)"
        ]
        scheduler = rt.services.scheduler.scheduler
        job = scheduler.get_job(SWEEP_JOB_ID)
        assert job.misfire_grace_time is None and job.coalesce is True
        assert job.args == (rt.services.scheduler.key,)  # a plain id, nothing pickled
    finally:
        await rt.close()
    clock.advance(minutes=5)
    again = await started(scheduler_settings(tmp_path), clock, channel)
    try:
        await service(again).tick()
        assert len(channel.sent) == 1
    finally:
        await again.close()
    assert jobs(tmp_path) == [SWEEP_JOB_ID]  # rebuilt in place, not duplicated


async def test_too_late_is_recorded_missed_and_mentioned_once(
    tmp_path: Path, clock: ManualClock
) -> None:
    clock.set(START)
    await setup_person(
        tmp_path, clock, "/remind at 10:00 call the dentist", "/remind every day at 21:00 pills"
    )
    clock.advance(hours=14)  # 23:00 local: 10:00 is 13 h late, past the 12 h limit
    channel = CaptureChannel()
    rt = await started(scheduler_settings(tmp_path), clock, channel)
    try:
        texts = channel.texts()
        assert "⏰ Reminder: pills\n(Sorry, this is late" in texts[0]
        assert len(texts) == 2
        assert "too late to send" in texts[1] and "call the dentist" in texts[1]
        assert "due Mon 04 May 10:00" in texts[1]
        await service(rt).run_due(clock.now() + timedelta(minutes=1))
        assert len(channel.sent) == 2
        pid = (await rt.people.find(Identity("telegram", "42"))).id  # type: ignore[union-attr]
        rows = (await rt.export_person(pid))["schedule"]["reminders"]
        assert {r["text"]: r["status"] for r in rows} == {
            "call the dentist": "missed",
            "pills": "active",
        }
    finally:
        await rt.close()


async def test_two_schedulers_started_by_mistake_still_deliver_once(
    tmp_path: Path, clock: ManualClock
) -> None:
    clock.set(START)
    await setup_person(tmp_path, clock, "/remind at 10:00 call the dentist")
    pid = 1
    clock.advance(hours=2)
    channel = CaptureChannel()
    first = await build_runtime(scheduler_settings(tmp_path), clock=clock)
    second = await build_runtime(scheduler_settings(tmp_path), clock=clock)
    try:
        await first.people.update_settings(pid, checkins_enabled=True, checkin_times=["13:00"])
        await service(first).reschedule(pid)
        # Something to ask about at 13:00 (a check-in needs a reason).
        await say(first, "my dentist appointment is at 11:10, wish me luck")
        clock.advance(hours=2, minutes=15)
        for rt in (first, second):
            rt.outbox.register(channel)
        await asyncio.gather(first.start(), second.start())
        await asyncio.gather(*(service(rt).run_due(clock.now()) for rt in (first, second) * 3))
        texts = channel.texts()
        assert len(texts) == 2, texts
        assert sum(t.startswith("⏰ Reminder: call the dentist") for t in texts) == 1
        keys = [m.key for _, m in channel.sent]
        assert len(set(keys)) == 2
    finally:
        await first.close()
        await second.close()
    assert jobs(tmp_path) == [SWEEP_JOB_ID]


@pytest.mark.slow
async def test_the_real_sweep_job_fires(tmp_path: Path, clock: ManualClock) -> None:
    clock.set(START)
    await setup_person(tmp_path, clock, "/remind in 1 minute stretch")
    channel = CaptureChannel()
    rt = await started(scheduler_settings(tmp_path, scheduler_tick_seconds=0.2), clock, channel)
    try:
        assert channel.sent == []
        clock.advance(minutes=2)
        for _ in range(50):  # APScheduler's own timer calls the sweep
            await asyncio.sleep(0.1)
            if channel.sent:
                break
        assert channel.texts() == ["⏰ Reminder: stretch"]
    finally:
        await rt.close()


async def test_restart_and_two_schedulers_on_each_database(
    db_url: str, tmp_path: Path, clock: ManualClock
) -> None:
    """The same once-only guarantees on SQLite and PostgreSQL (psycopg2 job store)."""
    from sqlalchemy import text

    clock.set(START)
    settings = make_settings(tmp_path, database_url=db_url)
    rt = await build_runtime(settings, clock=clock)
    try:
        await say(rt, "hello")
        await rt.people.update(1, timezone="Europe/Berlin")
        await rt.people.update_settings(1, checkin_times=["11:00"])
        await service(rt).reschedule(1)
        assert "OK" in await say(rt, "/remind at 10:00 call the dentist")
        await say(rt, "dentist appointment at 9:20 today")  # a follow-up due by 11:00
    finally:
        await rt.close()
    clock.advance(hours=3)  # both due while down
    channel = CaptureChannel()
    on = make_settings(tmp_path, database_url=db_url, scheduler_enabled=True)
    first = await build_runtime(on, clock=clock)
    second = await build_runtime(on, clock=clock)
    try:
        for runtime in (first, second):
            runtime.outbox.register(channel)
        await asyncio.gather(first.start(), second.start())
        await asyncio.gather(*(service(r).run_due(clock.now()) for r in (first, second) * 2))
        texts = sorted(channel.texts())
        assert len(texts) == 2, texts
        assert texts[0] == "How did the dentist appointment go?"
        assert "late" in texts[1] and "offline" in texts[1]
        async with first.db.session() as s:
            ids = list(await s.scalars(text("SELECT id FROM apscheduler_jobs")))
        assert ids == [SWEEP_JOB_ID]
    finally:
        await first.close()
        await second.close()
