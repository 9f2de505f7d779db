"""Which channels to start, from the settings, and how they run side by side: each
one alone, loudly. Platform SDKs are imported only when their channel is configured.

A channel that cannot connect (or stops by itself with an error) is started again
after a back-off that doubles up to a minute, saying so in the log, while the others
keep serving. A channel whose credentials the platform refuses
(:class:`bot.channel.ChannelRefused`) is stopped with an error naming the variable to
fix; when no channel is left, ``companion run`` exits non-zero. A channel whose
``start`` returns without an error is finished (the console at the end of its
input). Stopping (SIGTERM) is prompt, also during a back-off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from enum import StrEnum

from bot.channel import Channel, ChannelRefused, Handler
from bot.runtime import Runtime

log = logging.getLogger(__name__)

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
STOP_GRACE = 90.0  # seconds a stopping channel may take to finish in-flight messages


class Outcome(StrEnum):
    STOPPED = "stopped"  # asked to stop
    ENDED = "ended"  # finished by itself (end of input)
    REFUSED = "refused"  # the platform refused the credentials: retrying cannot help


def configured_channels(runtime: Runtime) -> list[Channel]:
    channels: list[Channel] = []
    if runtime.settings.telegram_token is not None:
        from adapters.telegram.adapter import TelegramChannel

        channels.append(TelegramChannel(runtime))
    if runtime.settings.discord_token is not None:
        from adapters.discord.adapter import DiscordChannel

        channels.append(
            DiscordChannel(
                runtime.settings.discord_token.get_secret_value(),
                inbox=runtime.inbox,
                clock=runtime.clock,
                group_mode=runtime.settings.discord_group_mode,
            )
        )
    return channels


def refused_setting(error: BaseException) -> str | None:
    """The variable to fix when ``error`` says the credentials were refused; None
    when it is worth trying again (the platform unreachable, a server error)."""
    if isinstance(error, ChannelRefused):
        return error.setting
    # The SDKs' own errors, in case an adapter lets one through (checked by name:
    # neither SDK is imported unless its channel is configured).
    kind = f"{type(error).__module__}.{type(error).__name__}"
    if kind.startswith("discord.") and kind.endswith(".LoginFailure"):
        return "COMPANION_DISCORD_TOKEN"
    if kind.startswith("telegram.") and kind.endswith(".InvalidToken"):
        return "COMPANION_TELEGRAM_TOKEN"
    return None


async def supervise(
    channel: Channel,
    handler: Handler,
    stop: asyncio.Event,
    *,
    first_backoff: float = FIRST_BACKOFF,
    max_backoff: float = MAX_BACKOFF,
) -> Outcome:
    """Run one channel until ``stop`` is set (see the module docstring)."""
    name = channel.platform.capitalize()
    backoff = first_backoff
    while not stop.is_set():
        task = asyncio.create_task(channel.start(handler))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait([task, stopping], return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not task.done():
            await _stop(channel, task, name)
            return Outcome.STOPPED
        error = task.exception()
        if error is None:
            return Outcome.STOPPED if stop.is_set() else Outcome.ENDED
        setting = refused_setting(error)
        if setting is not None:
            log.error(
                "%s refused the credentials: check %s. The %s channel is stopped; "
                "any other channel keeps serving.",
                name,
                setting,
                name,
            )
            return Outcome.REFUSED
        log.warning(
            "%s channel failed (%s: %s); starting it again in %.0fs",
            name,
            type(error).__name__,
            str(error)[:300],
            backoff,
            exc_info=log.isEnabledFor(logging.DEBUG),
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=backoff)
        backoff = min(backoff * 2, max_backoff)
    return Outcome.STOPPED


async def _stop(channel: Channel, task: asyncio.Task[None], name: str) -> None:
    """Ask the channel to finish what is in flight; cancel it if that takes too long
    (what it had not finished stays in the inbox for the next start)."""
    try:
        await asyncio.wait_for(channel.stop(), timeout=STOP_GRACE)
    except Exception:
        log.exception("%s channel did not stop cleanly", name)
    if not task.done():
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=STOP_GRACE)
        except TimeoutError:
            task.cancel()
    with contextlib.suppress(BaseException):
        await task


async def run_channels(
    channels: list[Channel], handler: Handler, stop: asyncio.Event
) -> list[Outcome]:
    """Every channel side by side until each has stopped, ended or been refused."""
    return list(await asyncio.gather(*(supervise(c, handler, stop) for c in channels)))
