"""A channel that captures proactive sends, and can play a blocked or flaky platform."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.channel import DeliveryError, Handler
from bot.types import Capabilities, Identity, OutgoingMessage


@dataclass
class CaptureChannel:
    platform: str = "telegram"
    capabilities: Capabilities = field(default_factory=Capabilities)
    sent: list[tuple[Identity, OutgoingMessage]] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)  # platform user ids that blocked the bot
    transient_failures: int = 0  # the next N sends fail with a retryable error
    attempts: int = 0
    clock: Any = None  # when set, each send's time is kept in ``times``
    times: list[datetime] = field(default_factory=list)

    async def start(self, handler: Handler) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        self.attempts += 1
        await asyncio.sleep(0)
        if identity.platform_user_id in self.blocked:
            raise DeliveryError("Forbidden: bot was blocked by the user", permanent=True)
        if self.transient_failures > 0:
            self.transient_failures -= 1
            raise DeliveryError("502 Bad Gateway")
        self.sent.append((identity, message))
        if self.clock is not None:
            self.times.append(self.clock.now())

    def texts(self, user: str | None = None) -> list[str]:
        return [m.text for i, m in self.sent if user is None or i.platform_user_id == user]
