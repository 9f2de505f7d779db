"""Platform strings made safe to store, once, where they enter the core.

Two things arrive from platforms that no store takes: lone surrogates (JSON such as
"\\ud800" decodes to them; UTF-8 cannot encode them, so SQLite and PostgreSQL refuse
the row) and NUL characters (PostgreSQL text cannot hold 0x00). Either one in a first
name failed every message of that account; in a message it lost the message. So
every string of an IncomingMessage is cleaned before anything reads it: text,
captions, names, file names, button data, ids."""

from __future__ import annotations

import dataclasses
import re

from bot.types import Attachment, Identity, IncomingMessage

NAME_CHARS = 100  # Telegram allows 64 for a first name, Discord 32 for a display name
# Control characters, and the separators that break a line: a name is one line.
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_text(text: str) -> str:
    """Lone surrogates become U+FFFD; NUL characters are dropped."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text.replace("\x00", "") if "\x00" in text else text


def clean_name(name: str | None) -> str | None:
    """A display name or file name: clean, on one line, not absurdly long."""
    if name is None:
        return None
    name = " ".join(_NOT_IN_NAMES.sub(" ", clean_text(name)).split())
    return name[:NAME_CHARS] or None


def clean_incoming(msg: IncomingMessage) -> IncomingMessage:
    """The same message with every string safe to store (the same object when it
    already was, which is nearly always)."""
    changes: dict[str, object] = {}
    for name in ("text", "message_id", "reply_to", "callback_data"):
        value = getattr(msg, name)
        if value is not None and clean_text(value) != value:
            changes[name] = clean_text(value)
    if msg.display_name is not None and clean_name(msg.display_name) != msg.display_name:
        changes["display_name"] = clean_name(msg.display_name)
    identity = Identity(
        clean_text(msg.identity.platform), clean_text(msg.identity.platform_user_id)
    )
    if identity != msg.identity:
        changes["identity"] = identity
    channel = dataclasses.replace(msg.channel, chat_id=clean_text(msg.channel.chat_id))
    if channel != msg.channel:
        changes["channel"] = channel
    attachments = tuple(_clean_attachment(a) for a in msg.attachments)
    if any(new is not old for new, old in zip(attachments, msg.attachments, strict=True)):
        changes["attachments"] = attachments
    return dataclasses.replace(msg, **changes) if changes else msg  # type: ignore[arg-type]


def _clean_attachment(item: Attachment) -> Attachment:
    changes: dict[str, str | None] = {}
    if item.filename is not None and clean_name(item.filename) != item.filename:
        changes["filename"] = clean_name(item.filename)
    for name in ("mime", "description"):
        value = getattr(item, name)
        if value is not None and clean_text(value) != value:
            changes[name] = clean_text(value)
    return dataclasses.replace(item, **changes) if changes else item  # type: ignore[arg-type]
