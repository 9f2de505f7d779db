"""Reminders and proactive check-ins: arrive on time, once, and only when welcome."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.interfaces import Linking
from bot.schedule.commands import install_commands
from bot.schedule.leadership import LeaderOnly
from bot.schedule.runner import SchedulerRunner
from bot.schedule.service import ScheduleService
from bot.turn import TurnInput
from memory.leader import LeaderLock

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


# Merges on /link; reads follow-ups from a voice note once media has made it words.
NEEDS: tuple[str, ...] = ("linking", "media")


async def install(runtime: Runtime) -> None:
    service = ScheduleService(runtime)
    runtime.services.checkins = service
    install_commands(runtime, service)

    async def note_activity(turn: TurnInput) -> None:
        # The person wrote: unanswered check-ins reset, backed-off ones resume.
        await service.note_activity(turn.person.id)

    async def note_followups(turn: TurnInput) -> None:
        # After the media preprocessors (installed earlier): a voice note counts too.
        if not turn.private or not turn.text:
            return
        try:
            said_at = turn.message.sent_at or runtime.clock.now()
            await service.followups.on_message(turn.person, turn.text, said_at)
        except Exception:
            log.exception("reading follow-ups from a message failed; the turn goes on")

    runtime.companion.hooks.preprocessors.insert(0, note_activity)
    runtime.companion.hooks.preprocessors.append(note_followups)
    runtime.services.followups = service.followups
    runtime.personal_data("schedule", export=service.store.export, erase=service.store.erase)
    followups = service.followups.store
    runtime.personal_data("followups", export=followups.export, erase=followups.erase)
    linking: Linking | None = runtime.services.linking
    if linking is not None:
        linking.mergers["schedule"] = service.store.merge
        linking.mergers["followups"] = followups.merge

    settings = runtime.settings
    if settings.scheduler_enabled and settings.role in ("all", "scheduler"):
        runner = SchedulerRunner(
            service, settings.resolved_database_url, settings.scheduler_tick_seconds
        )
        runtime.services.scheduler = runner
        lock = LeaderLock(runtime.db, "companion-scheduler", lock_dir=settings.data_dir)
        leader = LeaderOnly(lock, runner, poll=settings.scheduler_tick_seconds)
        runtime.services.scheduler_leader = leader
        runtime.on_start(leader.start)
        runtime.on_close(leader.stop)
