"""The HTTP transport for sending: httpx's own, with a cheaper check of idle
connections.

Platform quirk (httpcore 1.0, anyio 4): before every request and after every
response, httpcore's pool asks each idle connection whether the server closed it
(``get_extra_info("is_readable")``). Through anyio that question first builds a
dictionary of every attribute the socket stream has, only to take the raw socket
out of it: with a pool of sixteen connections, mostly idle between replies, that
was a fifth of the bot's CPU while answering (the sends cost 2.5 ms of CPU each
against 1.4 ms with one connection). Here each stream keeps its raw socket from
the moment it connects and answers the question with one poll of that socket,
which is what httpcore does after the lookup.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from telegram.request import HTTPXRequest

# The ``timeout`` parameters below are httpcore's interface (ASYNC109 does not apply).


class _Stream(httpcore.AsyncNetworkStream):
    """An anyio stream whose raw socket is looked up once."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return readable(self._socket)
        if info == "socket":
            return self._socket
        return self._inner.get_extra_info(info)


def readable(sock: socket.socket | None) -> bool:
    """Whether an idle connection has something to read: the server closed it (or
    sent what nobody asked for). Unknown counts as readable, so it is not reused."""
    if sock is None:
        return True
    fd = sock.fileno()
    if fd == -1:
        return True
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


class Backend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, handing out :class:`_Stream` s."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()
        self.connections = 0  # opened so far (tests: proves the pool uses this backend)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        self.connections += 1
        return _Stream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_unix_socket(path, timeout, socket_options)
        self.connections += 1
        return _Stream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def sending_transport(connections: int) -> tuple[httpx.AsyncHTTPTransport, Backend | None]:
    """httpx's transport with ``connections`` pooled, on :class:`Backend`; the
    backend, or None when httpx's pool is not where this version keeps it (then the
    transport is httpx's own, unchanged)."""
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    )
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.AsyncConnectionPool) or not hasattr(pool, "_network_backend"):
        return transport, None
    backend = Backend()
    pool._network_backend = backend
    return transport, backend


class SendingRequest(HTTPXRequest):
    """PTB's HTTPXRequest on :func:`sending_transport`, a fresh one whenever PTB
    builds its client (again after a shutdown: a closed transport is not reused)."""

    def __init__(self, connection_pool_size: int, **kwargs: Any) -> None:
        self._connections = connection_pool_size
        self.backend: Backend | None = None
        super().__init__(connection_pool_size=connection_pool_size, **kwargs)

    def _build_client(self) -> httpx.AsyncClient:
        transport, self.backend = sending_transport(self._connections)
        return httpx.AsyncClient(**{**self._client_kwargs, "transport": transport})
