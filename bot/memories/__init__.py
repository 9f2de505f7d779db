"""Long-term memory, the feature: extraction after each private turn, recall into the
prompt, the model's remember/forget tools, and the person's commands."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.memories.commands import MemoryCommands
from bot.memories.context import MemoryContext
from bot.memories.tools import memory_tools
from memory.semantic.service import MemoryService
from memory.semantic.store import MemoryStore
from memory.semantic.vectors import VectorIndex

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from memory.semantic.embedding import MiniLM


def build_service(runtime: Runtime) -> MemoryService:
    settings = runtime.settings

    def load_embed() -> MiniLM:
        from memory.semantic.embedding import embedding_function  # chromadb: slow to import

        return embedding_function(settings.embedding_model_dir)

    vectors = VectorIndex(
        path=None if settings.chroma_url else settings.data_dir / "chroma",
        url=settings.chroma_url,
        load_embed=load_embed,  # on first use: /help never loads chromadb
    )
    return MemoryService(MemoryStore(runtime.db), vectors, runtime.clock)


async def install(runtime: Runtime) -> None:
    service = build_service(runtime)
    runtime.services["memory"] = service
    runtime.personal_data("memories", export=service.export, erase=service.erase)
    runtime.on_close(service.close)
    warming: list[asyncio.Task[object]] = []

    async def warm_up() -> None:
        """A long-running process loads the embedding model in the background at start,
        so the first message does not wait for it."""
        warming.append(asyncio.create_task(asyncio.to_thread(lambda: service.vectors.embed)))

    async def settle() -> None:
        await asyncio.gather(*warming, return_exceptions=True)

    runtime.on_start(warm_up)
    runtime.on_close(settle)
    companion = runtime.companion
    budget = min(runtime.settings.memory_context_tokens, runtime.settings.context_tokens // 3)
    companion.hooks.context.append(MemoryContext(service, budget))
    for tool in memory_tools(service, runtime.turns):
        companion.tools.add(tool)
    MemoryCommands(runtime, service).install()
    if companion.model is not None and runtime.settings.memory_extraction:
        from bot.memories.extract import Extractor  # LangChain messages: with a model only

        extractor = Extractor(
            companion.model, service, runtime.clock, timeout=runtime.settings.model_timeout + 5
        )
        companion.hooks.after_turn.append(extractor.after_turn)
