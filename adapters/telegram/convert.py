"""Telegram updates -> the core's IncomingMessage.

Files are not downloaded here: each Attachment carries a fetcher that calls getFile
and downloads only when the core asks (a voice note the core refuses costs nothing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Message, MessageEntity, Update

from bot.types import Attachment, AttachmentKind, ChannelRef, Identity, IncomingMessage

PLATFORM = "telegram"
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the Bot API's getFile limit

FileFetcher = Callable[[str, int | None], Awaitable[bytes]]

# Kinds the core cannot read: it answers kindly, naming what it got.
_OTHER_KINDS = [
    ("sticker", "a sticker"),
    ("video_note", "a video message"),
    ("animation", "a GIF"),
    ("video", "a video"),
    ("venue", "a location"),
    ("location", "a location"),
    ("contact", "a contact"),
    ("poll", "a poll"),
    ("dice", "a dice roll"),
    ("game", "a game"),
    ("story", "a story"),
]


@dataclass(frozen=True, slots=True)
class BotInfo:
    id: int
    username: str | None
    group_mode: str = "mention"  # mention | off


def chat_id_of(update: Update) -> str | None:
    """The chat an update belongs to: the key that keeps one chat's updates in order."""
    chat = update.effective_chat
    if chat is not None:
        return str(chat.id)
    user = update.effective_user
    return str(user.id) if user is not None else None


def to_incoming(update: Update, bot: BotInfo, fetch: FileFetcher) -> IncomingMessage | None:
    """The core's view of an update, or None for updates the companion ignores
    (edits, channel posts, bots, service messages)."""
    if update.callback_query is not None:
        return _callback(update, bot)
    message = update.message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    if message.chat is None:  # type: ignore[comparison-overlap]  # malformed: no chat
        return None
    user = message.from_user
    private = message.chat.type == "private"
    text = message.text or message.caption or ""
    addressed = True
    if not private:
        addressed, text = _addressed(message, text, bot)
    attachments = _attachments(message, fetch)
    if not text and not attachments:
        return None  # a service message: someone joined, a title changed...
    return IncomingMessage(
        identity=Identity(PLATFORM, str(user.id)),
        channel=ChannelRef(PLATFORM, str(message.chat.id), is_private=private),
        text=text,
        attachments=attachments,
        sent_at=message.date,
        display_name=user.first_name,
        message_id=str(message.message_id),
        reply_to=str(message.reply_to_message.message_id) if message.reply_to_message else None,
        addressed=addressed,
    )


def _callback(update: Update, bot: BotInfo) -> IncomingMessage | None:
    query = update.callback_query
    assert query is not None
    if query.data is None:
        return None
    chat = query.message.chat if query.message is not None else None
    private = chat is None or chat.type == "private"
    return IncomingMessage(
        identity=Identity(PLATFORM, str(query.from_user.id)),
        channel=ChannelRef(
            PLATFORM, str(chat.id if chat else query.from_user.id), is_private=private
        ),
        display_name=query.from_user.first_name,
        message_id=str(query.message.message_id) if query.message is not None else None,
        callback_data=query.data,
        addressed=private or bot.group_mode != "off",
    )


def _addressed(message: Message, text: str, bot: BotInfo) -> tuple[bool, str]:
    """In a group the bot answers only when mentioned or replied to; the mention is
    taken out of the text so the core sees just the words."""
    if bot.group_mode == "off":
        return False, text
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return True, text
    if not bot.username:
        return False, text
    handle = f"@{bot.username}".lower()
    try:
        entities = (
            message.parse_entities()
            if message.text
            else message.parse_caption_entities()
            if message.caption
            else {}
        )
    except UnicodeDecodeError:
        # Offsets count UTF-16 units; one that cuts a surrogate pair cannot be read.
        # Telegram would not send it, a hostile payload might: go by the text alone.
        entities = {}
    for entity, value in entities.items():
        if entity.type == MessageEntity.MENTION and value.lower() == handle:
            return True, text.replace(value, "").strip()
        if entity.type == MessageEntity.BOT_COMMAND and value.lower().endswith(handle):
            return True, text
    if handle in text.lower():
        return True, text
    return False, text


def _attachments(message: Message, fetch: FileFetcher) -> tuple[Attachment, ...]:
    def fetcher(file_id: str, size: int | None) -> Callable[[], Awaitable[bytes]]:
        return lambda: fetch(file_id, size)

    if message.voice is not None:
        v = message.voice
        return (
            Attachment(
                AttachmentKind.VOICE,
                mime=v.mime_type or "audio/ogg",
                size=v.file_size,
                duration=_seconds(v.duration),
                fetcher=fetcher(v.file_id, v.file_size),
            ),
        )
    if message.audio is not None:
        a = message.audio
        return (
            Attachment(
                AttachmentKind.AUDIO,
                mime=a.mime_type or "audio/mpeg",
                size=a.file_size,
                duration=_seconds(a.duration),
                filename=a.file_name,
                fetcher=fetcher(a.file_id, a.file_size),
            ),
        )
    if message.photo:
        largest = message.photo[-1]  # Telegram lists sizes smallest first
        return (
            Attachment(
                AttachmentKind.IMAGE,
                mime="image/jpeg",
                size=largest.file_size,
                fetcher=fetcher(largest.file_id, largest.file_size),
            ),
        )
    if message.document is not None:
        d = message.document
        is_image = (d.mime_type or "").startswith("image/")
        return (
            Attachment(
                AttachmentKind.IMAGE if is_image else AttachmentKind.FILE,
                mime=d.mime_type,
                size=d.file_size,
                filename=d.file_name,
                fetcher=fetcher(d.file_id, d.file_size),
                description=None if is_image else "a file",
            ),
        )
    for attribute, description in _OTHER_KINDS:
        if getattr(message, attribute, None):
            return (Attachment(AttachmentKind.OTHER, description=description),)
    return ()


def _seconds(value: object) -> float | None:
    if value is None:
        return None
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
