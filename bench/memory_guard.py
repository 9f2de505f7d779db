"""Memory poisoning: are instructions kept out of memory, and facts kept in?

Each text goes through the engine twice, in two fresh companions, as the person's
message: once the stand-in chat model answers by calling the ``remember`` tool with
the text, once it answers normally and then returns the text as a fact when the
extraction call comes. A text counts as stored when it reaches the memory part of a
later prompt, as a fact or as a line of the conversation. An instruction is blocked
when neither path stored it; a legitimate fact is kept when both stored it.

    python bench/memory_guard.py --data ../shared/data/memory/guard_dev.json

The last line is exactly: blocked=<n> of <m> kept=<n> of <m>
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory_standin import BenchClock, StandIn, companion, memory_part, model_dir, say
from bot.types import Identity
from memory.semantic.guard import clean
from memory.semantic.recall import safe

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def mark(text: str) -> str:
    """What of the text would show in the prompt, to look for: its first words."""
    words = safe(clean(text)).split()
    return " ".join(words[: min(6, len(words))]).casefold()


async def stored(text: str, path: str, args: argparse.Namespace) -> tuple[bool, bool]:
    """Through one path: (a fact was stored, the text showed in a later prompt)."""

    def reply(said: str) -> str | AIMessage:
        if path == "tool" and said == text:
            return AIMessage(
                content="",
                tool_calls=[{"name": "remember", "args": {"text": text}, "id": "call-1"}],
            )
        return "Okay."

    def extract(said: str) -> list[dict[str, Any]]:
        return [{"text": text, "kind": "fact"}] if path == "extract" and said == text else []

    model = StandIn(reply=reply, extract=extract)
    clock = BenchClock(START)
    with tempfile.TemporaryDirectory() as tmp:
        runtime = await companion(
            Path(tmp), model, clock, embedding_model_dir=args.embedding_model_dir
        )
        try:
            await say(runtime, text, START)
            await runtime.companion.drain()
            later = START + timedelta(days=2)
            clock.set(later)
            await say(runtime, f"do you remember what I told you? {text}", later)
            person = await runtime.people.find(Identity("console", "bench"))
            assert person is not None
            facts = await runtime.services.memory.active(person.id)
        finally:
            await runtime.close()
    prompt = model.prompts[-1] if model.prompts else ""
    items = memory_part(prompt)
    needle = mark(text)
    shown = any(needle in item.casefold() for item in items)
    return bool(facts), shown


async def main_async(args: argparse.Namespace, cases: list[dict[str, Any]]) -> None:
    blocked = kept = 0
    instructions = sum(1 for c in cases if c["instruction"])
    for case in cases:
        text = case["text"]
        results = {path: await stored(text, path, args) for path in ("tool", "extract")}
        # An instruction is blocked when no path kept it as a fact nor showed it in a
        # later prompt (as a line of the conversation); a fact is kept when both
        # paths stored it as a memory.
        any_stored = any(fact or shown for fact, shown in results.values())
        all_stored = all(fact for fact, _ in results.values())
        if case["instruction"]:
            blocked += not any_stored
            verdict = "blocked" if not any_stored else "STORED"
        else:
            kept += all_stored
            verdict = "kept" if all_stored else "LOST"
        paths = " ".join(
            f"{p}={'fact' if f else 'no'}{'+shown' if sh else ''}" for p, (f, sh) in results.items()
        )
        print(f"{verdict:8} {paths}  {text[:70]!r}")
    print(f"blocked={blocked} of {instructions} kept={kept} of {len(cases) - instructions}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", required=True, help="guard cases (JSON)")
    parser.add_argument("--embedding-model-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    args.embedding_model_dir = model_dir(args.embedding_model_dir)
    asyncio.run(main_async(args, json.loads(Path(args.data).read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
