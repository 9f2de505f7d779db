"""Catch-up: what a direct-message chat received while the bot was not listening.

Discord does not redeliver gateway events: a DM sent while the bot was stopped, or
while its connection was down longer than a RESUME covers, reaches the bot only
through the chat's history. So after every (re)connect each known DM chat's history
is read after the last message taken in (the newest of the chat's cursor in
``memory/channel_cursors.py`` and the inbox's latest update from that chat), oldest
first, and what it holds goes to the inbox in that order. The inbox's idempotent
record makes a message seen both live and in the history count once.

Per chat this runs under the chat's lock, and before any live message of that chat
is taken in on this connection: messages enter the inbox in the order they were
written, and the inbox's latest update from a chat never jumps over a gap. A chat is
caught up once per connection; a disconnect makes every chat due again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import discord

from adapters.discord.convert import PLATFORM
from bot.locks import KeyedLocks
from memory.channel_cursors import ChannelCursors
from memory.inbox import Inbox

log = logging.getLogger(__name__)

# Missed messages older than this are left unanswered (Telegram keeps a bot's
# undelivered updates for 24 hours; the companion does the same on Discord).
WINDOW = timedelta(hours=24)
CONCURRENCY = 4  # chats read at once after a reconnect (discord.py paces the calls)

# Takes a chat's missed messages, oldest first (to the inbox, in one write).
Take = Callable[[list[discord.Message]], Awaitable[None]]


def _snowflake(update_id: str | None) -> int:
    """A Discord id from an inbox update id: a message id, or ``i<interaction id>``
    for a button press (also a snowflake: it orders by time the same way)."""
    digits = (update_id or "").removeprefix("i")
    return int(digits) if digits.isdigit() else 0


class CatchUp:
    def __init__(self, cursors: ChannelCursors, inbox: Inbox, window: timedelta = WINDOW) -> None:
        self.cursors = cursors
        self.inbox = inbox
        self.window = window
        self._locks = KeyedLocks()
        self._caught_up: set[str] = set()
        self._known: set[str] = set()  # chats with a cursor row (written once per process)

    @asynccontextmanager
    async def hold(self, channel_id: str) -> AsyncIterator[None]:
        """One chat at a time: its catch-up and its live messages take turns."""
        async with self._locks.hold(channel_id):
            yield

    def forget(self, channel_id: str | None = None) -> None:
        """The connection dropped: any chat may have missed messages since (or this
        one chat: a message of it could not be taken in)."""
        if channel_id is None:
            self._caught_up.clear()
        else:
            self._caught_up.discard(channel_id)

    def is_caught_up(self, channel_id: str) -> bool:
        return channel_id in self._caught_up

    def unknown(self) -> None:
        """Cursors were erased (a person deleted their data): write them again when
        their chats are next seen."""
        self._known.clear()

    async def remember(self, channel_id: str, user_key: str, message_id: int, at: datetime) -> None:
        """A DM chat to catch up after the next outage (one write per chat and process)."""
        if channel_id in self._known:
            return
        await self.cursors.advance(PLATFORM, channel_id, message_id, user_key=user_key, at=at)
        self._known.add(channel_id)

    async def channel(
        self, client: discord.Client, channel_id: str, take: Take, *, cursor: int | None = None
    ) -> int:
        """Take in what the chat got after it was last read (call with ``hold``
        held); returns how many messages were read. Nothing to do for a chat caught
        up on this connection, or one never seen (it has no past here)."""
        if channel_id in self._caught_up:
            return 0
        if cursor is None:
            cursor = await self.cursors.get(PLATFORM, channel_id)
        if cursor is None:
            self._caught_up.add(channel_id)
            return 0
        self._known.add(channel_id)
        latest = _snowflake(await self.inbox.latest_update(PLATFORM, channel_id))
        # Discord's ids carry Discord's (wall-clock) time, not the core's clock.
        oldest = discord.utils.time_snowflake(discord.utils.utcnow() - self.window)
        after = discord.Object(id=max(cursor, latest, oldest))
        chat = client.get_partial_messageable(int(channel_id), type=discord.ChannelType.private)
        missed: list[discord.Message] = []
        try:
            async for message in chat.history(limit=None, after=after, oldest_first=True):
                missed.append(message)
        except (discord.Forbidden, discord.NotFound) as exc:
            # The person closed the chat or blocked the bot: nothing to read, ever.
            log.info("cannot read a Discord DM's history (%s); skipped", exc.status)
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            # Not marked caught up: the next live message or reconnect tries again.
            log.warning("could not read a Discord DM's history: %s", exc)
            return 0
        if missed:
            await take(missed)
            newest = max(m.id for m in missed)
            await self.cursors.advance(
                PLATFORM, channel_id, newest, user_key=None, at=datetime.now(UTC)
            )
        self._caught_up.add(channel_id)
        return len(missed)

    async def every_channel(self, client: discord.Client, take: Take) -> tuple[int, int]:
        """Catch up every known DM chat (a few at a time); returns the messages read
        and how many chats could not be read now (to try again later)."""
        cursors = await self.cursors.all(PLATFORM)
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(channel_id: str, last: int) -> int:
            async with gate, self.hold(channel_id):
                return await self.channel(client, channel_id, take, cursor=last)

        counts = await asyncio.gather(*(one(c.channel_id, c.last_message_id) for c in cursors))
        read = sum(counts)
        if read:
            log.info("Discord catch-up: read %d message(s) in %d chat(s)", read, len(cursors))
        behind = sum(1 for c in cursors if c.channel_id not in self._caught_up)
        return read, behind
