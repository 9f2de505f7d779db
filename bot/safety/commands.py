"""/safety: where to get help from here, and the two things a person may correct:
their country (for the right crisis line) and whether they are under 18."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands import Command
from bot.safety import texts
from bot.safety.helplines import HELPLINES, find_country
from bot.safety.minors import says_adult
from bot.turn import TurnInput

if TYPE_CHECKING:
    from bot.safety.feature import Safety

USAGE = "[country <name or code>|adult|minor]"


def safety_command(safety: Safety) -> Command:
    async def run(turn: TurnInput, args: str) -> str:
        person = turn.person
        people = safety.people
        what, _, value = args.strip().partition(" ")
        what, value = what.lower(), value.strip()
        if what in ("country", "land", "pais", "pays", "paese"):
            if not value:
                return "Which country? For example: /safety country DE (or Germany)."
            if value.lower() in ("auto", "reset", "none"):
                await people.update_settings(person.id, country=None)
                return "Done: I'll go by your timezone again."
            code = find_country(value)
            if code is None:
                return (
                    f"I don't know the country {value!r}. Try its two-letter code, like DE or BR."
                )
            await people.update_settings(person.id, country=code)
            help_ = texts.Help.of(code)
            known = (
                ""
                if code in HELPLINES
                else " (no line listed for it: I'll point to findahelpline.com)"
            )
            return f"Done: crisis help for {code}{known}.\n" + _where(help_)
        if what in ("adult",) or (what and says_adult(what)):
            await people.update_settings(person.id, minor=None)
            return "Done: noted that you're an adult."
        if what in ("minor", "under18", "teen"):
            await people.update_settings(person.id, minor=True)
            return "Done: noted that you're under 18. I'll keep things age-appropriate."
        if what:
            return f"Usage: /safety {USAGE}"
        help_ = safety.help_for(person)
        age = "under 18" if person.settings.get("minor") is True else "not noted as under 18"
        return (
            "If you're ever in danger or thinking about ending your life, please reach out:\n"
            + _where(help_)
            + f"\n\nYour country for this: {help_.country or 'unknown'} "
            "(change with /safety country <name>). "
            f"Age: {age} (/safety adult or /safety minor to correct it). "
            "I'm an AI companion, not a person."
        )

    return Command(
        "safety", "crisis lines for where you are; set your country or age", run, usage=USAGE
    )


def _where(help_: texts.Help) -> str:
    line = help_.line or f"find a free crisis line at {help_.url}"
    emergency = help_.emergency or "your local emergency number"
    extra = f"\nViolence at home: {help_.violence}" if help_.violence else ""
    return f"Crisis line: {line}\nEmergency: {emergency}{extra}"
