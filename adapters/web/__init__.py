"""The personal page: one more surface over the core, next to the chat channels.

Server-rendered HTML (aiohttp + autoescaped Jinja templates, no script at all),
signed in through a one-time link from /web (bot/web_access.py), and every action
sent through the same feature services as the chat commands (bot/personal_page.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adapters.web.server import WebServer
    from bot.runtime import Runtime


async def start_if_configured(runtime: Runtime) -> WebServer | None:
    """`companion run`'s hook: the page runs beside the channels when its URL is set
    (not in a scheduler-only process, which takes no requests). Imported lazily: a
    bot without the page pays nothing for it at start."""
    if runtime.settings.web_url is None or runtime.settings.role == "scheduler":
        return None
    from adapters.web.server import WebServer

    server = WebServer(runtime)
    await server.start()
    return server
