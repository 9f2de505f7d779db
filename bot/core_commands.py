"""The commands every companion has: /start, /help, /reset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands import Command
from bot.turn import TurnInput

if TYPE_CHECKING:
    from bot.engine import Companion


def install(core: Companion) -> None:
    async def start(turn: TurnInput, _args: str) -> str:
        name = turn.person.display_name or "there"
        model_line = (
            ""
            if core.model is not None
            else "\n\n(No chat model is configured yet, so for now I can only run commands.)"
        )
        return (
            f"Hi {name}! I'm Companion, an AI companion (a computer program, not a person). "
            "Talk to me about anything: your day, your "
            "plans, the people in your life. I'll remember what matters, and you can see "
            f"or erase it whenever you like. Send /help for the commands.{model_line}"
        )

    async def help_(turn: TurnInput, _args: str) -> str:
        lines = ["Here's what I can do:"]
        for command in sorted(core.commands.visible(), key=lambda c: c.name):
            usage = f" {command.usage}" if command.usage else ""
            lines.append(f"/{command.name}{usage} - {command.description}")
        lines.append("Or just talk to me.")
        return "\n".join(lines)

    async def reset(turn: TurnInput, _args: str) -> str:
        await core.turns.reset(turn.person.id, core.clock.now())
        return (
            "Fresh start: I've set our running conversation aside. What I remember "
            "about you long-term is unchanged (see /help for memory commands)."
        )

    core.commands.add(Command("start", "say hello and get started", start))
    core.commands.add(Command("help", "list the commands", help_))
    core.commands.add(
        Command("reset", "start a fresh conversation (long-term memory stays)", reset)
    )
