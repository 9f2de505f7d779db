"""Telegram downloads: getFile, then the file over HTTP from the Bot API's file URL,
with the size cap enforced as bytes arrive.

Two things python-telegram-bot's ``File.download_*`` would do that we must not:
- read a file from our own disk when getFile answers with a path that exists here
  (PTB's ``is_local_file`` only asks the disk: an absolute path, a ``../`` path, even
  a path relative to the working directory). Only what a Bot API server legitimately
  returns is accepted: a relative path, without ``..``, fetched from the file URL.
  (A telegram-bot-api server in ``--local`` mode answers with absolute paths on its
  own disk; that mode is not supported for files.)
- read the whole body before anyone checks its size (a voice note without
  ``file_size``): ``adapters.downloads`` stops at the limit instead."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from telegram import Bot

from adapters.downloads import fetch_capped
from bot.downloads import DownloadTooLarge, current_download_limit

log = logging.getLogger(__name__)

Retry = Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]]
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # what the Bot API lets bots download
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\:]")  # controls, backslashes, drive letters


class UnsafeFilePath(Exception):
    """getFile answered with a path that is not a file on the Bot API server."""


async def download_file(bot: Bot, file_id: str, size: int | None, *, retry: Retry) -> bytes:
    """The bytes of a Telegram file, never more than the limit, never from our disk.
    ``retry`` runs an idempotent Bot API call with the channel's retry rules."""
    limit = min(DOWNLOAD_LIMIT, current_download_limit())
    if size is not None and size > limit:
        raise DownloadTooLarge(limit, size)
    file = await retry(lambda: bot.get_file(file_id))
    if file.file_size is not None and file.file_size > limit:
        raise DownloadTooLarge(limit, file.file_size)
    path = server_path(file.file_path, bot.base_file_url)
    return await fetch_capped(f"{bot.base_file_url}/{quote(path)}", limit=limit)


def server_path(file_path: str | None, base_file_url: str) -> str:
    """The file's path on the Bot API server, from what python-telegram-bot made of
    getFile's answer (it prefixes the file URL to paths that are not on our disk).
    Raises UnsafeFilePath for anything else."""
    prefix = f"{base_file_url}/"
    if not file_path:
        raise UnsafeFilePath("getFile gave no file_path")
    if not file_path.startswith(prefix):
        # Not prefixed: PTB found it on our own disk. Never read it.
        log.warning("getFile answered with a path on this machine's disk; refused")
        raise UnsafeFilePath("getFile answered with a local path")
    relative = file_path[len(prefix) :]
    segments = relative.split("/")
    if (
        not relative
        or relative.startswith("/")
        or _UNSAFE.search(relative)
        or any(part in ("", ".", "..") for part in segments)
    ):
        log.warning("getFile answered with a path outside the file server; refused")
        raise UnsafeFilePath("getFile answered with an unsafe path")
    return relative
