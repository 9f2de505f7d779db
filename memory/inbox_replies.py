"""Replies saved between "the core answered" and "all of it was sent" (see
memory/inbox_replies_schema.py): a restart sends what is left, and only that."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, literal, select, update
from sqlalchemy.exc import IntegrityError

from bot.types import Button, OutgoingMessage
from memory.db import Database
from memory.inbox_replies_schema import InboxReplyRow
from memory.schema import InboxRow, UTCDateTime

# The group commit's statements, built once with the id list as one expanding
# parameter: written anew, each id was coerced into the statement one by one.
_IDS: Any = bindparam("ids", expanding=True)
_EXISTING = select(InboxRow.id).where(InboxRow.id.in_(_IDS))
_CLOSE = (
    update(InboxRow)
    .where(InboxRow.id.in_(_IDS))
    .values(status=bindparam("new_status"), done_at=bindparam("at"))
)
_CLOSE_FORGETTING = _CLOSE.values(payload="")
_DROP_REPLIES = delete(InboxReplyRow).where(InboxReplyRow.inbox_id.in_(_IDS))


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
        self._upsert: Any = None

    async def save(self, inbox_id: int, replies: list[OutgoingMessage], *, at: datetime) -> bool:
        """Keep the replies of an entry until they are sent. False when the entry no
        longer exists: the message erased its own sender (/deleteme), so there is
        nothing to keep them under, and nothing about the person may be kept."""
        payload = json.dumps([_dump(r) for r in replies])
        insert = self.db.insert
        # One statement, written only while the entry exists; a worker that took over
        # an expired lease replaces the row.
        source = select(
            InboxRow.id, literal(payload), literal(0), literal(at, UTCDateTime())
        ).where(InboxRow.id == inbox_id)
        statement = insert(InboxReplyRow).from_select(
            ["inbox_id", "payload", "sent", "created_at"], source
        )
        upsert = statement.on_conflict_do_update(
            index_elements=["inbox_id"],
            set_={"payload": payload, "sent": 0, "created_at": at},
        ).returning(InboxReplyRow.inbox_id)
        async with self.db.transaction() as conn:
            return (await conn.execute(upsert)).first() is not None

    async def save_many(
        self, items: Sequence[tuple[int, list[OutgoingMessage]]], *, at: datetime
    ) -> list[bool]:
        """:meth:`save` for several entries in one transaction (group commit): for
        each, whether it was kept (False: the entry was erased meanwhile)."""
        payloads = {
            inbox_id: json.dumps([_dump(r) for r in replies]) for inbox_id, replies in items
        }
        try:
            async with self.db.transaction() as conn:
                found = await conn.scalars(_EXISTING, {"ids": list(payloads)})
                existing = set(found)
                rows = [
                    {"inbox_id": i, "payload": p, "sent": 0, "created_at": at}
                    for i, p in payloads.items()
                    if i in existing
                ]
                if rows:
                    await conn.execute(self._saving(), rows)
        except IntegrityError:
            # An entry erased between the check and the write (another process's
            # /deleteme): one by one, each checked as it is written.
            return [await self.save(i, replies, at=at) for i, replies in items]
        return [inbox_id in existing for inbox_id, _replies in items]

    def _saving(self) -> Any:
        """The upsert for any batch size, built once (an executemany): one with the
        rows written into it was compiled anew for every batch size."""
        if self._upsert is None:
            statement = self.db.insert(InboxReplyRow)
            self._upsert = statement.on_conflict_do_update(
                index_elements=["inbox_id"],
                set_={
                    "payload": statement.excluded.payload,
                    "sent": 0,
                    "created_at": statement.excluded.created_at,
                },
            )
        return self._upsert

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

    async def close(
        self, inbox_id: int, *, status: str, at: datetime, forget_update: bool = False
    ) -> None:
        """The entry is finished ("done" or "failed") and its saved replies go, in one
        transaction: nothing is left half-closed, and it is one write per message.
        ``forget_update`` empties the raw update at once (a retention of zero)."""
        values: dict[str, Any] = {"status": status, "done_at": at}
        if forget_update:
            values["payload"] = ""
        async with self.db.transaction() as conn:
            await conn.execute(update(InboxRow).where(InboxRow.id == inbox_id).values(**values))
            await conn.execute(delete(InboxReplyRow).where(InboxReplyRow.inbox_id == inbox_id))

    async def close_many(
        self, items: Sequence[tuple[int, str, bool]], *, at: datetime
    ) -> list[None]:
        """:meth:`close` for several (entry, status, forget_update) in one transaction."""
        groups: dict[tuple[str, bool], list[int]] = {}
        for inbox_id, status, forget in items:
            groups.setdefault((status, forget), []).append(inbox_id)
        async with self.db.transaction() as conn:
            for (status, forget), ids in groups.items():
                close = _CLOSE_FORGETTING if forget else _CLOSE
                await conn.execute(close, {"ids": ids, "new_status": status, "at": at})
            every = [inbox_id for inbox_id, _status, _forget in items]
            await conn.execute(_DROP_REPLIES, {"ids": every})
        return [None] * len(items)

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
