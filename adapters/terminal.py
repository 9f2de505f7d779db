"""Terminal input and output for the console channel: the core's Markdown subset made
readable in a terminal, and lines read from standard input without a thread (so
Ctrl-C stops at once instead of waiting for Enter)."""

from __future__ import annotations

import asyncio
import codecs
import os
import re
from typing import TextIO

_FENCE = re.compile(r"```(?:[\w+-]*\n)?(.*?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])[_*](?=\S)([^_*\n]+?)(?<=\S)[_*](?![\w*])")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)
_BULLET = re.compile(r"^([ \t]*)[-*][ \t]+", re.MULTILINE)
_HOLE = re.compile("\x00(\\d+)\x00")

BOLD, ITALIC, DIM, RESET = "\x1b[1m", "\x1b[3m", "\x1b[2m", "\x1b[0m"


def to_terminal(text: str, *, ansi: bool) -> str:
    """**bold**, _italic_ and headings in ANSI styles on a terminal (plain words when
    piped); `code` without its backticks; [label](url) as "label (url)"; bullets as •.
    Code is kept apart first, so markers inside it stay as typed."""
    holes: list[str] = []

    def keep(rendered: str) -> str:
        holes.append(rendered)
        return f"\x00{len(holes) - 1}\x00"

    def style(start: str) -> str:
        return rf"{start}\1{RESET}" if ansi else r"\1"

    text = text.replace("\x00", "")
    text = _FENCE.sub(lambda m: keep(m.group(1).strip("\n")), text)
    text = _CODE.sub(lambda m: keep(m.group(1)), text)
    text = _LINK.sub(lambda m: keep(f"{m.group(1)} ({m.group(2)})"), text)
    text = _HEADING.sub(style(BOLD), text)
    text = _BULLET.sub(r"\1• ", text)
    text = _BOLD.sub(style(BOLD), text)
    text = _ITALIC.sub(style(ITALIC), text)
    return _HOLE.sub(lambda m: holes[int(m.group(1))], text)


def dim(text: str, *, ansi: bool) -> str:
    return f"{DIM}{text}{RESET}" if ansi else text


class LineReader:
    """Lines from a file descriptor through the event loop's reader (a pipe or a
    terminal), or straight from the file when it cannot be watched (a regular file,
    or an in-memory stream in tests). Waiting for a line is cancellable at once."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._fd = _fileno(stream)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._eof = False

    async def readline(self) -> str | None:
        """The next line without its newline; None at the end of input."""
        while "\n" not in self._buffer and not self._eof:
            chunk = await self._read()
            if not chunk:
                self._buffer += self._decoder.decode(b"", final=True)
                self._eof = True
            else:
                self._buffer += self._decoder.decode(chunk)
        if "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            return line.removesuffix("\r")
        if self._buffer:
            line, self._buffer = self._buffer, ""
            return line
        return None

    async def _read(self) -> bytes:
        if self._fd is None:
            return self.stream.readline().encode("utf-8")
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        try:
            loop.add_reader(self._fd, wake)
        except (PermissionError, OSError, NotImplementedError):
            # A regular file (epoll refuses them) never blocks: read it directly.
            return os.read(self._fd, 65536)
        try:
            await ready
        finally:
            loop.remove_reader(self._fd)
        try:
            return os.read(self._fd, 65536)
        except BlockingIOError:
            return await self._read()  # woken for nothing: wait again


def _fileno(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None
