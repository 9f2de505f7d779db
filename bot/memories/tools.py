"""The model's memory tools. The person is fixed by the ToolContext: the model picks
what to remember or forget, never whose memories."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.numbers import whole
from bot.tools import Tool, ToolContext
from memory.semantic.guard import MemoryRejected
from memory.semantic.service import MemoryService, Recalled
from memory.turns import TurnStore

FORGET_SIMILARITY = 0.5


class RememberArgs(BaseModel):
    text: str = Field(description="one short self-contained sentence about the person")
    kind: str = Field(
        default="fact", description="fact, preference, person, event, plan or feeling"
    )


class ForgetArgs(BaseModel):
    about: str = Field(default="", description="words describing the memory to forget (or its #id)")


async def matching(service: MemoryService, person_id: int, words: str) -> list[Recalled]:
    """Memories a request to forget most plausibly means: an #id, or strong matches."""
    words = words.strip()
    number = whole(words)
    if number is not None:
        memory = await service.get(person_id, str(number))
        return [Recalled(memory, 1.0, 1.0, 1.0)] if memory and memory.status == "active" else []
    found = await service.search(person_id, words, k=5)
    return [r for r in found if r.similarity >= FORGET_SIMILARITY or r.keyword >= 2.0]


async def _source(turns: TurnStore, person_id: int) -> list[int]:
    """The message being answered: the core stores it before the model runs."""
    recent = await turns.recent(person_id, limit=4)
    return [t.id for t in recent if t.role == "user"][-1:]


def memory_tools(service: MemoryService, turns: TurnStore) -> list[Tool]:
    async def remember(ctx: ToolContext, args: RememberArgs) -> str:
        try:
            memory_id = await service.remember(
                ctx.person_id,
                args.text,
                kind=args.kind,
                platform=ctx.turn.message.identity.platform,
                source_turn_ids=await _source(turns, ctx.person_id),
                origin="tool",
            )
        except MemoryRejected as exc:
            return f"not stored: {exc}"
        return f"remembered as #{memory_id}"

    async def forget(ctx: ToolContext, args: ForgetArgs) -> str:
        found = await matching(service, ctx.person_id, args.about)
        if not found:
            return "no stored memory matches that; nothing was forgotten"
        gone = await service.forget(ctx.person_id, [r.memory.id for r in found])
        texts = [r.memory.text for r in found if r.memory.id in gone]
        return "forgotten: " + "; ".join(texts)

    return [
        Tool(
            "remember",
            "Store a memory about the person when they ask you to remember something.",
            RememberArgs,
            remember,
        ),
        Tool(
            "forget",
            "Delete the person's stored memories about something when they ask you to forget it.",
            ForgetArgs,
            forget,
        ),
    ]
