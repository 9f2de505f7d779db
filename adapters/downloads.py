"""Downloads with the size cap enforced as bytes arrive (httpx streaming).

A platform's word on a file's size may be missing (a Telegram voice note without
``file_size``) or wrong (a Discord payload's ``size``), and reading a body whole before
checking it let a 30 MB voice note cost 330 MB of memory. Here the Content-Length is
checked first, then every chunk, and the download stops at the core's limit
(``bot.downloads.current_download_limit``) or the caller's, whichever is smaller."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import httpx

from bot.downloads import DownloadTooLarge, current_download_limit

log = logging.getLogger(__name__)

ATTEMPTS = 3  # a GET is safe to repeat: connection errors and 5xx are tried again


class DownloadFailed(Exception):
    """The file could not be had (the server refused, or kept failing)."""


async def fetch_capped(
    url: str,
    *,
    limit: int | None = None,
    read_timeout: float = 30.0,
    backoff: float = 0.5,
) -> bytes:
    """The body at ``url``, or DownloadTooLarge as soon as it exceeds the cap."""
    cap = min(current_download_limit(), limit if limit is not None else current_download_limit())
    for attempt in range(ATTEMPTS):
        try:
            return await _fetch_once(url, cap, read_timeout)
        except (httpx.TransportError, _ServerError) as exc:
            if attempt == ATTEMPTS - 1:
                raise DownloadFailed(f"download failed: {type(exc).__name__}") from exc
            await asyncio.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")


def capped_fetcher(url: str) -> Callable[[], Awaitable[bytes]]:
    """An ``Attachment.fetcher`` for a plain URL (Discord's CDN)."""
    return lambda: fetch_capped(url)


class _ServerError(Exception):
    pass


async def _fetch_once(url: str, cap: int, read_timeout: float) -> bytes:
    # Identity encoding: a compressed body could inflate far past the cap in one chunk.
    headers = {"Accept-Encoding": "identity"}
    limits = httpx.Timeout(read_timeout, connect=min(read_timeout, 10.0))
    async with (
        httpx.AsyncClient(timeout=limits, follow_redirects=True, max_redirects=3) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        if response.status_code >= 500:
            raise _ServerError(str(response.status_code))
        if response.status_code != 200:
            raise DownloadFailed(f"the server answered {response.status_code}")
        encoding = response.headers.get("content-encoding", "identity").lower()
        if encoding not in ("", "identity"):
            raise DownloadFailed(f"refused a {encoding}-encoded download")
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            raise DownloadTooLarge(cap, int(declared))
        data = bytearray()
        async for chunk in response.aiter_raw():
            data += chunk
            if len(data) > cap:
                log.info("download stopped at %d bytes: over the %d-byte limit", len(data), cap)
                raise DownloadTooLarge(cap)
        return bytes(data)
