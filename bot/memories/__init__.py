"""Long-term memory, the feature: the conversation indexed as it is stored, extraction
after each private turn, recall into the prompt, the model's remember/forget tools,
and the person's commands."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.background import import_heavy, warm_in_background
from bot.interfaces import Linking
from bot.memories.commands import MemoryCommands
from bot.memories.context import MemoryContext, memory_budget
from bot.memories.tools import memory_tools
from bot.turn import StoredTurn, TurnsStored
from memory.semantic.conversation import TalkTurn
from memory.semantic.service import MemoryService
from memory.semantic.store import MemoryStore
from memory.semantic.vectors import VectorIndex

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from memory.semantic.embedding import MiniLM


def build_service(runtime: Runtime) -> MemoryService:
    settings = runtime.settings

    def load_embed() -> MiniLM:
        # chromadb: slow to import, and only one thread may import it (bot/background.py)
        embedding = import_heavy("memory.semantic.embedding")
        return embedding.embedding_function(settings.embedding_model_dir)  # type: ignore[no-any-return]

    vectors = VectorIndex(
        path=None if settings.chroma_url else settings.data_dir / "chroma",
        url=settings.chroma_url,
        load_embed=load_embed,  # on first use: /help never loads chromadb
    )
    return MemoryService(
        MemoryStore(runtime.db),
        vectors,
        runtime.clock,
        runtime.turns,
        spawn=runtime.companion.background,  # drained before shutdown and erasure
    )


def index_stored(service: MemoryService) -> TurnsStored:
    """The engine's stored-turn hook: private turns go into the conversation index."""

    def stored(turns: list[StoredTurn]) -> None:
        by_person: dict[int, list[TalkTurn]] = {}
        for t in turns:
            if t.private:
                by_person.setdefault(t.person_id, []).append(
                    TalkTurn(t.turn_id, t.role, t.text, t.at)
                )
        for person_id, talk in by_person.items():
            service.turns_stored(person_id, talk)

    return stored


# Merges on /link.
NEEDS: tuple[str, ...] = ("linking",)


async def install(runtime: Runtime) -> None:
    service = build_service(runtime)
    runtime.services.memory = service
    runtime.personal_data("memories", export=service.export, erase=service.erase)
    # The conversation index holds no text of its own (the turns are exported with
    # the conversation); /export says which turns it covers.
    runtime.personal_data(
        "conversation_index", export=service.export_index, erase=service.erase_index
    )
    linking: Linking | None = runtime.services.linking
    if linking is not None:
        linking.mergers["memories"] = service.merge
        linking.mergers["conversation_index"] = service.merged_index
    runtime.on_close(service.close)
    warming: list[asyncio.Future[object]] = []

    async def warm_up() -> None:
        """A long-running process loads the embedding model in the background at start,
        so the first message does not wait for it (and a stop does not wait for it)."""
        warming.append(warm_in_background(lambda: service.vectors.embed, "embedding model"))

    async def settle() -> None:
        for loading in warming:
            if not loading.done():
                loading.cancel()  # its thread is left behind: a stop never waits for it
            elif not loading.cancelled():
                loading.exception()  # taken: an unavailable model is told on first use

    runtime.on_start(warm_up)
    runtime.on_close(settle)
    companion = runtime.companion
    companion.hooks.stored.append(index_stored(service))
    companion.hooks.context.append(MemoryContext(service, memory_budget(runtime.settings)))
    for tool in memory_tools(service, runtime.turns):
        companion.tools.add(tool)
    MemoryCommands(runtime, service).install()
    if companion.model is not None and runtime.settings.memory_extraction:
        from bot.memories.extract import Extractor  # LangChain messages: with a model only

        extractor = Extractor(
            companion.model,
            service,
            runtime.clock,
            timeout=runtime.settings.model_timeout + 5,
            followups=lambda: runtime.services.followups,
        )
        companion.hooks.after_turn.append(extractor.after_turn)
