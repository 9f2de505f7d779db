"""The console channel: talk to the companion in a terminal, as the person "local".

Reads lines from standard input (so it can be scripted) and ends cleanly at the
end of input."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.channel import Handler
from bot.types import Capabilities, ChannelRef, Identity, IncomingMessage, OutgoingMessage

LOCAL = Identity("console", "local")


class ConsoleChannel:
    platform = "console"
    capabilities = Capabilities(max_length=100_000, formatting=False, buttons=True, voice=False)

    def __init__(
        self, stdin: TextIO | None = None, stdout: TextIO | None = None, *, prompt: bool = False
    ) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.prompt = prompt and self.stdin.isatty()
        self._stopped = asyncio.Event()

    async def start(self, handler: Handler) -> None:
        """Runs until standard input ends or ``stop`` is called."""
        loop = asyncio.get_running_loop()
        while not self._stopped.is_set():
            if self.prompt:
                self.stdout.write("you> ")
                self.stdout.flush()
            line = await loop.run_in_executor(None, self.stdin.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if not text.strip():
                continue
            msg = IncomingMessage(
                identity=LOCAL,
                channel=ChannelRef("console", "local"),
                text=text,
                display_name="local",
            )
            for reply in await handler(msg):
                self._print(reply)

    async def stop(self) -> None:
        self._stopped.set()

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        self._print(message)

    def _print(self, message: OutgoingMessage) -> None:
        text = message.text
        for row in message.buttons:
            text += "\n" + "  ".join(f"[{b.label}]" for b in row)
        if message.document is not None:
            name = message.document_name or "attachment"
            text += f"\n(file: {name}, {len(message.document)} bytes)"
        if message.image is not None:  # a chart: saved as a file, its path printed
            text += f"\n(picture: {save_picture(message.image)})"
        self.stdout.write(text + "\n")
        self.stdout.flush()


def save_picture(png: bytes) -> str:
    """A terminal shows no pictures: keep it in a file the person can open."""
    import tempfile

    with tempfile.NamedTemporaryFile(prefix="companion-", suffix=".png", delete=False) as f:
        f.write(png)
    return f.name
