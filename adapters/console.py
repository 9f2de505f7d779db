"""The console channel: talk to the companion in a terminal, as the person "local".

A full channel like the chat apps: replies are rendered for a terminal, buttons are
numbered choices that can be typed ("1", or the button's words), files are written
under the data directory and their path printed, and reminders and check-ins appear
as they fall due (the scheduler runs in an interactive ``companion chat``). Lines come
from standard input, so it can be scripted; it ends at the end of input, or at once
on Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import secrets
import sys
import tempfile
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from adapters.terminal import LineReader, dim, to_terminal
from bot.channel import Handler
from bot.inbox_path import Arrival, Inbound, InboxPath, message_from_payload, message_payload
from bot.types import (
    Button,
    Capabilities,
    ChannelRef,
    Identity,
    IncomingMessage,
    OutgoingMessage,
)

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from memory.inbox import InboxEntry

T = TypeVar("T")
LOCAL = Identity("console", "local")
PROMPT = "you> "
CHOICE_HINT = "(type a number, or the words on the button)"


class ConsoleChannel:
    platform = "console"
    capabilities = Capabilities(
        max_length=100_000, formatting=True, buttons=True, voice=False, documents=True
    )

    def __init__(
        self,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        *,
        prompt: bool = False,
        files_dir: Path | None = None,
        ansi: bool | None = None,
        runtime: Runtime | None = None,
    ) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        # A person at a terminal (not a script): prompt, styles, greeting, scheduler.
        self.interactive = _isatty(self.stdin) and _isatty(self.stdout)
        self.prompt = prompt and self.interactive
        self.ansi = self.interactive and _colours_wanted() if ansi is None else ansi
        # Where files (/export) and pictures go; `companion chat` passes <data dir>/files.
        self.files_dir = files_dir or Path(tempfile.gettempdir()) / "companion-files"
        self._handler: Handler | None = None
        self._choices: list[Button] = []
        self._hinted = False
        self._at_prompt = False
        self._stopped = asyncio.Event()
        # Set when it first waits for a line (the prompt is up): `companion chat` starts
        # the scheduler and the models' warm-up then, not before the person can type.
        self.waiting = asyncio.Event()
        # With a runtime, every line goes through the core's durable inbox path like a
        # chat app's message (recorded, handled once, replayed after a crash).
        self.runtime = runtime
        self.path: InboxPath | None = None
        self._session = secrets.token_hex(4)  # line ids are unique per start
        self._lines = 0
        self._turn: str | None = None  # the line being answered: its replies are shown together
        self._answers: list[OutgoingMessage] = []

    # ------------------------------------------------------------------ the channel

    async def start(self, handler: Handler) -> None:
        """Runs until standard input ends or ``stop`` is called (Ctrl-C)."""
        self._handler = handler
        if self.runtime is not None:
            self.path = InboxPath(self.runtime, self)
            await self.path.start(handler)  # a line cut off by Ctrl-C last time is answered now
        try:
            reader = LineReader(self.stdin)
            while not self._stopped.is_set():
                self._show_prompt()
                self.waiting.set()
                line = await self._until_stopped(reader.readline())
                self._at_prompt = False
                if line is None or self._stopped.is_set():
                    break
                if not line.strip():
                    continue
                await self._until_stopped(self.handle(self.incoming(line)))
        finally:
            if self.path is not None:
                if self._stopped.is_set():
                    self.path.abandon()  # Ctrl-C: now, not after the model answers
                await self.path.stop()

    async def stop(self) -> None:
        self.interrupt()

    def interrupt(self) -> None:
        """Stop now (Ctrl-C): the line being waited for, or the turn in flight, is
        abandoned; what the person said is already stored."""
        self._stopped.set()

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        """A reminder or check-in: shown between prompts, then the prompt again."""
        if self._at_prompt:
            self.stdout.write("\r\x1b[K" if self.ansi else "\n")
        self.show([message])
        if self._at_prompt:
            self.stdout.write(PROMPT)
            self.stdout.flush()

    # ------------------------------------------------------------------ one message

    async def handle(self, msg: IncomingMessage) -> None:
        """Hand one message to the core and show what comes back. This is the one step
        the core's inbox path takes over (record, claim, handle, save, send, done)."""
        assert self._handler is not None
        if self.path is None:
            self.show(await self._handler(msg))
            return
        self._lines += 1
        line_id = f"{self._session}-{self._lines}"
        msg = dataclasses.replace(msg, message_id=line_id)
        self._turn, self._answers = line_id, []
        try:
            await self.path.submit(Arrival.of(line_id, message_payload(msg), msg))
        finally:
            answers, self._turn, self._answers = self._answers, None, []
            if answers:
                self.show(answers)

    # The inbox path's side of the channel (bot/inbox_path.py's InboxChannel).

    async def rebuild(self, entry: InboxEntry) -> Inbound | None:
        return Inbound(message_from_payload(entry.payload))

    async def deliver(self, inbound: Inbound, reply: OutgoingMessage) -> None:
        if self._turn is not None and inbound.message.message_id == self._turn:
            self._answers.append(reply)  # shown together, so the choices are numbered once
        else:
            self.show([reply])  # a replayed line's answer

    def working(self, inbound: Inbound) -> AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()

    def incoming(self, line: str) -> IncomingMessage:
        """A typed line; a number or a button's words presses that button."""
        pressed = self._choice(line)
        return IncomingMessage(
            identity=LOCAL,
            channel=ChannelRef("console", "local"),
            text="" if pressed else line,
            display_name=None,  # "local" is an account, not a name: onboarding asks for one
            callback_data=pressed.data if pressed else None,
        )

    def _choice(self, line: str) -> Button | None:
        typed = line.strip().strip("[]").strip().lower()
        if not self._choices or not typed:
            return None
        if typed.isdigit():
            n = int(typed)
            return self._choices[n - 1] if 1 <= n <= len(self._choices) else None
        return next((b for b in self._choices if b.label.strip().lower() == typed), None)

    # ------------------------------------------------------------------ output

    def show(self, messages: list[OutgoingMessage]) -> None:
        """Print replies; their buttons become the numbered choices of the moment."""
        choices: list[Button] = []
        for message in messages:
            lines = [to_terminal(message.text, ansi=self.ansi)] if message.text else []
            for row in message.buttons:
                cells = []
                for button in row:
                    choices.append(button)
                    cells.append(f"[{len(choices)}] {button.label}")
                lines.append("  " + "   ".join(cells))
            if message.document is not None:
                name = message.document_name or "attachment"
                lines.append(self._saved(message.document, name))
            if message.image is not None:  # a chart: a terminal shows no pictures
                lines.append(self._saved(message.image, "companion-picture.png"))
            if message.voice is not None and not message.text:
                lines.append(dim("(a voice note: the console can't play it)", ansi=self.ansi))
            self.stdout.write("\n".join(lines) + "\n")
        if choices and not self._hinted:
            self.stdout.write(dim(CHOICE_HINT, ansi=self.ansi) + "\n")
            self._hinted = True
        self._choices = choices
        self.stdout.flush()

    def _saved(self, data: bytes, name: str) -> str:
        try:
            path = self._write_file(data, name)
        except OSError as exc:
            return f"(a file I could not save: {exc.strerror or exc})"
        return f"(saved to {path}, {len(data):,} bytes)"

    def _write_file(self, data: bytes, name: str) -> Path:
        """Under the data directory, readable by this user only (it is personal data);
        never over an earlier file."""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        stem, dot, suffix = Path(name).name.partition(".")
        candidate = self.files_dir / Path(name).name
        n = 1
        while True:
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                n += 1
                candidate = self.files_dir / f"{stem}-{n}{dot}{suffix}"
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return candidate.resolve()

    def greet(self, *, has_model: bool, log_file: Path | None) -> None:
        """The first thing a person at a terminal sees: what this is and how to leave."""
        lines = [
            to_terminal("**Companion**, your AI companion, in the terminal.", ansi=self.ansi),
            "Type a message and press Enter; /help lists the commands, /start gets to know "
            "you. Ctrl-D or Ctrl-C leaves.",
        ]
        if not has_model:
            lines.append(
                "No chat model is configured yet: commands, reminders and check-ins work; "
                "set COMPANION_MODEL to talk (see companion doctor)."
            )
        if log_file is not None:
            lines.append(dim(f"Logs go to {log_file}.", ansi=self.ansi))
        self.stdout.write("\n".join(lines) + "\n")
        self.stdout.flush()

    def _show_prompt(self) -> None:
        if self.prompt:
            self.stdout.write(PROMPT)
            self.stdout.flush()
            self._at_prompt = True

    async def _until_stopped(self, work: Coroutine[Any, Any, T]) -> T | None:
        """``work``'s result, or None when stopped first (``work`` is then cancelled:
        Ctrl-C does not wait for a line, or for a model that is still thinking)."""
        task = asyncio.ensure_future(work)
        stopper = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        return None if task.cancelled() else task.result()


def _isatty(stream: TextIO) -> bool:
    with contextlib.suppress(AttributeError, ValueError, OSError):
        return bool(stream.isatty())
    return False


def _colours_wanted() -> bool:
    return "NO_COLOR" not in os.environ and os.environ.get("TERM", "") not in ("", "dumb")
