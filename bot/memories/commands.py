"""The person's control over memory: /memories, /forget, /export, /deleteme."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.commands import Command, CommandResult
from bot.memories.tools import matching
from bot.numbers import whole
from bot.turn import TurnInput
from bot.types import Button, OutgoingMessage
from memory.semantic.service import MemoryService
from memory.semantic.store import Memory

if TYPE_CHECKING:
    from bot.runtime import Runtime

PAGE = 10
CONFIRM_WINDOW = timedelta(minutes=10)
ERASE_KEY = "erase_confirm_until"  # in the person's settings
CONFIRM_WORDS = {"yes", "confirm", "delete", "erase"}
CANCEL_WORDS = {"no", "cancel", "keep", "stop"}
ORIGINS = {"told": "you told me", "extracted": "from our chat", "tool": "you asked me"}


def provenance(memory: Memory) -> str:
    where = f" on {memory.platform}" if memory.platform else ""
    how = ORIGINS.get(memory.origin, memory.origin)
    edited = ", updated" if memory.history else ""
    return f"{memory.kind}, {how}{where}, {memory.said_at.date().isoformat()}{edited}"


class MemoryCommands:
    def __init__(self, runtime: Runtime, service: MemoryService) -> None:
        self.runtime = runtime
        self.service = service

    def install(self) -> None:
        commands = self.runtime.companion.commands
        commands.add(
            Command(
                "memories",
                "see what I remember about you",
                self.memories,
                "[page]",
                private_only=True,
            )
        )
        commands.add(
            Command(
                "forget",
                "make me forget something",
                self.forget,
                "<id or words>",
                private_only=True,
            )
        )
        commands.add(
            Command(
                "export",
                "get everything I keep about you as a file",
                self.export,
                private_only=True,
            )
        )
        commands.add(
            Command(
                "deleteme", "erase everything I keep about you", self.deleteme, private_only=True
            )
        )
        commands.add_callback("memlist", self._page_button)
        commands.add_callback("memforget", self._forget_button)
        commands.add_callback("memerase", self._erase_button)

    # ------------------------------------------------------------------ /memories

    async def memories(self, turn: TurnInput, args: str) -> CommandResult:
        page = whole(args) or 1
        return await self._page(turn.person.id, page)

    async def _page(self, person_id: int, page: int) -> OutgoingMessage:
        found, total = await self.service.page(person_id, (page - 1) * PAGE, PAGE)
        if total == 0:
            return OutgoingMessage(
                text="I don't remember anything about you yet. Tell me about yourself, or "
                'say "remember that ..."'
            )
        if not found:
            return OutgoingMessage(text=f"There is no page {page}: you have {total} memories.")
        pages = (total + PAGE - 1) // PAGE
        lines = [f"What I remember about you (page {page} of {pages}, {total} in all):"]
        for memory in found:
            lines.append(f"#{memory.id} {memory.text}\n   ({provenance(memory)})")
        lines.append("Send /forget <id> to remove one, /export for everything.")
        row = []
        if page > 1:
            row.append(Button("‹ Newer", f"memlist:{page - 1}"))
        if page < pages:
            row.append(Button("Older ›", f"memlist:{page + 1}"))
        return OutgoingMessage(text="\n".join(lines), buttons=(tuple(row),) if row else ())

    async def _page_button(self, turn: TurnInput, rest: str) -> CommandResult:
        return await self._page(turn.person.id, whole(rest) or 1)

    # ------------------------------------------------------------------ /forget

    async def forget(self, turn: TurnInput, args: str) -> CommandResult:
        """A memory by its number, or words: the messages holding those words are
        erased from our conversation, and a fact matching them is forgotten (asked
        which when several match). Nothing of them stays on disk."""
        words = args.strip()
        if not words:
            return (
                "Tell me what to forget: /forget 12 (a number from /memories) or /forget <words>."
            )
        pid = turn.person.id
        await self._empty_inbox(pid)  # before the erasure below compacts the database
        if words.lstrip("#").isdigit():
            number = whole(words.lstrip("#"))  # a number beyond anything real: a kind answer
            memory = await self.service.get(pid, str(number)) if number is not None else None
            if memory is None or not await self.service.forget(pid, [memory.id]):
                return "I have no memory matching that, so there's nothing to forget."
            came_from = " (and the message it came from)" if memory.source_turn_ids else ""
            return f"Forgotten: {memory.text}{came_from}"
        found = await matching(self.service, pid, words)
        messages = await self.service.turns_mentioning(pid, words)
        derived = await self.service.store.citing(pid, set(messages)) if messages else []
        erased = len(await self.service.forget_turns(pid, messages)) if messages else 0
        said = ""
        if erased:
            said = (
                f"I erased {erased} message{'s' if erased != 1 else ''} of ours that "
                f"mentioned “{words}”"
            )
            if derived:
                said += (
                    f", and {len(derived)} memor{'ies' if len(derived) != 1 else 'y'} made from it"
                )
            said += "."
        found = [r for r in found if await self.service.get(pid, r.memory.id) is not None]
        if not found:
            return said or "I have no memory matching that, so there's nothing to forget."
        if len(found) == 1:
            await self.service.forget(pid, [found[0].memory.id])
            return f"Forgotten: {found[0].memory.text} {said}".strip()
        buttons = tuple(
            (Button(f"Forget #{r.memory.id}", f"memforget:{r.memory.id}"),) for r in found
        )
        lines = [said, "Which one should I forget?"] if said else ["Which one should I forget?"]
        lines.extend(f"#{r.memory.id} {r.memory.text}" for r in found)
        return OutgoingMessage(text="\n".join(lines), buttons=buttons)

    async def _empty_inbox(self, person_id: int) -> None:
        """The inbox keeps each answered message's raw update for a while (to know a
        redelivery); what is being forgotten must not stay there."""
        identities = await self.runtime.people.identities(person_id)
        await self.runtime.inbox.empty_answered_for(
            [(i.platform, i.platform_user_id) for i in identities]
        )

    async def _forget_button(self, turn: TurnInput, rest: str) -> CommandResult:
        memory = await self.service.get(turn.person.id, rest)  # scoped: only their own
        await self._empty_inbox(turn.person.id)
        if memory is None or not await self.service.forget(turn.person.id, [memory.id]):
            return "That memory was already gone."
        return f"Forgotten: {memory.text}"

    # ------------------------------------------------------------------ /export

    async def export(self, turn: TurnInput, _args: str) -> CommandResult:
        data = await self.runtime.export_person(turn.person.id)
        data["exported_at"] = self.runtime.clock.now().isoformat()
        body = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")
        stamp = self.runtime.clock.now().strftime("%Y%m%d")
        return OutgoingMessage(
            text="Here is everything I keep about you, as a JSON file.",
            document=body,
            document_name=f"companion-export-{stamp}.json",
        )

    # ------------------------------------------------------------------ /deleteme

    async def deleteme(self, turn: TurnInput, args: str) -> CommandResult:
        pid = turn.person.id
        if args.strip().lower() in CONFIRM_WORDS and self._confirmable(turn):
            return await self._erase(pid)
        if args.strip().lower() in CANCEL_WORDS:  # the typed "No, keep it"
            return await self._erase_button(turn, "no")
        # Kept with the person, not in this process: the "yes" may come after a
        # restart, or reach another worker.
        until = self.runtime.clock.now() + CONFIRM_WINDOW
        await self.runtime.people.update_settings(pid, **{ERASE_KEY: until.isoformat()})
        return OutgoingMessage(
            text=(
                "This erases everything I keep about you: memories, our conversation, "
                "goals, reminders and settings, on every platform. It cannot be undone. "
                "Erase it all? (Or send /deleteme yes within 10 minutes.)"
            ),
            buttons=(
                (
                    Button("Yes, erase everything", "memerase:yes"),
                    Button("No, keep it", "memerase:no"),
                ),
            ),
        )

    def _confirmable(self, turn: TurnInput) -> bool:
        raw = turn.person.settings.get(ERASE_KEY)
        try:
            until = datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            until = None
        return until is not None and self.runtime.clock.now() <= until

    async def _erase_button(self, turn: TurnInput, rest: str) -> CommandResult:
        pid = turn.person.id
        if rest != "yes":
            await self.runtime.people.update_settings(pid, **{ERASE_KEY: None})
            return "Okay, nothing was erased."
        if not self._confirmable(turn):
            return "That confirmation has expired. Send /deleteme again if you still want it."
        return await self._erase(pid)

    async def _erase(self, person_id: int) -> str:
        # Extraction from their last messages may still be running: let it land first,
        # so nothing is written back after the erasure.
        await self.runtime.companion.drain()
        await self.runtime.erase_person(person_id)
        return (
            "Done: everything I kept about you is erased, including my memory files. "
            "If you write again, I'll start fresh."
        )
