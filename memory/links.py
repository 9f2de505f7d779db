"""Storage for /link and /unlink: one-time codes, failed attempts (by a keyed hash
of the identity, kept apart from the person), and moving an identity (with what the
core owns) from one person to another."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.types import Identity
from memory.db import Database
from memory.links_schema import LinkAttemptKeyRow, LinkAttemptRow, LinkCodeRow
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
        self._key: bytes | None = None

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
    # Counted against the platform identity, which the guesser cannot reset (erasing
    # themselves makes a new person, not a new identity), under a keyed hash and for
    # an hour only: the rows name no person, and /deleteme leaves them be.

    async def failures_since(self, identity: Identity, since: datetime) -> int:
        who = await self._who(identity)
        async with self.db.session() as s:
            await s.execute(delete(LinkAttemptRow).where(LinkAttemptRow.at < since))
            count = await s.scalar(
                select(func.count(LinkAttemptRow.id)).where(
                    LinkAttemptRow.who == who, LinkAttemptRow.at >= since
                )
            )
            return int(count or 0)

    async def add_failure(
        self, identity: Identity, *, at: datetime, forget_before: datetime
    ) -> None:
        who = await self._who(identity)
        async with self.db.session() as s:
            await s.execute(delete(LinkAttemptRow).where(LinkAttemptRow.at < forget_before))
            s.add(LinkAttemptRow(who=who, at=at))

    async def forget_attempts_before(self, before: datetime) -> None:
        async with self.db.session() as s:
            await s.execute(delete(LinkAttemptRow).where(LinkAttemptRow.at < before))

    async def _who(self, identity: Identity) -> str:
        key = await self._attempt_key()
        name = f"{identity.platform}\0{identity.platform_user_id}".encode()
        return hmac.new(key, name, hashlib.sha256).hexdigest()

    async def _attempt_key(self) -> bytes:
        """The deployment's key, made on first use; workers racing to make it agree
        on whichever was stored first."""
        if self._key is None:
            async with self.db.session() as s:
                row = await s.get(LinkAttemptKeyRow, 1)
                stored = row.key if row is not None else None
            if stored is None:
                try:
                    async with self.db.session() as s:
                        s.add(LinkAttemptKeyRow(id=1, key=secrets.token_hex(32)))
                except IntegrityError:
                    pass  # another process stored one just now: use that
                async with self.db.session() as s:
                    stored = (await s.get_one(LinkAttemptKeyRow, 1)).key
            self._key = bytes.fromhex(stored)
        return self._key

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

    async def erase(self, person_id: int, identities: list[Identity] | None = None) -> None:
        """The person's codes. Failed attempts stay (they name no one and expire
        within the hour): erasing must not reopen guessing."""
        async with self.db.session() as s:
            await s.execute(delete(LinkCodeRow).where(LinkCodeRow.person_id == person_id))
