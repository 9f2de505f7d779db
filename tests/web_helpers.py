"""Helpers for the personal page's tests: a runtime serving the page on a free
loopback port, and the console channel to ask for sign-in links as a person does."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from adapters.console import ConsoleChannel
from adapters.web.server import WebServer
from bot.runtime import Runtime, build_runtime
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock

LINK = re.compile(r"(https?://\S+/signin/[0-9a-f]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    runtime: Runtime
    server: WebServer
    url: str


@asynccontextmanager
async def serving(
    tmp_path: Path, clock: ManualClock, *, database_url: str | None = None, **overrides: object
) -> AsyncIterator[Served]:
    """A runtime without a chat model (the page needs none) and its page."""
    port = free_port()
    url = str(overrides.pop("web_url", f"http://127.0.0.1:{port}"))
    settings = make_settings(
        tmp_path, web_url=url, web_port=port, database_url=database_url, **overrides
    )
    runtime = await build_runtime(settings, clock=clock, model=None)
    server = WebServer(runtime, host="127.0.0.1", port=port)
    await server.start()
    try:
        yield Served(runtime, server, f"http://127.0.0.1:{port}")
    finally:
        await server.stop()
        await runtime.close()


# The system's Chromium (Debian's package), driven by Playwright: its own browser
# download is not reachable here. Headless, and nothing that calls out.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


async def console(runtime: Runtime, *lines: str) -> str:
    """What the console channel prints for these lines, typed by the person "local"."""
    out = io.StringIO()
    channel = ConsoleChannel(io.StringIO("".join(f"{line}\n" for line in lines)), out)
    await channel.start(runtime.companion.handle)
    return out.getvalue()


def link_in(text: str) -> str:
    found = LINK.search(text)
    assert found, f"no sign-in link in {text!r}"
    return found.group(1)
