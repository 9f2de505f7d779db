"""The page's defences, in one place: response headers, the same-origin check on
every form, sign-in rate limits and the cookies' attributes."""

from __future__ import annotations

import time
from collections import deque
from urllib.parse import urlsplit

from aiohttp import web

# No script may run (there is none), nothing loads from another site, no other site
# may frame the page or receive a form from it.
CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; style-src 'self'; "
    "img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # The sign-in link holds its token in the address: never sent on as a Referer.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response, errors and images included."""
    for name, value in HEADERS.items():
        response.headers[name] = value
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Server"] = "companion"  # not which library, nor its version


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: web.Request, expected: str) -> bool:
    """A form posted from our own pages. The Origin header names the page's origin;
    with ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` on forms,
    and then ``Sec-Fetch-Site`` (which no page can forge) must say same-origin."""
    origin = request.headers.get("Origin")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if origin and origin != "null":
        return origin.lower() == expected and fetch_site in (None, "same-origin")
    return fetch_site == "same-origin"


class Attempts:
    """Sign-in attempts per client address: at most ``limit`` in ``window`` seconds,
    and fewer once links fail (``failures`` wrong or used links block the address
    for the window). In-process: each serving process counts its own."""

    def __init__(
        self, limit: int = 30, failures: int = 10, window: float = 600.0, max_clients: int = 10_000
    ) -> None:
        self.limit, self.failures, self.window = limit, failures, window
        self.max_clients = max_clients
        self._seen: dict[str, deque[float]] = {}
        self._failed: dict[str, deque[float]] = {}

    def _recent(self, book: dict[str, deque[float]], client: str, now: float) -> deque[float]:
        times = book.setdefault(client, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def allow(self, client: str) -> bool:
        """Count one attempt; False when this client must wait."""
        now = time.monotonic()
        if len(self._seen) > self.max_clients:  # a flood of addresses: start over
            self._seen.clear()
            self._failed.clear()
        if len(self._recent(self._failed, client, now)) >= self.failures:
            return False
        seen = self._recent(self._seen, client, now)
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    def failed(self, client: str) -> None:
        self._recent(self._failed, client, time.monotonic()).append(time.monotonic())


def client_of(request: web.Request) -> str:
    return request.remote or "unknown"


def cookie_names(secure: bool) -> tuple[str, str]:
    """(session, flash). Over HTTPS the ``__Host-`` prefix makes the browser refuse
    them unless Secure, host-only and for the whole site."""
    return ("__Host-companion", "__Host-flash") if secure else ("companion", "companion_flash")


def set_cookie(
    response: web.StreamResponse, name: str, value: str, *, secure: bool, max_age: int
) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, secure=secure, samesite="Strict"
    )


def clear_cookie(response: web.StreamResponse, name: str, *, secure: bool) -> None:
    set_cookie(response, name, "", secure=secure, max_age=0)
