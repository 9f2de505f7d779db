"""Catch-up: what a direct-message chat received while the bot was not listening.

Discord does not redeliver gateway events: a DM sent while the bot was stopped, or
while its connection was down past what a RESUME replays, reaches the bot only
through the chat's history. So each known DM chat keeps a cursor (the last message
taken into the inbox, ``memory/channel_cursors.py``); after every (re)connect the
chat's history after the cursor is read, oldest first, and each message is taken
in, then the cursor moves on. The inbox's idempotent record makes a message seen
both live and in the history count once.

Per chat, this runs under the chat's lock and before any live message of that chat
after a (re)connect is taken in, so messages enter the inbox in the order they were
written. A chat is caught up once per connection; a disconnect makes every chat
due again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import discord

from adapters.discord.convert import PLATFORM
from bot.locks import KeyedLocks
from memory.channel_cursors import ChannelCursors

log = logging.getLogger(__name__)

# Missed messages older than this are left unanswered (Telegram keeps a bot's
# undelivered updates for 24 hours; the companion does the same on Discord).
WINDOW = timedelta(hours=24)
CONCURRENCY = 4  # chats read at once after a reconnect (discord.py paces the calls)

Take = Callable[[discord.Message], Awaitable[None]]


class CatchUp:
    def __init__(self, cursors: ChannelCursors, window: timedelta = WINDOW) -> None:
        self.cursors = cursors
        self.window = window
        self._locks = KeyedLocks()
        self._caught_up: set[str] = set()

    @asynccontextmanager
    async def hold(self, channel_id: str) -> AsyncIterator[None]:
        """One chat at a time: catch-up and live messages take their turns."""
        async with self._locks.hold(channel_id):
            yield

    def forget(self) -> None:
        """The connection dropped: any chat may have missed messages since."""
        self._caught_up.clear()

    def is_caught_up(self, channel_id: str) -> bool:
        return channel_id in self._caught_up

    async def channel(self, client: discord.Client, channel_id: str, take: Take) -> int:
        """Take in what the chat got after its cursor (call with ``hold`` held);
        returns how many messages were read. Nothing to do for a chat caught up
        on this connection, or one never seen (no cursor: it has no past here)."""
        if channel_id in self._caught_up:
            return 0
        cursor = await self.cursors.get(PLATFORM, channel_id)
        if cursor is None:
            self._caught_up.add(channel_id)
            return 0
        # Discord's ids carry Discord's (wall-clock) time, not the core's clock.
        oldest = discord.utils.time_snowflake(discord.utils.utcnow() - self.window)
        after = discord.Object(id=max(cursor, oldest))
        chat = client.get_partial_messageable(int(channel_id), type=discord.ChannelType.private)
        read = 0
        try:
            async for message in chat.history(limit=None, after=after, oldest_first=True):
                await take(message)
                read += 1
        except (discord.Forbidden, discord.NotFound) as exc:
            # The person closed the chat or blocked the bot: nothing to read, ever.
            log.info("cannot read a Discord DM's history (%s); skipped", exc.status)
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            # Not marked caught up: the next live message or reconnect tries again.
            log.warning("could not read a Discord DM's history: %s", exc)
            return read
        self._caught_up.add(channel_id)
        return read

    async def every_channel(self, client: discord.Client, take: Take) -> int:
        """Catch up every known DM chat (a few at a time); returns messages read."""
        cursors = await self.cursors.all(PLATFORM)
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(channel_id: str) -> int:
            async with gate, self.hold(channel_id):
                return await self.channel(client, channel_id, take)

        counts = await asyncio.gather(*(one(c.channel_id) for c in cursors))
        read = sum(counts)
        if read:
            log.info("Discord catch-up: read %d message(s) in %d chat(s)", read, len(cursors))
        return read
