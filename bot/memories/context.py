"""What the model sees of memory each turn: a small always-present profile, and the
memory part built by the one recall function (memory/semantic/recall.py) for what
the person just said, within the memory budget, as quoted data. Group chats get
neither: personal memories stay in private conversations. Goals are not repeated
here: the goals feature shows them in a section of its own, with ids."""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.turn import ContextSection, TurnInput
from memory.semantic.recall import fact_line, recall_memory, safe
from memory.semantic.service import MemoryService

log = logging.getLogger(__name__)

KEY_PEOPLE = 8  # the people in their life, always in the profile

MEMORY_TITLE = (
    "Memories, newest first, each dated (they = the person, you = you; earlier = no longer true)"
)


def memory_budget(settings: Settings) -> int:
    """The memory part's share of the prompt: the bot and the benches use this."""
    return min(settings.memory_context_tokens, settings.context_tokens // 3)


class MemoryContext:
    def __init__(self, service: MemoryService, budget: int) -> None:
        self.service = service
        self.budget = budget

    async def __call__(self, turn: TurnInput) -> list[ContextSection]:
        if not turn.private:
            return []
        person = turn.person
        lines = [
            f"Name: {safe(person.display_name or '') or 'not known yet'}",
            f"Timezone: {person.timezone}",
        ]
        exclude = {turn.user_turn_id} if turn.user_turn_id is not None else set()
        part = await recall_memory(
            self.service, person.id, turn.text, budget=self.budget, exclude_turn_ids=exclude
        )
        # The recall caught up with the facts table just now: no second read.
        facts = await self.service.active(person.id, catch_up=False)
        people = [m for m in facts if m.kind == "person"]
        if people:
            lines.append("Key people:")
            lines.extend(fact_line(m) for m in people[-KEY_PEOPLE:])
        profile = "\n".join(lines)
        sections = [ContextSection("Profile", profile, priority=10)]
        if part.text:
            sections.append(
                ContextSection(MEMORY_TITLE, part.text, priority=30, tokens=part.tokens)
            )
        return sections
