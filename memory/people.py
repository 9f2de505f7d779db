"""People and their platform identities."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.types import Identity, Person
from memory.db import Database
from memory.schema import IdentityRow, PersonRow

# last_seen_at is refreshed at most this often: it orders channels, it is no log.
SEEN_RESOLUTION = timedelta(seconds=60)


# Every message resolves its sender: the read is built once (a built statement keeps
# its cache key) and fetches plain columns, not ORM objects.
_FIND = (
    select(
        IdentityRow.id,
        IdentityRow.unreachable,
        IdentityRow.chat_id,
        IdentityRow.last_seen_at,
        PersonRow.id,
        PersonRow.display_name,
        PersonRow.timezone,
        PersonRow.locale,
        PersonRow.settings,
    )
    .join(PersonRow, PersonRow.id == IdentityRow.person_id)
    .where(
        IdentityRow.platform == bindparam("platform"),
        IdentityRow.platform_user_id == bindparam("user"),
    )
)


def to_person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        display_name=row.display_name,
        timezone=row.timezone,
        locale=row.locale,
        settings=dict(row.settings or {}),
    )


class PeopleStore:
    def __init__(self, db: Database, *, default_timezone: str = "UTC") -> None:
        self.db = db
        self.default_timezone = default_timezone

    async def find(self, identity: Identity) -> Person | None:
        async with self.db.session() as s:
            row = await s.scalar(
                select(PersonRow)
                .join(IdentityRow, IdentityRow.person_id == PersonRow.id)
                .where(
                    IdentityRow.platform == identity.platform,
                    IdentityRow.platform_user_id == identity.platform_user_id,
                )
            )
            return to_person(row) if row else None

    async def resolve(
        self,
        identity: Identity,
        *,
        display_name: str | None = None,
        chat_id: str | None = None,
        now: datetime,
    ) -> Person:
        """The person behind an identity, created on first contact. Also records that
        they were seen now, on this platform, so proactive messages know where to go."""
        for _attempt in range(3):
            try:
                return await self._resolve_once(identity, display_name, chat_id, now)
            except IntegrityError:
                continue  # another worker created the same identity at the same moment
        raise RuntimeError(f"could not resolve identity {identity}")

    async def _resolve_once(
        self, identity: Identity, display_name: str | None, chat_id: str | None, now: datetime
    ) -> Person:
        async with self.db.transaction() as conn:
            found = (
                await conn.execute(
                    _FIND, {"platform": identity.platform, "user": identity.platform_user_id}
                )
            ).first()
            if found is None:
                return await self._create(conn, identity, display_name, chat_id, now)
            ident_id, unreachable, ident_chat, seen, person_id, name, tz, locale, settings = found
            # Writes only when something changed: this runs for every message.
            ident_changes: dict[str, Any] = {}
            person_changes: dict[str, Any] = {}
            if unreachable:
                ident_changes["unreachable"] = False  # they wrote: the channel works again
            if chat_id and ident_chat != chat_id:
                ident_changes["chat_id"] = chat_id
            if seen is None or now - seen >= SEEN_RESOLUTION:
                ident_changes["last_seen_at"] = now
                person_changes["last_seen_at"] = now
            if display_name and not name:
                person_changes["display_name"] = name = display_name
            if ident_changes:
                await conn.execute(
                    update(IdentityRow).where(IdentityRow.id == ident_id).values(**ident_changes)
                )
            if person_changes:
                await conn.execute(
                    update(PersonRow).where(PersonRow.id == person_id).values(**person_changes)
                )
            return Person(
                id=person_id,
                display_name=name,
                timezone=tz,
                locale=locale,
                settings=dict(settings or {}),
            )

    async def _create(
        self,
        conn: AsyncConnection,
        identity: Identity,
        display_name: str | None,
        chat_id: str | None,
        now: datetime,
    ) -> Person:
        """First contact: the person and their identity (a unique key on the identity
        makes a second worker creating it at the same moment fail and retry)."""
        async with AsyncSession(bind=conn) as s:
            person = PersonRow(
                display_name=display_name,
                timezone=self.default_timezone,
                settings={},
                created_at=now,
                last_seen_at=now,
                preferred_platform=None,
            )
            s.add(person)
            await s.flush()
            s.add(
                IdentityRow(
                    person_id=person.id,
                    platform=identity.platform,
                    platform_user_id=identity.platform_user_id,
                    chat_id=chat_id,
                    unreachable=False,
                    last_seen_at=now,
                    created_at=now,
                )
            )
            await s.flush()
            return to_person(person)

    async def get(self, person_id: int) -> Person | None:
        async with self.db.session() as s:
            row = await s.get(PersonRow, person_id)
            return to_person(row) if row else None

    async def update(self, person_id: int, **fields: Any) -> None:
        """Set columns on a person (display_name, timezone, locale, preferred_platform...)."""
        async with self.db.session() as s:
            await s.execute(update(PersonRow).where(PersonRow.id == person_id).values(**fields))

    async def update_settings(self, person_id: int, **changes: Any) -> dict[str, Any]:
        """Merge ``changes`` into the person's settings; ``None`` removes a key."""
        async with self.db.session() as s:
            row = await s.get_one(PersonRow, person_id, with_for_update=not self.db.is_sqlite)
            merged = dict(row.settings or {})
            for key, value in changes.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            row.settings = merged
            return merged

    async def identities(self, person_id: int) -> list[IdentityRow]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(IdentityRow)
                .where(IdentityRow.person_id == person_id)
                .order_by(IdentityRow.last_seen_at.desc())
            )
            return list(rows)

    async def set_unreachable(self, identity: Identity, unreachable: bool = True) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(IdentityRow)
                .where(
                    IdentityRow.platform == identity.platform,
                    IdentityRow.platform_user_id == identity.platform_user_id,
                )
                .values(unreachable=unreachable)
            )

    async def erase(self, person_id: int) -> None:
        async with self.db.session() as s:
            await s.execute(delete(IdentityRow).where(IdentityRow.person_id == person_id))
            await s.execute(delete(PersonRow).where(PersonRow.id == person_id))
