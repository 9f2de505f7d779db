"""CPU per message of the two pure-Python text checks every message goes through: the
crisis rules (bot.safety.detect.detect, on each message and each reply) and the memory
poisoning guard (memory.semantic.guard.looks_like_instructions, on each stored turn).

Ordinary chat is what they see most: every turn of the LoCoMo conversations, plus the
labelled safety and guard files when given. Each text is timed alone (CPU time, this
thread), with the functions' caches emptied first, over several rounds; prints per
function the median and p95 of the per-message times (medians over the rounds).

    python bench/safety_cpu.py --conversations ../shared/data/locomo/locomo_dev.json \\
        --data ../shared/data/safety/crisis_dev.json tests/fixtures/safety_final.json \\
        --data ../shared/data/memory/guard_dev.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.safety import conversation_turns
from bot.safety import normalize
from bot.safety.detect import concept_lexicons, detect, lexicons
from memory.semantic import guard


def _texts(conversations: list[Path], data: list[Path]) -> list[str]:
    texts = [str(t["text"]) for path in conversations for t in conversation_turns(path)]
    for path in data:
        items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        texts += [str(item["text"]) for item in items]
    return texts


def _forget() -> None:
    """Empty the caches, so each call does the whole work (as a new message does)."""
    for function in (guard.reasons, getattr(normalize, "normalise", None)):
        clear = getattr(function, "cache_clear", None)
        if clear is not None:
            clear()


def _times(check: Callable[[str], object], texts: list[str], rounds: int) -> tuple[float, float]:
    """Median and p95 per message in microseconds, each the median over the rounds."""
    medians, p95s = [], []
    for _ in range(rounds):
        spent = []
        for text in texts:
            _forget()
            start = time.thread_time_ns()
            check(text)
            spent.append(time.thread_time_ns() - start)
        medians.append(statistics.median(spent) / 1000)
        p95s.append(statistics.quantiles(spent, n=20)[18] / 1000)
    return statistics.median(medians), statistics.median(p95s)


def main(conversations: list[Path], data: list[Path], rounds: int) -> None:
    texts = _texts(conversations, data)
    start = time.process_time()
    lexicons(), concept_lexicons(), detect("warm up")
    print(f"rules compiled in {time.process_time() - start:.2f} s CPU; {len(texts)} texts")
    checks = (("detect", detect), ("looks_like_instructions", guard.looks_like_instructions))
    for name, check in checks:
        median, p95 = _times(check, texts, rounds)
        print(f"{name}: median={median:.1f}us p95={p95:.1f}us")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=Path, nargs="*", default=[])
    parser.add_argument("--data", type=Path, nargs="*", action="extend", default=[])
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (default 5)")
    args = parser.parse_args()
    if not args.conversations and not args.data:
        parser.error("give --conversations and/or --data")
    main(args.conversations, args.data, args.rounds)
