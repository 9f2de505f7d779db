"""What the model sees of memory each turn: a small always-present profile, and the
memories relevant to what the person just said, within a token budget, as quoted data.
Group chats get neither: personal memories stay in private conversations. Goals are
not repeated here: the goals feature shows them in a section of its own, with ids."""

from __future__ import annotations

import logging

from bot.tokens import truncate_to_tokens
from bot.turn import ContextSection, TurnInput
from memory.semantic.service import MemoryService, Recalled
from memory.semantic.store import Memory

log = logging.getLogger(__name__)

MIN_SIMILARITY = 0.3
KEY_PEOPLE = 8


def describe(memory: Memory) -> str:
    when = memory.said_at.date().isoformat()
    about = f", about {memory.refers_to.date().isoformat()}" if memory.refers_to else ""
    return f"[#{memory.id} {memory.kind}, said {when}{about}] {memory.text}"


def relevant(found: list[Recalled]) -> list[Recalled]:
    """Drop weak matches: a memory that shares no word and little meaning is noise."""
    return [r for r in found if r.keyword > 0 or r.similarity >= MIN_SIMILARITY]


class MemoryContext:
    def __init__(self, service: MemoryService, budget: int) -> None:
        self.service = service
        self.budget = budget

    async def __call__(self, turn: TurnInput) -> list[ContextSection]:
        if not turn.private:
            return []
        pid = turn.person.id
        sections = [ContextSection("Profile", await self.profile(turn), priority=10)]
        found = relevant(await self.service.search(pid, turn.text, k=15))
        shown = {line for line in sections[0].text.splitlines()}
        kept = await self.service.fit(
            [r for r in found if describe(r.memory) not in shown], self.budget
        )
        if kept:
            sections.append(
                ContextSection(
                    "Memories about the person relevant now",
                    "\n".join(describe(r.memory) for r in kept),
                    priority=30,
                )
            )
        return sections

    async def profile(self, turn: TurnInput) -> str:
        person = turn.person
        lines = [
            f"Name: {person.display_name or 'not known yet'}",
            f"Timezone: {person.timezone}",
        ]
        people = [m for m in await self.service.active(person.id) if m.kind == "person"]
        if people:
            lines.append("Key people:")
            lines.extend(describe(m) for m in people[-KEY_PEOPLE:])
        return truncate_to_tokens("\n".join(lines), max(200, self.budget // 2))
