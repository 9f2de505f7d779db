"""discord.Message -> IncomingMessage.

In direct messages every message is for the companion. In servers it answers only
when mentioned (or replied to), with the mention taken out of the text, or never
(``COMPANION_DISCORD_GROUP_MODE=off``). Files are described, not downloaded: the
core fetches their bytes only if it needs them."""

from __future__ import annotations

import re

import discord

from adapters.downloads import capped_fetcher
from bot.types import Attachment, AttachmentKind, ChannelRef, Identity, IncomingMessage

PLATFORM = "discord"
_HANDLED_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def is_private(channel: object) -> bool:
    if isinstance(channel, discord.DMChannel):
        return True
    # A message fetched again through a partial channel (crash recovery).
    return (
        isinstance(channel, discord.PartialMessageable)
        and channel.type is discord.ChannelType.private
    )


def mentions_bot(message: discord.Message, bot_id: int) -> bool:
    if any(user.id == bot_id for user in message.mentions) or bot_id in message.raw_mentions:
        return True
    resolved = message.reference.resolved if message.reference else None
    return isinstance(resolved, discord.Message) and resolved.author.id == bot_id


def strip_mention(text: str, bot_id: int) -> str:
    return re.sub(rf"<@!?{bot_id}>", "", text).strip()


def attachment_kind(item: discord.Attachment) -> AttachmentKind:
    mime = (item.content_type or "").split(";")[0].strip().lower()
    if item.is_voice_message():
        return AttachmentKind.VOICE
    if mime.startswith("audio/"):
        return AttachmentKind.AUDIO
    if mime.startswith("image/"):
        return AttachmentKind.IMAGE
    if mime.startswith("video/"):
        return AttachmentKind.OTHER
    return AttachmentKind.FILE


def to_attachment(item: discord.Attachment) -> Attachment:
    kind = attachment_kind(item)
    mime = (item.content_type or "").split(";")[0].strip() or None
    return Attachment(
        kind=kind,
        mime=mime,
        size=item.size,
        duration=item.duration,
        filename=item.filename,
        fetcher=capped_fetcher(item.url),  # lazy, and stopped at the core's size limit
        description="a video" if kind is AttachmentKind.OTHER else None,
    )


def to_incoming(
    message: discord.Message, *, bot_id: int, group_mode: str = "mention"
) -> IncomingMessage | None:
    """The core's view of a message, or None when it is not for the companion
    (its own messages, other bots, system messages, server chatter)."""
    if message.author.bot or message.author.id == bot_id or message.webhook_id is not None:
        return None
    if message.type not in _HANDLED_TYPES:
        return None
    private = is_private(message.channel)
    text = message.content or ""
    if not private:
        if group_mode == "off" or not mentions_bot(message, bot_id):
            return None
        text = strip_mention(text, bot_id)
    attachments = [to_attachment(a) for a in message.attachments]
    if not private and not text and not attachments:
        return None  # a reply without the mention: Discord withholds its text
    attachments += [
        Attachment(kind=AttachmentKind.OTHER, description="a sticker") for _ in message.stickers
    ]
    reference = message.reference
    return IncomingMessage(
        identity=Identity(PLATFORM, str(message.author.id)),
        channel=ChannelRef(PLATFORM, str(message.channel.id), is_private=private),
        text=text,
        attachments=tuple(attachments),
        sent_at=message.created_at,
        display_name=message.author.display_name,
        message_id=str(message.id),
        reply_to=str(reference.message_id) if reference and reference.message_id else None,
        addressed=True,
    )
