"""Storage for /link and /unlink: one-time codes, failed attempts, and moving an
identity (with what the core owns) from one person to another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from bot.types import Identity
from memory.db import Database
from memory.links_schema import LinkAttemptRow, LinkCodeRow
from memory.ownership import move_rows
from memory.schema import IdentityRow, PersonRow, TurnRow


@dataclass(frozen=True, slots=True)
class CodeState:
    """What a code hash points at, whatever its state."""

    person_id: int
    platform: str
    expired: bool
    used: bool


class LinkStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ codes

    async def put_code(
        self, person_id: int, platform: str, code_hash: str, *, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new code; the person's earlier unused codes stop working."""
        async with self.db.session() as s:
            await s.execute(
                delete(LinkCodeRow).where(
                    LinkCodeRow.person_id == person_id, LinkCodeRow.used_at.is_(None)
                )
            )
            s.add(
                LinkCodeRow(
                    person_id=person_id,
                    platform=platform,
                    code_hash=code_hash,
                    created_at=now,
                    expires_at=expires_at,
                    used_at=None,
                )
            )

    async def lookup(self, code_hash: str, *, now: datetime) -> CodeState | None:
        async with self.db.session() as s:
            row = await s.scalar(select(LinkCodeRow).where(LinkCodeRow.code_hash == code_hash))
            if row is None:
                return None
            return CodeState(
                person_id=row.person_id,
                platform=row.platform,
                expired=row.expires_at <= now,
                used=row.used_at is not None,
            )

    async def use(self, code_hash: str, *, now: datetime) -> bool:
        """Mark a live code used. False when someone else used it first or it expired."""
        async with self.db.session() as s:
            result = await s.execute(
                update(LinkCodeRow)
                .where(
                    LinkCodeRow.code_hash == code_hash,
                    LinkCodeRow.used_at.is_(None),
                    LinkCodeRow.expires_at > now,
                )
                .values(used_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ attempts

    async def failures_since(self, identity: Identity, since: datetime) -> int:
        async with self.db.session() as s:
            count = await s.scalar(
                select(func.count(LinkAttemptRow.id)).where(
                    LinkAttemptRow.platform == identity.platform,
                    LinkAttemptRow.platform_user_id == identity.platform_user_id,
                    LinkAttemptRow.at >= since,
                )
            )
            return int(count or 0)

    async def add_failure(
        self, identity: Identity, *, at: datetime, forget_before: datetime
    ) -> None:
        async with self.db.session() as s:
            await s.execute(delete(LinkAttemptRow).where(LinkAttemptRow.at < forget_before))
            s.add(
                LinkAttemptRow(
                    platform=identity.platform,
                    platform_user_id=identity.platform_user_id,
                    at=at,
                )
            )

    # ------------------------------------------------------------------ moving identities

    async def move_identity(self, identity: Identity, to_person: int) -> int:
        """Put ``identity`` on ``to_person``; returns the person it belonged to."""
        async with self.db.session() as s:
            row = await s.scalar(
                select(IdentityRow).where(
                    IdentityRow.platform == identity.platform,
                    IdentityRow.platform_user_id == identity.platform_user_id,
                )
            )
            if row is None:
                raise LookupError(f"no identity {identity}")
            former = row.person_id
            row.person_id = to_person
            return former

    async def merge_core(self, from_person: int, to_person: int) -> None:
        """Move what the core owns: turns, identities, settings the target lacks, and
        the profile fields it has not set."""
        async with self.db.session() as s:
            await move_rows(s, (TurnRow, IdentityRow), from_person, to_person)
            source = await s.get(PersonRow, from_person)
            target = await s.get_one(PersonRow, to_person)
            if source is None:
                return
            settings: dict[str, Any] = dict(source.settings or {})
            settings.update(target.settings or {})  # the target's own choices win
            target.settings = settings
            if not target.display_name and source.display_name:
                target.display_name = source.display_name
            if not target.locale and source.locale:
                target.locale = source.locale

    async def has_identities(self, person_id: int) -> bool:
        async with self.db.session() as s:
            count = await s.scalar(
                select(func.count(IdentityRow.id)).where(IdentityRow.person_id == person_id)
            )
            return bool(count)

    async def split_off(self, identity: Identity, *, now: datetime) -> tuple[int, int]:
        """Give ``identity`` a fresh person of its own (same name, time zone and
        locale, empty history). Returns (former person, new person)."""
        async with self.db.session() as s:
            row = await s.scalar(
                select(IdentityRow).where(
                    IdentityRow.platform == identity.platform,
                    IdentityRow.platform_user_id == identity.platform_user_id,
                )
            )
            if row is None:
                raise LookupError(f"no identity {identity}")
            former = await s.get_one(PersonRow, row.person_id)
            fresh = PersonRow(
                display_name=former.display_name,
                timezone=former.timezone,
                locale=former.locale,
                settings={},
                created_at=now,
                last_seen_at=now,
                preferred_platform=None,
            )
            s.add(fresh)
            await s.flush()
            row.person_id = fresh.id
            if (former.settings or {}).get("preferred_platform") == identity.platform:
                settings = dict(former.settings or {})
                settings.pop("preferred_platform", None)
                former.settings = settings
                former.preferred_platform = None
            return former.id, fresh.id

    # ------------------------------------------------------------------ personal data

    async def export(self, person_id: int) -> list[dict[str, Any]]:
        async with self.db.session() as s:
            rows = await s.scalars(select(LinkCodeRow).where(LinkCodeRow.person_id == person_id))
            return [
                {
                    "platform": r.platform,
                    "created_at": r.created_at.isoformat(),
                    "expires_at": r.expires_at.isoformat(),
                    "used": r.used_at is not None,
                }
                for r in rows
            ]

    async def erase(self, person_id: int, identities: list[Identity]) -> None:
        async with self.db.session() as s:
            await s.execute(delete(LinkCodeRow).where(LinkCodeRow.person_id == person_id))
            for identity in identities:
                await s.execute(
                    delete(LinkAttemptRow).where(
                        LinkAttemptRow.platform == identity.platform,
                        LinkAttemptRow.platform_user_id == identity.platform_user_id,
                    )
                )
