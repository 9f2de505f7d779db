"""Platform-neutral types that every layer speaks.

Adapters convert platform updates into these and render these back; the core
never sees a platform SDK object.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    TELEGRAM = "telegram"
    DISCORD = "discord"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who wrote, as the platform knows them. One person may own several."""

    platform: str
    platform_user_id: str


@dataclass(frozen=True, slots=True)
class Person:
    """The internal person: one memory, one set of goals, whatever the platform."""

    id: int
    display_name: str | None = None
    timezone: str = "UTC"
    locale: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)


class AttachmentKind(StrEnum):
    VOICE = "voice"
    AUDIO = "audio"
    IMAGE = "image"
    FILE = "file"
    OTHER = "other"  # stickers, videos, locations...: answered kindly, not processed


Fetcher = Callable[[], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the person sent. Bytes are fetched lazily: only when the core asks."""

    kind: AttachmentKind
    mime: str | None = None
    size: int | None = None
    duration: float | None = None
    filename: str | None = None
    fetcher: Fetcher | None = field(default=None, compare=False, repr=False)
    description: str | None = None  # for OTHER: "a sticker", "a location"...

    async def fetch(self) -> bytes:
        if self.fetcher is None:
            raise ValueError("this attachment has no content to fetch")
        return await self.fetcher()


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """Where a message came from and where a reply goes (a DM, or a group chat)."""

    platform: str
    chat_id: str
    is_private: bool = True


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One thing a person did: a message, or a button press (``callback_data``)."""

    identity: Identity
    channel: ChannelRef
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    sent_at: datetime | None = None
    display_name: str | None = None
    message_id: str | None = None
    reply_to: str | None = None
    callback_data: str | None = None
    # Set by adapters for group chats: was the bot addressed directly?
    addressed: bool = True
    # Set by adapters when a message is handled again after a crash or restart:
    # the person's words may be stored already, and must not appear twice.
    replayed: bool = False

    @property
    def source(self) -> str | None:
        """Where this message came from, to recognise it when it comes again."""
        if self.message_id is None:
            return None
        return f"{self.channel.chat_id}:{self.message_id}"


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """What the core says. ``text`` is a small Markdown subset: **bold**, _italic_,
    `code`, [links](url) and paragraphs; adapters render it per platform."""

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    voice: bytes | None = None  # OGG/Opus
    document: bytes | None = None
    document_name: str | None = None
    # A picture (PNG), e.g. a progress chart; ``text`` then describes it in words.
    image: bytes | None = None
    # Idempotency key for proactive sends (check-ins, reminders).
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    max_length: int = 4096
    formatting: bool = True
    buttons: bool = True
    voice: bool = True
    documents: bool = True
