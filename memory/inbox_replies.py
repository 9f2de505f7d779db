"""Replies saved between "the core answered" and "all of it was sent" (see
memory/inbox_replies_schema.py): a restart sends what is left, and only that."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.types import Button, OutgoingMessage
from memory.db import Database
from memory.inbox_replies_schema import InboxReplyRow
from memory.schema import InboxRow


def _dump(message: OutgoingMessage) -> dict[str, Any]:
    def b64(data: bytes | None) -> str | None:
        return base64.b64encode(data).decode() if data is not None else None

    return {
        "text": message.text,
        "buttons": [[[b.label, b.data] for b in row] for row in message.buttons],
        "voice": b64(message.voice),
        "document": b64(message.document),
        "document_name": message.document_name,
        "image": b64(message.image),
        "key": message.key,
    }


def _load(data: dict[str, Any]) -> OutgoingMessage:
    def raw(value: str | None) -> bytes | None:
        return base64.b64decode(value) if value is not None else None

    return OutgoingMessage(
        text=data.get("text", ""),
        buttons=tuple(tuple(Button(label, d) for label, d in row) for row in data["buttons"]),
        voice=raw(data.get("voice")),
        document=raw(data.get("document")),
        document_name=data.get("document_name"),
        image=raw(data.get("image")),
        key=data.get("key"),
    )


class InboxReplies:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, inbox_id: int, replies: list[OutgoingMessage], *, at: datetime) -> None:
        payload = json.dumps([_dump(r) for r in replies])
        insert = pg_insert if self.db.url.startswith("postgresql") else sqlite_insert
        # One statement: a worker that took over an expired lease replaces the row.
        statement = insert(InboxReplyRow).values(
            inbox_id=inbox_id, payload=payload, sent=0, created_at=at
        )
        statement = statement.on_conflict_do_update(
            index_elements=["inbox_id"],
            set_={"payload": payload, "sent": 0, "created_at": at},
        )
        async with self.db.transaction() as conn:
            await conn.execute(statement)

    async def get(self, inbox_id: int) -> tuple[list[OutgoingMessage], int] | None:
        """The saved replies and how many of them were sent, or None."""
        async with self.db.session() as s:
            row = await s.get(InboxReplyRow, inbox_id)
            if row is None:
                return None
            return [_load(d) for d in json.loads(row.payload)], row.sent

    async def mark_sent(self, inbox_id: int, sent: int) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(InboxReplyRow).where(InboxReplyRow.inbox_id == inbox_id).values(sent=sent)
            )

    async def close(self, inbox_id: int, *, status: str, at: datetime) -> None:
        """The entry is finished ("done" or "failed") and its saved replies go, in one
        transaction: nothing is left half-closed, and it is one write per message."""
        async with self.db.transaction() as conn:
            await conn.execute(
                update(InboxRow).where(InboxRow.id == inbox_id).values(status=status, done_at=at)
            )
            await conn.execute(delete(InboxReplyRow).where(InboxReplyRow.inbox_id == inbox_id))

    async def erase_for(self, users: list[tuple[str, str]]) -> None:
        """Replies to these (platform, user) pairs not yet sent: they hold messages."""
        async with self.db.session() as s:
            for platform, user_key in users:
                ids = select(InboxRow.id).where(
                    InboxRow.platform == platform, InboxRow.user_key == user_key
                )
                await s.execute(delete(InboxReplyRow).where(InboxReplyRow.inbox_id.in_(ids)))

    async def export_for(self, users: list[tuple[str, str]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        async with self.db.session() as s:
            for platform, user_key in users:
                rows = await s.scalars(
                    select(InboxReplyRow)
                    .join(InboxRow, InboxRow.id == InboxReplyRow.inbox_id)
                    .where(InboxRow.platform == platform, InboxRow.user_key == user_key)
                )
                for row in rows:
                    texts = [d.get("text", "") for d in json.loads(row.payload)]
                    out.append({"platform": platform, "unsent_replies": texts[row.sent :]})
        return out
