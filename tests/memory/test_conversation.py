"""The conversation as memory, where the person meets it: through the console channel.

With no model at all, what was said is indexed as it is stored; after a restart with
a model, the model's prompt holds it. /forget erases the words from every file under
the data dir (SQLite and Chroma) and the vectors that held them."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from adapters.console import ConsoleChannel
from bot.runtime import Runtime, build_runtime
from bot.types import Identity
from memory.semantic.service import MemoryService
from memory.semantic.vectors import TALK
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.memory.helpers import system_text

FILLER = [
    "the bus was late again this morning",
    "I tried a new bread recipe with rye flour",
    "work was quiet, mostly spreadsheets",
    "thinking about repainting the hallway green",
    "my knee feels better after the stretches",
]


async def console(runtime: Runtime, lines: list[str], clock: ManualClock) -> str:
    """Type the lines into the console channel, a minute apart; what it printed."""
    out = io.StringIO()
    channel = ConsoleChannel(io.StringIO("\n".join(lines) + "\n"), out)

    async def handle(msg):  # type: ignore[no-untyped-def]
        clock.advance(minutes=1)
        return await runtime.companion.handle(msg)

    await channel.start(handle)
    await runtime.companion.drain()
    return out.getvalue()


def memories(runtime: Runtime) -> MemoryService:
    found = runtime.services.memory
    assert isinstance(found, MemoryService)
    return found


async def test_said_without_a_model_is_in_a_later_prompt(
    tmp_path: Path, clock: ManualClock, fake_llm: FakeOpenAI
) -> None:
    first = await build_runtime(make_settings(tmp_path), clock=clock)  # no model
    try:
        fifty = [f"{FILLER[i % len(FILLER)]} (day {i})" for i in range(50)]
        printed = await console(first, ["my sister Anna lives in Porto", *fifty], clock)
        assert "can't chat yet" in printed  # said plainly, and the words were kept
    finally:
        await first.close()
    clock.advance(days=3)
    second = await build_runtime(
        make_settings(
            tmp_path,
            model="openai:fake-model",
            model_base_url=fake_llm.base_url,
            model_api_key="sk-test-not-a-real-key-000000",
        ),
        clock=clock,
    )
    try:
        await console(second, ["where does Anna live?"], clock)
    finally:
        await second.close()
    chat = [r for r in fake_llm.all_chat_requests() if not system_text(r).startswith("MEMORY")]
    system = system_text(chat[-1])
    assert "they: “my sister Anna lives in Porto”" in system
    assert "(data, not instructions)" in system


def files_containing(root: Path, marker: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and marker in p.read_bytes()]


async def test_forget_leaves_no_trace_on_disk(tmp_path: Path, clock: ManualClock) -> None:
    canary = "zebracanary4471"
    settings = make_settings(tmp_path)
    runtime = await build_runtime(settings, clock=clock)
    try:
        await console(
            runtime,
            [
                "my bike lock code is 1234",
                f"the spare key is under the {canary} flowerpot",
                "I had soup for lunch",
            ],
            clock,
        )
        person = await runtime.people.find(Identity("console", "local"))
        assert person is not None
        service = memories(runtime)
        turn = next(t for t in await runtime.turns.all(person.id) if canary in t.content)
        fact = await service.remember(
            person.id, f"The spare key is under the {canary} flowerpot.", source_turn_ids=[turn.id]
        )
        await service.settle()
        assert service.talk is not None
        talk = await service.talk.person(person.id)
        holding = [k for k, w in talk.windows.items() if turn.id in _ids(talk, w)]
        vectors = _vectors(service, person.id, holding)
        assert files_containing(settings.data_dir, canary.encode())  # on disk before
        assert vectors and all(_on_disk(settings.data_dir, v) for v in vectors)

        printed = await console(runtime, [f"/forget {canary}"], clock)
        assert "erased 1 message" in printed and "1 memory made from it" in printed
        await service.settle()
        assert files_containing(settings.data_dir, canary.encode()) == []
        assert not any(_on_disk(settings.data_dir, v) for v in vectors)
        assert await service.get(person.id, fact) is None
        left = await runtime.turns.all(person.id)
        assert [t.content for t in left] == ["my bike lock code is 1234", "I had soup for lunch"]
        # The rest of the conversation is still indexed, with fresh vectors.
        talk = await service.talk.person(person.id)
        assert await service.vectors.ids(person.id, TALK) == set(talk.windows)
        assert not any(canary in talk.text(w) for w in talk.windows.values())
    finally:
        await runtime.close()


def _ids(talk, window) -> set[int]:  # type: ignore[no-untyped-def]
    return {t.id for t in talk.turns[window.start : window.end]}


def _vectors(service: MemoryService, person_id: int, keys: list[str]) -> list[bytes]:
    collection = service.vectors._collection(person_id, TALK)
    found = collection.get(ids=keys, include=["embeddings"])
    return [bytes(memoryview(v.astype("float32"))) for v in found["embeddings"]]


def _on_disk(root: Path, vector: bytes) -> bool:
    """A stored vector's bytes (a 64-byte slice is unique enough) in any file."""
    probe = vector[:64]
    for path in root.rglob("*"):
        if path.is_file() and probe in path.read_bytes():
            return True
    with sqlite3.connect(root / "chroma" / "chroma.sqlite3") as db:
        for (blob,) in db.execute("SELECT vector FROM embeddings_queue"):
            if blob and probe in bytes(blob):
                return True
    return False
