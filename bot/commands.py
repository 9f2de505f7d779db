"""Slash commands, routed in the core so every platform gets the same ones."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.turn import TurnInput
from bot.types import OutgoingMessage

CommandResult = list[OutgoingMessage] | OutgoingMessage | str
CommandFunc = Callable[[TurnInput, str], Awaitable[CommandResult]]
CallbackFunc = Callable[[TurnInput, str], Awaitable[CommandResult]]

_COMMAND = re.compile(r"^/([A-Za-z][A-Za-z0-9_]{0,31})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str  # one line, shown in /help and the platform's command menu
    run: CommandFunc
    usage: str = ""
    hidden: bool = False
    private_only: bool = False  # personal data: answer in DMs only


def parse_command(text: str) -> tuple[str, str] | None:
    """``/remind@MyBot tomorrow 9 call mom`` -> ("remind", "tomorrow 9 call mom")."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()


def as_messages(result: CommandResult) -> list[OutgoingMessage]:
    if isinstance(result, str):
        return [OutgoingMessage(text=result)]
    if isinstance(result, OutgoingMessage):
        return [result]
    return list(result)


class CommandRegistry:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}
        self._callbacks: dict[str, CallbackFunc] = {}

    def add(self, command: Command, *, replace: bool = False) -> None:
        """Register a command; ``replace`` lets a feature take over a core one (/start)."""
        if command.name in self._commands and not replace:
            raise ValueError(f"command /{command.name} registered twice")
        self._commands[command.name] = command

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def visible(self) -> list[Command]:
        return [c for c in self._commands.values() if not c.hidden]

    def add_callback(self, prefix: str, run: CallbackFunc) -> None:
        """Button presses whose data starts with ``prefix:`` go to ``run``."""
        if prefix in self._callbacks:
            raise ValueError(f"callback prefix {prefix!r} registered twice")
        self._callbacks[prefix] = run

    def callback(self, data: str) -> tuple[CallbackFunc, str] | None:
        prefix, _, rest = data.partition(":")
        run = self._callbacks.get(prefix)
        return (run, rest) if run else None
