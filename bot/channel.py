"""The contract between the core and a chat platform."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from bot.types import Capabilities, Identity, IncomingMessage, OutgoingMessage

Handler = Callable[[IncomingMessage], Awaitable[list[OutgoingMessage]]]


class DeliveryError(Exception):
    """A send that failed. ``permanent`` means retrying will not help (blocked bot);
    ``never_sent`` means it surely did not arrive, so it may be tried again later."""

    def __init__(self, message: str, *, permanent: bool = False, never_sent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.never_sent = never_sent


class ChannelRefused(Exception):
    """The platform refused the channel's credentials: retrying cannot help, so this
    channel stops while the others keep serving. ``setting`` names what to fix (the
    message never holds the secret itself)."""

    def __init__(self, platform: str, setting: str, reason: str = "refused the bot token") -> None:
        super().__init__(f"{platform} {reason}: check {setting}")
        self.platform = platform
        self.setting = setting


@runtime_checkable
class Channel(Protocol):
    """One platform. ``start`` begins feeding messages to ``handler``; the core's
    replies come back as the handler's return value; proactive messages go via ``send``."""

    platform: str
    capabilities: Capabilities

    async def start(self, handler: Handler) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, identity: Identity, message: OutgoingMessage) -> None: ...
