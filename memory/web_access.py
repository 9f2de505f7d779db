"""Storage for the personal page's sign-in: one-time links and browser sessions.

Every token is looked up by its hash; the raw tokens exist only in the link sent to
the person and in their browser's cookie."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from memory.db import Database
from memory.web_access_schema import WebLinkRow, WebSessionRow

MAX_SESSIONS = 20  # per person: older sign-ins end when a new one starts beyond this
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is a hint, not a log of visits


@dataclass(frozen=True, slots=True)
class LinkState:
    person_id: int
    expired: bool
    used: bool


@dataclass(frozen=True, slots=True)
class SessionState:
    id: int
    person_id: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime


def _session(row: WebSessionRow) -> SessionState:
    return SessionState(row.id, row.person_id, row.created_at, row.expires_at, row.last_seen_at)


class WebAccessStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ links

    async def put_link(
        self,
        person_id: int,
        platform: str,
        token_hash: str,
        *,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        """Store a new link; the person's earlier unused links stop working, and
        everyone's expired ones go."""
        async with self.db.session() as s:
            await s.execute(
                delete(WebLinkRow).where(
                    (WebLinkRow.expires_at <= now)
                    | ((WebLinkRow.person_id == person_id) & WebLinkRow.used_at.is_(None))
                )
            )
            s.add(
                WebLinkRow(
                    person_id=person_id,
                    token_hash=token_hash,
                    platform=platform,
                    created_at=now,
                    expires_at=expires_at,
                    used_at=None,
                )
            )

    async def link(self, token_hash: str, *, now: datetime) -> LinkState | None:
        async with self.db.session() as s:
            row = await s.scalar(select(WebLinkRow).where(WebLinkRow.token_hash == token_hash))
            if row is None:
                return None
            return LinkState(row.person_id, row.expires_at <= now, row.used_at is not None)

    async def use_link(self, token_hash: str, *, now: datetime) -> int | None:
        """Mark a live link used and return its person; None when it is unknown, used
        (by anyone, even a moment earlier) or expired."""
        async with self.db.session() as s:
            result = await s.execute(
                update(WebLinkRow)
                .where(
                    WebLinkRow.token_hash == token_hash,
                    WebLinkRow.used_at.is_(None),
                    WebLinkRow.expires_at > now,
                )
                .values(used_at=now)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return None
            return await s.scalar(
                select(WebLinkRow.person_id).where(WebLinkRow.token_hash == token_hash)
            )

    # ------------------------------------------------------------------ sessions

    async def add_session(
        self, person_id: int, token_hash: str, *, now: datetime, expires_at: datetime
    ) -> None:
        async with self.db.session() as s:
            await s.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
            s.add(
                WebSessionRow(
                    person_id=person_id,
                    token_hash=token_hash,
                    created_at=now,
                    expires_at=expires_at,
                    last_seen_at=now,
                )
            )
            await s.flush()
            stale = list(
                await s.scalars(
                    select(WebSessionRow.id)
                    .where(WebSessionRow.person_id == person_id)
                    .order_by(WebSessionRow.created_at.desc(), WebSessionRow.id.desc())
                    .offset(MAX_SESSIONS)
                )
            )
            if stale:
                await s.execute(delete(WebSessionRow).where(WebSessionRow.id.in_(stale)))

    async def session(self, token_hash: str, *, now: datetime) -> SessionState | None:
        """The live session with this hash, if any."""
        async with self.db.session() as s:
            row = await s.scalar(
                select(WebSessionRow).where(
                    WebSessionRow.token_hash == token_hash, WebSessionRow.expires_at > now
                )
            )
            if row is None:
                return None
            if now - row.last_seen_at >= TOUCH_EVERY:
                row.last_seen_at = now
            return _session(row)

    async def sessions(self, person_id: int, *, now: datetime) -> list[SessionState]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(WebSessionRow)
                .where(WebSessionRow.person_id == person_id, WebSessionRow.expires_at > now)
                .order_by(WebSessionRow.created_at)
            )
            return [_session(r) for r in rows]

    async def end_session(self, token_hash: str) -> None:
        async with self.db.session() as s:
            await s.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))

    async def end_all(self, person_id: int) -> int:
        """Sign out everywhere: every session and every unused link of the person."""
        async with self.db.session() as s:
            ended = await s.execute(
                delete(WebSessionRow).where(WebSessionRow.person_id == person_id)
            )
            await s.execute(delete(WebLinkRow).where(WebLinkRow.person_id == person_id))
            return int(ended.rowcount or 0)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ privacy

    async def export(self, person_id: int) -> dict[str, Any]:
        """When they signed in, never the hashes."""
        async with self.db.session() as s:
            sessions = await s.scalars(
                select(WebSessionRow).where(WebSessionRow.person_id == person_id)
            )
            links = await s.scalars(select(WebLinkRow).where(WebLinkRow.person_id == person_id))
            return {
                "sessions": [
                    {
                        "signed_in_at": r.created_at.isoformat(),
                        "expires_at": r.expires_at.isoformat(),
                        "last_seen_at": r.last_seen_at.isoformat(),
                    }
                    for r in sessions
                ],
                "links": [
                    {
                        "asked_on": r.platform,
                        "created_at": r.created_at.isoformat(),
                        "used_at": r.used_at.isoformat() if r.used_at else None,
                    }
                    for r in links
                ],
            }

    async def erase(self, person_id: int) -> None:
        await self.end_all(person_id)

    async def merge(self, former: int, target: int) -> None:
        """/link joined two people: the former one's browsers sign in again."""
        await self.end_all(former)
