"""Per chat, how far its history has been taken into the inbox (see
memory/channel_cursors_schema.py). A platform that does not redeliver what a bot
missed while it was offline or disconnected (Discord) is read again from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from memory.channel_cursors_schema import ChannelCursorRow
from memory.db import Database


@dataclass(frozen=True, slots=True)
class Cursor:
    channel_id: str
    user_key: str | None
    last_message_id: int


class ChannelCursors:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def advance(
        self,
        platform: str,
        channel_id: str,
        message_id: int,
        *,
        user_key: str | None,
        at: datetime,
    ) -> None:
        """Everything in the chat up to ``message_id`` is in the inbox. Never moves
        back (two workers may report the same chat in either order)."""
        insert = self.db.insert
        statement = insert(ChannelCursorRow).values(
            platform=platform,
            channel_id=channel_id,
            user_key=user_key,
            last_message_id=message_id,
            updated_at=at,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["platform", "channel_id"],
            set_={"last_message_id": message_id, "updated_at": at},
            where=ChannelCursorRow.last_message_id < message_id,
        )
        async with self.db.transaction() as conn:
            await conn.execute(statement)

    async def get(self, platform: str, channel_id: str) -> int | None:
        async with self.db.session() as s:
            return await s.scalar(
                select(ChannelCursorRow.last_message_id).where(
                    ChannelCursorRow.platform == platform,
                    ChannelCursorRow.channel_id == channel_id,
                )
            )

    async def all(self, platform: str) -> list[Cursor]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(ChannelCursorRow)
                .where(ChannelCursorRow.platform == platform)
                .order_by(ChannelCursorRow.updated_at.desc())
            )
            return [Cursor(r.channel_id, r.user_key, r.last_message_id) for r in rows]

    async def export_for(self, users: list[tuple[str, str]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        async with self.db.session() as s:
            for platform, user_key in users:
                rows = await s.scalars(
                    select(ChannelCursorRow).where(
                        ChannelCursorRow.platform == platform, ChannelCursorRow.user_key == user_key
                    )
                )
                out += [
                    {
                        "platform": platform,
                        "chat": r.channel_id,
                        "read_up_to": str(r.last_message_id),
                    }
                    for r in rows
                ]
        return out

    async def erase_for(self, users: list[tuple[str, str]]) -> None:
        async with self.db.session() as s:
            for platform, user_key in users:
                await s.execute(
                    delete(ChannelCursorRow).where(
                        ChannelCursorRow.platform == platform, ChannelCursorRow.user_key == user_key
                    )
                )
