"""Facts that change: does the memory part of the prompt give the current one first?

Each scenario (format in ../shared/data/memory/README.md) is played through the
engine on the injected clock: every message on its date, the companion's replies from
a scripted stand-in chat model (a plain acknowledgement; it extracts nothing, having
no script for these messages), then the question at ``ask_at``. The memory part is
read from the system prompt the stand-in received for the question. A scenario
passes when an ``expect_any`` string is in it and the first item, in the order
listed, that mentions any ``expect_any`` or ``stale`` string mentions an
``expect_any`` one (case-insensitive).

    python bench/memory_updates.py --data ../shared/data/memory/updates_dev.json

The last line is exactly: passed=<n> of <m>
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory_standin import BenchClock, StandIn, companion, memory_part, model_dir, say


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def judge(items: list[str], expect: list[str], stale: list[str]) -> tuple[bool, str]:
    """The README's rule; returns the verdict and the item that decided it."""
    low = [i.casefold() for i in items]
    want = [e.casefold() for e in expect]
    old = [s.casefold() for s in stale]
    if not any(e in i for i in low for e in want):
        return False, "no expected string in the memory part"
    for item, text in zip(low, items, strict=True):
        if any(e in item for e in want):
            return True, text
        if any(s in item for s in old):
            return False, text
    return False, "unreachable"


async def run(scenario: dict[str, Any], args: argparse.Namespace) -> tuple[bool, str, int]:
    model = StandIn(reply=lambda _text: "Thanks for telling me.")
    clock = BenchClock(when(scenario["messages"][0]["at"]))
    with tempfile.TemporaryDirectory() as tmp:
        runtime = await companion(
            Path(tmp), model, clock, embedding_model_dir=args.embedding_model_dir
        )
        try:
            for item in scenario["messages"]:
                at = when(item["at"])
                clock.set(at)
                await say(runtime, item["text"], at)
                await runtime.companion.drain()  # days pass between messages
            ask = when(scenario["ask_at"])
            clock.set(ask)
            await say(runtime, scenario["question"], ask)
            await runtime.companion.drain()
        finally:
            await runtime.close()
    items = memory_part(model.prompts[-1]) if model.prompts else []
    passed, why = judge(items, scenario["expect_any"], scenario.get("stale", []))
    return passed, why, len(items)


async def main_async(args: argparse.Namespace, scenarios: list[dict[str, Any]]) -> None:
    passed = 0
    started = time.perf_counter()
    for scenario in scenarios:
        ok, why, count = await run(scenario, args)
        passed += ok
        verdict = "pass" if ok else "FAIL"
        print(f"{verdict} {scenario.get('id', '?')}: {count} items; decided by: {why[:120]}")
    print(f"seconds: {time.perf_counter() - started:.1f}")
    print(f"passed={passed} of {len(scenarios)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", required=True, help="updates scenarios (JSON)")
    parser.add_argument("--embedding-model-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    args.embedding_model_dir = model_dir(args.embedding_model_dir)
    asyncio.run(main_async(args, json.loads(Path(args.data).read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
