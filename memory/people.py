"""People and their platform identities."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.types import Identity, Person
from memory.db import Database
from memory.schema import IdentityRow, PersonRow

# last_seen_at is refreshed at most this often: it orders channels, it is no log.
SEEN_RESOLUTION = timedelta(seconds=60)


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
        async with self.db.session() as s:
            found = (
                await s.execute(
                    select(IdentityRow, PersonRow)
                    .join(PersonRow, PersonRow.id == IdentityRow.person_id)
                    .where(
                        IdentityRow.platform == identity.platform,
                        IdentityRow.platform_user_id == identity.platform_user_id,
                    )
                )
            ).first()
            if found is None:
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
                ident = IdentityRow(
                    person_id=person.id,
                    platform=identity.platform,
                    platform_user_id=identity.platform_user_id,
                    chat_id=chat_id,
                    unreachable=False,
                    last_seen_at=now,
                    created_at=now,
                )
                s.add(ident)
                await s.flush()
                return to_person(person)
            ident, person = found
            # Writes only when something changed: this runs for every message.
            if ident.unreachable:
                ident.unreachable = False  # they wrote: the channel works again
            if chat_id and ident.chat_id != chat_id:
                ident.chat_id = chat_id
            if ident.last_seen_at is None or now - ident.last_seen_at >= SEEN_RESOLUTION:
                ident.last_seen_at = now
                person.last_seen_at = now
            if display_name and not person.display_name:
                person.display_name = display_name
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
