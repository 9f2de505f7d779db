"""Serving the personal page: inside `companion run` (when COMPANION_WEB_URL is
set) or on its own with `companion web`."""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.web.app import build_app
from bot.runtime import Runtime

log = logging.getLogger(__name__)


class WebServer:
    def __init__(self, runtime: Runtime, *, host: str | None = None, port: int | None = None):
        self.runtime = runtime
        self.host = host if host is not None else runtime.settings.web_listen
        self.port = port if port is not None else runtime.settings.web_port
        self._runner: web.AppRunner | None = None

    @property
    def bound_port(self) -> int:
        """The port actually listened on (``port=0`` picks a free one, for tests)."""
        assert self._runner is not None, "start() first"
        for site in self._runner.sites:
            server = getattr(site, "_server", None)
            if server is not None and server.sockets:
                return int(server.sockets[0].getsockname()[1])
        return self.port

    async def start(self) -> None:
        self._runner = web.AppRunner(build_app(self.runtime), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info(
            "personal page on %s:%s (links point at %s)",
            self.host,
            self.bound_port,
            self.runtime.settings.public_web_url,
        )

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
