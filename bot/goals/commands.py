"""/goals: list, add, log, done, pause, resume, drop, why. Works without a model."""

from __future__ import annotations

import logging
import re

from bot import numbers
from bot.commands import Command, CommandResult
from bot.goals.chart import goals_picture
from bot.goals.service import MAX_TITLE, DuplicateGoal, GoalNotFound, GoalsService, TitleTooLong
from bot.turn import TurnInput
from bot.types import OutgoingMessage
from memory.goals import Goal

log = logging.getLogger(__name__)

USAGE = (
    "/goals - your goals with progress and streaks\n"
    "/goals all - include finished and dropped ones\n"
    "/goals add <title> [| why it matters]\n"
    "/goals log <n> [amount] [note]\n"
    "/goals done <n> · /goals pause <n> · /goals resume <n> · /goals drop <n>\n"
    "/goals why <n> <why it matters>\n"
    "/goals chart - a picture of your progress over the last weeks (/goals <n>: one goal)"
)
_STATUS_VERBS = {
    "done": ("done", "Well done! Marked as achieved"),
    "complete": ("done", "Well done! Marked as achieved"),
    "pause": ("paused", "Paused"),
    "resume": ("active", "Back on"),
    "drop": ("dropped", "Dropped"),
}


async def _pick(
    service: GoalsService, person_id: int, ref: str, *, include_closed: bool = False
) -> Goal:
    """A goal by its /goals number, or by (part of) its title."""
    ref = ref.strip()
    if not ref:
        raise GoalNotFound("say which goal: its number from /goals")
    return await service.find(person_id, ref, include_closed=include_closed)


async def listing(service: GoalsService, person_id: int, *, include_closed: bool) -> str:
    views = await service.views(person_id, include_closed=include_closed)
    if not views:
        return (
            "You have no goals yet. Add one with /goals add <title>, for example "
            "/goals add Run 3 times a week | to feel fit again."
        )
    lines = ["Your goals:"]
    for view in views:
        lines.append(f"{view.number}. {await service.describe(view)}")
        if view.goal.why:
            lines.append(f"   why: {view.goal.why}")
    lines.append("")
    lines.append("/goals log <n> · /goals done <n> · /goals add <title> · /goals help")
    return "\n".join(lines)


def build_command(service: GoalsService) -> Command:
    async def goals(turn: TurnInput, args: str) -> CommandResult:
        pid = turn.person.id
        verb, _, rest = args.strip().partition(" ")
        verb = verb.lower()
        rest = rest.strip()
        try:
            if verb in ("", "list"):
                return await listing(service, pid, include_closed=False)
            if verb == "all":
                return await listing(service, pid, include_closed=True)
            if verb == "help":
                return USAGE
            if verb in ("chart", "progress") or verb.isdigit():
                return await picture(service, pid, None if not verb.isdigit() else verb)
            if verb in ("add", "new"):
                title, _, why = rest.partition("|")
                if not title.strip():
                    return "What's the goal? For example: /goals add Meditate every day"
                goal = await service.add(pid, title, why=why)
                number = await service.number_of(pid, goal)
                return (
                    f"Added goal {number}: {await _one(service, pid, goal)}. "
                    "Send /goals to see them all."
                )
            if verb in _STATUS_VERBS:
                status, said = _STATUS_VERBS[verb]
                goal = await _pick(service, pid, rest, include_closed=verb == "resume")
                await service.set_status(pid, goal, status)
                return f"{said}: {goal.title}."
            if verb == "log":
                ref, _, detail = rest.partition(" ")
                goal = await _pick(service, pid, ref)
                amount_match = re.match(r"^(\d+(?:[.,]\d+)?)\b\s*(.*)$", detail.strip())
                amount = numbers.amount(amount_match.group(1)) if amount_match else None
                note = detail.strip()
                await service.log(pid, goal, amount=amount, note=note or None)
                return f"Logged: {await _one(service, pid, goal)}"
            if verb == "why":
                ref, _, why = rest.partition(" ")
                goal = await _pick(service, pid, ref)
                if not why.strip():
                    return "Tell me why it matters: /goals why <n> <your reason>"
                await service.update(pid, goal, why=why.strip())
                return f"Noted why {goal.title} matters to you."
        except DuplicateGoal as exc:
            return f"You already have that one: {exc.goal.title}. Send /goals to see it."
        except TitleTooLong as exc:
            return (
                f"That goal's title is {exc.length:,} characters; a title can be up to "
                f"{MAX_TITLE}. Could you name it in a few words? The details can go after "
                "a |, as why it matters: /goals add Run a 10k | ..."
            )
        except GoalNotFound as exc:
            return f"I couldn't find that goal ({exc}). Send /goals to see the numbers."
        except ValueError as exc:
            return f"That didn't work: {exc}. Send /goals help for the forms."
        return f"I don't know /goals {verb}.\n{USAGE}"

    return Command(
        "goals",
        "your goals: list, add, log progress, done (/goals help)",
        goals,
        usage="[add|log|done|pause|resume|drop] ...",
        private_only=True,
    )


async def _one(service: GoalsService, person_id: int, goal: Goal) -> str:
    """The goal's one-line description; its title if describing fails (what was done
    is said as done: a retry must not add it twice)."""
    try:
        views = await service.views(person_id, include_closed=True)
        found = [v for v in views if v.goal.id == goal.id]
        return await service.describe(found[0]) if found else goal.title
    except Exception:
        log.exception("describing goal %s failed", goal.id)
        return goal.title


async def picture(service: GoalsService, person_id: int, ref: str | None) -> CommandResult:
    """/goals chart and /goals <n>: the picture, with its numbers in words."""
    goal = await _pick(service, person_id, ref) if ref is not None else None
    try:
        drawn = await goals_picture(service, person_id, goal)
    except ImportError:  # matplotlib missing from a trimmed install: the words still help
        words = await listing(service, person_id, include_closed=False)
        return f"I can't draw pictures here (matplotlib is not installed).\n{words}"
    if drawn is None:
        return "You have no active goals to chart yet. Add one with /goals add <title>."
    png, words = drawn
    return OutgoingMessage(text=words, image=png)
