"""People and their platform identities."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.types import Identity, Person
from memory.db import Database
from memory.prepared import Prepared
from memory.schema import IdentityRow, PersonRow

# last_seen_at is refreshed at most this often: it orders channels, it is no log.
SEEN_RESOLUTION = timedelta(seconds=60)


# Every message resolves its sender: plain prepared statements, not the ORM's
# session and identity map (about a millisecond of CPU per message).
_FIND = Prepared(
    select(
        IdentityRow.id,
        IdentityRow.chat_id,
        IdentityRow.unreachable,
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
_TOUCH_IDENTITY = Prepared(
    update(IdentityRow)
    .where(IdentityRow.id == bindparam("identity"))
    .values(
        unreachable=False,
        chat_id=bindparam("new_chat_id"),
        last_seen_at=bindparam("seen"),
    )
)
_TOUCH_PERSON = Prepared(
    update(PersonRow)
    .where(PersonRow.id == bindparam("person"))
    .values(last_seen_at=bindparam("seen"), display_name=bindparam("name"))
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
            found = await _FIND.first(
                conn, {"platform": identity.platform, "user": identity.platform_user_id}
            )
            if found is not None:
                return await self._seen(conn, found, display_name, chat_id, now)
        return await self._create(identity, display_name, chat_id, now)

    @staticmethod
    async def _seen(
        conn: Any,
        found: tuple[Any, ...],
        display_name: str | None,
        chat_id: str | None,
        now: datetime,
    ) -> Person:
        """The person found; writes only when something changed (every message)."""
        ident_id, ident_chat, unreachable, ident_seen = found[:4]
        person_id, name, timezone, locale, settings = found[4:]
        seen_due = ident_seen is None or now - ident_seen >= SEEN_RESOLUTION
        new_chat = chat_id if chat_id and ident_chat != chat_id else ident_chat
        if unreachable or new_chat != ident_chat or seen_due:
            # They wrote: the channel works again; a DM's chat may have moved.
            await _TOUCH_IDENTITY.run(
                conn,
                {
                    "identity": ident_id,
                    "new_chat_id": new_chat,
                    "seen": now if seen_due else ident_seen,
                },
            )
        named = bool(display_name and not name)  # a name fills a gap, never replaces
        if named:
            name = display_name
        if named or seen_due:
            await _TOUCH_PERSON.run(conn, {"person": person_id, "seen": now, "name": name})
        return Person(
            id=person_id,
            display_name=name,
            timezone=timezone,
            locale=locale,
            settings=dict(settings or {}),
        )

    async def _create(
        self, identity: Identity, display_name: str | None, chat_id: str | None, now: datetime
    ) -> Person:
        """First contact: the person and their identity (IntegrityError when another
        worker created the same identity at the same moment)."""
        async with self.db.session() as s:
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
