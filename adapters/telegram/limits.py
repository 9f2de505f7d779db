"""Telegram's send limits, kept on our side so we rarely see a 429.

About 1 message/s in one chat, 30/s overall, 20/min in one group. python-telegram-bot's
AIORateLimiter covers only the last two, so this small limiter covers all three, plus
the pauses Telegram asks for with ``retry_after``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up."""

    rate: float
    burst: float
    now: Callable[[], float] = time.monotonic
    tokens: float = field(init=False)
    stamp: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.burst
        self.stamp = self.now()

    def wait_time(self) -> float:
        """Take a token if there is one (0.0), else say how long until there is."""
        current = self.now()
        self.tokens = min(self.burst, self.tokens + (current - self.stamp) * self.rate)
        self.stamp = current
        if self.tokens >= 1 - 1e-9:  # float dust must not make a waiter spin
            self.tokens = max(0.0, self.tokens - 1)
            return 0.0
        return max((1 - self.tokens) / self.rate, 0.001)


@dataclass
class Limits:
    per_chat_rate: float = 1.0  # messages per second in one chat
    per_chat_burst: float = 1.0
    overall_rate: float = 30.0
    group_per_minute: float = 20.0


class RateLimiter:
    def __init__(
        self,
        limits: Limits | None = None,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits or Limits()
        self.now, self.sleep = now, sleep
        self.overall = TokenBucket(self.limits.overall_rate, self.limits.overall_rate, now)
        self.chats: dict[str, TokenBucket] = {}
        self.groups: dict[str, TokenBucket] = {}
        self.paused_until: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def pause(self, chat_id: str, seconds: float) -> None:
        """Telegram said 429: nothing goes to this chat before ``retry_after``."""
        self.paused_until[chat_id] = max(self.paused_until.get(chat_id, 0), self.now() + seconds)

    def sent(self, chat_id: str) -> None:
        """The message taken for ``chat_id`` leaves now: its spacing counts from here.
        A send that waited for a connection after :meth:`acquire` would otherwise leave
        the next one less than a second behind it, and Telegram answers 429."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return
        # The refill since the token was taken is dropped: spacing from the send.
        chat.stamp = max(chat.stamp, self.now())

    async def acquire(self, chat_id: str, *, group: bool = False) -> None:
        """Wait until one more message may go to ``chat_id``. Callers for one chat
        queue in order; different chats only share the overall bucket."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            while (delay := self.paused_until.get(chat_id, 0) - self.now()) > 0:
                await self.sleep(delay)
            chat = self.chats.get(chat_id)
            if chat is None:
                rate, burst = self.limits.per_chat_rate, self.limits.per_chat_burst
                chat = self.chats[chat_id] = TokenBucket(rate, burst, self.now)
            await self._take(chat)
            if group:
                bucket = self.groups.get(chat_id)
                if bucket is None:
                    per_min = self.limits.group_per_minute
                    bucket = self.groups[chat_id] = TokenBucket(per_min / 60, per_min, self.now)
                await self._take(bucket)
            await self._take(self.overall)

    async def _take(self, bucket: TokenBucket) -> None:
        while (delay := bucket.wait_time()) > 0:
            await self.sleep(delay)
