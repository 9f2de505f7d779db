"""The personal page's web application: who is asking, sign-in and sign-out, the
checks every form passes, and the error pages. The sections live in sections.py."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from adapters.web import render, security
from bot.interfaces import require
from bot.personal_page import PageError, PersonalPage
from bot.runtime import Runtime
from bot.types import Person
from bot.web_access import SignedIn, WebAccess, csrf_matches

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_BODY = 64 * 1024  # forms only: a memory is at most 2,000 characters
SIGNIN_PATH = re.compile(r"/signin/[^/]*")


@dataclass(frozen=True, slots=True)
class Visitor:
    """A signed-in browser and the person it belongs to."""

    signed: SignedIn
    secret: str
    person: Person

    @property
    def id(self) -> int:
        return self.person.id


class Refused(web.HTTPException):
    """An error answered with a page of ours."""

    def __init__(self, status: int, page: str) -> None:
        self.status_code = status
        super().__init__(text=page, content_type="text/html")


def refuse(status: int, title: str, *lines: str, visitor: Visitor | None = None) -> Refused:
    """An error page (raised): same headers, same look, kind words."""
    page = render.html(
        "message.html",
        status=status,
        title=title,
        lines=list(lines),
        visitor=visitor,
        csrf=visitor.signed.csrf if visitor else "",
    )
    return Refused(status, page.text or "")


def safe_path(value: Any, default: str) -> str:
    """Where to go back to after a form: one of our own paths, never another site."""
    path = str(value or "")
    if not path.startswith("/") or path.startswith("//") or "\\" in path or len(path) > 500:
        return default
    return path


class Site:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.access: WebAccess = require(runtime.services.web_access, "web_access")
        self.page = PersonalPage(runtime)
        self.attempts = security.Attempts()
        base = runtime.settings.public_web_url
        self.origin = security.origin_of(base)
        self.secure = base.startswith("https://")
        self.session_cookie, self.flash_cookie = security.cookie_names(self.secure)

    # ------------------------------------------------------------------ who

    async def visitor(self, request: web.Request) -> Visitor | None:
        secret = request.cookies.get(self.session_cookie)
        signed = await self.access.signed_in(secret)
        if signed is None or secret is None:
            return None
        person = await self.runtime.people.get(signed.person_id)
        return Visitor(signed, secret, person) if person is not None else None

    async def need(self, request: web.Request) -> Visitor:
        visitor = await self.visitor(request)
        if visitor is None:
            raise refuse(
                401,
                "Please sign in",
                "Send /web to me in a private chat (Telegram, Discord or the console): "
                "I'll answer with a sign-in link for you.",
            )
        return visitor

    async def form(self, request: web.Request) -> tuple[Visitor, MultiDictProxy[Any]]:
        """A form post from our own page, by a signed-in browser, with its CSRF token."""
        if not security.same_origin(request, self.origin):
            raise refuse(
                403,
                "Refused",
                "That form came from another site, so I did nothing. "
                f"Use the page at {self.runtime.settings.public_web_url}.",
            )
        visitor = await self.need(request)
        data = await request.post()
        if not csrf_matches(visitor.secret, _text(data.get("csrf"))):
            raise refuse(
                403,
                "This form has expired",
                "Nothing was changed. Reload the page and try again.",
                visitor=visitor,
            )
        return visitor, data

    # ------------------------------------------------------------------ answers

    def show(
        self, request: web.Request, visitor: Visitor | None, template: str, **context: Any
    ) -> web.Response:
        flash = render.decode_flash(request.cookies.get(self.flash_cookie))
        response = render.html(
            template,
            visitor=visitor,
            csrf=visitor.signed.csrf if visitor else "",
            flash=flash,
            **context,
        )
        if flash is not None:
            security.clear_cookie(response, self.flash_cookie, secure=self.secure)
        return response

    def after(self, path: str, lines: list[str], *, ok: bool = True) -> web.Response:
        """Post, then redirect, then get: a reload never repeats what was done."""
        response = web.Response(status=303, headers={"Location": path})
        security.set_cookie(
            response,
            self.flash_cookie,
            render.encode_flash(ok, lines),
            secure=self.secure,
            max_age=120,
        )
        return response

    async def act(
        self, path: str, action: Callable[[], Awaitable[str | list[str]]]
    ) -> web.Response:
        """Run one change; what it said (or why it could not) shows on the next page."""
        try:
            said = await action()
        except PageError as exc:
            return self.after(path, [str(exc)], ok=False)
        return self.after(path, [said] if isinstance(said, str) else said)

    # ------------------------------------------------------------------ sign-in

    async def signin_page(self, request: web.Request) -> web.Response:
        client = security.client_of(request)
        if not self.attempts.allow(client):
            raise refuse(429, "Too many tries", "Please wait ten minutes, then try again.")
        token = request.match_info["token"]
        state = await self.access.check_link(token)
        problem = _link_problem(state)
        if problem is not None:
            self.attempts.failed(client)
            raise refuse(403, "This link can't be used", problem, _ASK_AGAIN)
        return render.html("signin.html", token=token)

    async def signin(self, request: web.Request) -> web.Response:
        client = security.client_of(request)
        if not self.attempts.allow(client):
            raise refuse(429, "Too many tries", "Please wait ten minutes, then try again.")
        if not security.same_origin(request, self.origin):
            self.attempts.failed(client)
            raise refuse(403, "Refused", "Open your sign-in link in your browser.")
        data = await request.post()
        token = _text(data.get("token"))
        state = await self.access.check_link(token)
        redeemed = await self.access.redeem(token) if state else None
        if redeemed is None:
            self.attempts.failed(client)
            problem = _link_problem(state) or "That link has just been used."
            raise refuse(403, "This link can't be used", problem, _ASK_AGAIN)
        secret, signed = redeemed
        response = web.Response(status=303, headers={"Location": "/"})
        max_age = int((signed.expires_at - self.runtime.clock.now()).total_seconds())
        security.set_cookie(
            response, self.session_cookie, secret, secure=self.secure, max_age=max_age
        )
        return response

    async def signout(self, request: web.Request) -> web.Response:
        visitor, _data = await self.form(request)
        await self.access.sign_out(visitor.secret)
        return self._signed_out("You are signed out on this browser.")

    async def signout_everywhere(self, request: web.Request) -> web.Response:
        visitor, _data = await self.form(request)
        ended = await self.access.sign_out_everywhere(visitor.id)
        plural = "s" if ended != 1 else ""
        return self._signed_out(f"You are signed out everywhere ({ended} browser{plural}).")

    def erased(self) -> web.Response:
        response = render.html(
            "message.html",
            title="Everything is erased",
            lines=[
                "Your memories, our conversation, goals, reminders and settings are gone, "
                "on every platform, and so is this sign-in.",
                "If you write to me again, I'll start fresh.",
            ],
        )
        security.clear_cookie(response, self.session_cookie, secure=self.secure)
        return response

    def _signed_out(self, line: str) -> web.Response:
        response = render.html(
            "message.html", title="Signed out", lines=[line, "Send /web for a new link."]
        )
        security.clear_cookie(response, self.session_cookie, secure=self.secure)
        return response

    # ------------------------------------------------------------------ plumbing

    async def stylesheet(self, request: web.Request) -> web.Response:
        return web.Response(
            body=render.stylesheet(),
            content_type="text/css",
            charset="utf-8",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    async def no_icon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)


_ASK_AGAIN = "Send /web to me again for a new link: it works once, for ten minutes."


def _link_problem(state: Any) -> str | None:
    if state is None:
        return "I don't know this link. Check that it was copied whole."
    if state.used:
        return "This link was used already."
    if state.expired:
        return "This link is more than ten minutes old."
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error as a page of ours (with our headers), and nothing leaked."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "text/html":
            raise
        raise refuse(exc.status, exc.reason or "Not here", "There's nothing here.") from None
    except Exception:
        where = SIGNIN_PATH.sub("/signin/…", request.path)  # a link's token stays out of logs
        log.exception("personal page error on %s %s", request.method, where)
        raise refuse(
            500, "Something went wrong", "Nothing was lost; please try again in a moment."
        ) from None


def build_app(runtime: Runtime) -> web.Application:
    from adapters.web.sections import add_sections

    site = Site(runtime)
    app = web.Application(middlewares=[errors], client_max_size=MAX_BODY)
    app.on_response_prepare.append(security.add_headers)
    app.router.add_get("/signin/{token}", site.signin_page)
    app.router.add_post("/signin", site.signin)
    app.router.add_post("/signout", site.signout)
    app.router.add_post("/signout/all", site.signout_everywhere)
    app.router.add_get("/static/style.css", site.stylesheet)
    app.router.add_get("/favicon.ico", site.no_icon)
    add_sections(app, site)
    return app
