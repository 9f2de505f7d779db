"""Signing in to the personal page: /web sends a one-time link, the link opens a
session. Platform-free: the HTTP side (adapters/web) asks this module who a browser
is, and nothing else decides it.

Links carry 256 random bits, work once, expire after ten minutes and are bound to
the person who asked; sessions expire after ``COMPANION_WEB_SESSION_DAYS``. Only
hashes are stored. The CSRF token of a session is derived from its secret, so
nothing more needs keeping and no other browser can know it."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.commands import Command
from bot.interfaces import Linking
from bot.turn import TurnInput
from memory.web_access import LinkState, SessionState, WebAccessStore

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

LINK_TTL = timedelta(minutes=10)
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_token() -> str:
    # Hex, not base64: "_" would read as italics in the chat apps' Markdown.
    return secrets.token_hex(TOKEN_BYTES)


def looks_like_token(token: str) -> bool:
    """Cheap shape check before any database work."""
    return len(token) == 2 * TOKEN_BYTES and all(c in "0123456789abcdef" for c in token)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A browser that is signed in: whose it is and its CSRF token."""

    person_id: int
    session_id: int
    expires_at: datetime
    csrf: str


class WebAccess:
    def __init__(self, runtime: Runtime, store: WebAccessStore) -> None:
        self.runtime = runtime
        self.store = store

    @property
    def base_url(self) -> str:
        return self.runtime.settings.public_web_url

    @property
    def session_ttl(self) -> timedelta:
        return timedelta(days=self.runtime.settings.web_session_days)

    # ------------------------------------------------------------------ links

    async def issue_link(self, person_id: int, platform: str) -> str:
        """A fresh sign-in link for the person; their earlier unused links stop working."""
        now = self.runtime.clock.now()
        token = new_token()
        await self.store.put_link(
            person_id, platform, token_hash(token), now=now, expires_at=now + LINK_TTL
        )
        return f"{self.base_url}/signin/{token}"

    async def check_link(self, token: str) -> LinkState | None:
        """What a link is, without using it (the page before the sign-in button)."""
        if not looks_like_token(token):
            return None
        return await self.store.link(token_hash(token), now=self.runtime.clock.now())

    async def redeem(self, token: str) -> tuple[str, SignedIn] | None:
        """Use a link: a new session (its secret for the cookie, and who it is), or
        None when the link is unknown, used or expired."""
        if not looks_like_token(token):
            return None
        now = self.runtime.clock.now()
        person_id = await self.store.use_link(token_hash(token), now=now)
        if person_id is None or await self.runtime.people.get(person_id) is None:
            return None
        secret = new_token()
        await self.store.add_session(
            person_id, token_hash(secret), now=now, expires_at=now + self.session_ttl
        )
        signed = await self.signed_in(secret)
        if signed is None:  # erased in the same instant
            return None
        log.info("person %s signed in to the personal page", person_id)
        return secret, signed

    # ------------------------------------------------------------------ sessions

    async def signed_in(self, secret: str | None) -> SignedIn | None:
        """Who the browser holding this cookie secret is, if its session is live."""
        if not secret or not looks_like_token(secret):
            return None
        state = await self.store.session(token_hash(secret), now=self.runtime.clock.now())
        if state is None:
            return None
        return SignedIn(state.person_id, state.id, state.expires_at, csrf_token(secret))

    async def sessions(self, person_id: int) -> list[SessionState]:
        return await self.store.sessions(person_id, now=self.runtime.clock.now())

    async def sign_out(self, secret: str) -> None:
        await self.store.end_session(token_hash(secret))

    async def sign_out_everywhere(self, person_id: int) -> int:
        return await self.store.end_all(person_id)


def csrf_token(secret: str) -> str:
    """Per session, derived from the cookie's secret: another site can't read it."""
    return hmac.new(secret.encode(), b"companion-csrf", hashlib.sha256).hexdigest()[:40]


def csrf_matches(secret: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(secret), str(given))


# --------------------------------------------------------------------------- install


# Merges on /link.
NEEDS: tuple[str, ...] = ("linking",)


async def install(runtime: Runtime) -> None:
    store = WebAccessStore(runtime.db)
    access = WebAccess(runtime, store)
    runtime.services.web_access = access
    runtime.personal_data("web", export=store.export, erase=store.erase)
    linking: Linking | None = runtime.services.linking
    if linking is not None:
        linking.mergers["web"] = store.merge

    async def web(turn: TurnInput, _args: str) -> str:
        url = await access.issue_link(turn.person.id, turn.message.identity.platform)
        text = (
            "Your personal page: your memories, goals, reminders, our conversation and "
            f"your data, in one place.\n{url}\n"
            "The link works once, for the next 10 minutes, and only for you: don't "
            "forward it. Send /web again for a new one."
        )
        if runtime.settings.web_url is None:
            text += (
                "\n(If it doesn't open, the page isn't running: whoever runs me can start "
                "`companion web`, or set COMPANION_WEB_URL.)"
            )
        return text

    runtime.companion.commands.add(
        Command("web", "open your personal page (a sign-in link)", web, private_only=True)
    )
