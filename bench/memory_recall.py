"""Memory recall on LoCoMo-format conversations, through the real memory store.

Each conversation is ingested session by session with the dates the sessions carry
(raw turns, windows of neighbouring turns, or LLM-extracted memories), then each
question retrieves the top k and we check whether the evidence turns come back,
directly or through the source turns of the memories returned.

    python bench/memory_recall.py --data ../shared/data/locomo/locomo_dev.json
    python bench/memory_recall.py --data FILE --mode turns          # one memory per turn
    COMPANION_MODEL=openai:gpt-4o-mini python bench/memory_recall.py --data FILE --mode llm

The last line is exactly: recall_all@10=<value> tokens@10=<median> (categories 1-4).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import SystemClock
from bot.config import Settings
from bot.memories import build_service
from bot.memories.extract import Extractor
from bot.runtime import Runtime, build_runtime
from bot.tokens import count_tokens
from bot.turn import TurnResult
from bot.types import Identity
from memory.semantic.service import MemoryService
from memory.semantic.store import NewMemory

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop", 5: "adversarial"}
EVIDENCE = re.compile(r"D\d+:\d+")


@dataclass
class Turn:
    dia_id: str
    speaker: str
    text: str
    at: datetime


@dataclass
class Session:
    date: datetime
    date_text: str
    turns: list[Turn] = field(default_factory=list)


def parse_date(text: str) -> datetime:
    """LoCoMo dates: "1:56 pm on 8 May, 2023"."""
    return datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y").replace(tzinfo=UTC)


def sessions_of(conversation: dict[str, Any]) -> list[Session]:
    numbers = sorted(
        int(m.group(1))
        for key in conversation
        if (m := re.fullmatch(r"session_(\d+)", key)) and conversation[key]
    )
    out = []
    for n in numbers:
        date_text = conversation.get(f"session_{n}_date_time", "")
        date = parse_date(date_text)
        session = Session(date, date_text)
        for turn in conversation[f"session_{n}"]:
            text = turn.get("text", "")
            if turn.get("blip_caption"):
                text += f" [shares a photo of {turn['blip_caption']}]"
            session.turns.append(Turn(turn["dia_id"], turn["speaker"], text, date))
        out.append(session)
    return out


def line(turn: Turn) -> str:
    return f"{turn.speaker}: {turn.text}"


def windows(session: Session, size: int, stride: int) -> list[list[Turn]]:
    turns = session.turns
    if len(turns) <= size:
        return [turns]
    starts = list(range(0, len(turns) - size + 1, stride))
    if starts[-1] + size < len(turns):
        starts.append(len(turns) - size)
    return [turns[s : s + size] for s in starts]


async def ingest(
    runtime: Runtime,
    service: MemoryService,
    person_id: int,
    sessions: list[Session],
    args: argparse.Namespace,
    extractor: Extractor | None,
) -> dict[int, str]:
    """Store the turns (real turn ids) and the memories made from them."""
    dia_of: dict[int, str] = {}
    for session in sessions:
        turn_ids: dict[str, int] = {}
        for turn in session.turns:
            tid = await runtime.turns.add(person_id, "user", line(turn), at=turn.at)
            turn_ids[turn.dia_id] = tid
            dia_of[tid] = turn.dia_id
        items: list[NewMemory] = []
        if args.mode == "turns":
            for turn in session.turns:
                items.append(
                    NewMemory(line(turn), said_at=turn.at, source_turn_ids=(turn_ids[turn.dia_id],))
                )
        else:
            for chunk in windows(session, args.window, args.stride):
                sources = tuple(turn_ids[t.dia_id] for t in chunk)
                text = f"[{session.date_text}]\n" + "\n".join(line(t) for t in chunk)
                if args.mode == "windows":
                    items.append(NewMemory(text, said_at=session.date, source_turn_ids=sources))
                    continue
                assert extractor is not None
                person = await runtime.people.get(person_id)
                assert person is not None
                found = await extractor.extract(
                    TurnResult(person, text, "", sources[0], None, "bench", True, {})
                )
                items.extend(
                    NewMemory(
                        c.text,
                        kind=c.kind,
                        said_at=session.date,
                        refers_to=c.refers_to,
                        source_turn_ids=sources,
                        origin="extracted",
                    )
                    for c in found
                )
        if items:
            await service.remember_many(person_id, items, dedupe=args.mode == "llm")
    return dia_of


def evidence_of(qa: dict[str, Any]) -> set[str]:
    return {m for item in qa.get("evidence") or [] for m in EVIDENCE.findall(str(item))}


async def run_conversation(
    sample: dict[str, Any], args: argparse.Namespace, results: dict[str, list[Any]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            embedding_model_dir=args.embedding_model_dir,
            model=args.model,
            model_base_url=args.model_base_url,
        )
        runtime = await build_runtime(settings, clock=SystemClock(), with_features=False)
        service = build_service(runtime)
        service.dense_weight, service.keyword_weight = args.dense_weight, args.keyword_weight
        try:
            conversation = sample["conversation"]
            person = await runtime.people.resolve(
                Identity("bench", str(sample.get("sample_id", "x"))),
                display_name=conversation.get("speaker_a"),
                now=datetime.now(UTC),
            )
            extractor = None
            if args.mode == "llm":
                if runtime.companion.model is None:
                    raise SystemExit("--mode llm needs COMPANION_MODEL (or --model)")
                extractor = Extractor(runtime.companion.model, service, runtime.clock, timeout=120)
            started = time.perf_counter()
            dia_of = await ingest(
                runtime, service, person.id, sessions_of(conversation), args, extractor
            )
            results["ingest_seconds"].append(time.perf_counter() - started)
            await service.search(person.id, "warm up", args.k)  # build indexes, load the model
            for qa in sample["qa"]:
                evidence = evidence_of(qa)
                category = int(qa.get("category", 0))
                if not evidence or category not in CATEGORIES:
                    continue
                began = time.perf_counter()
                found = await service.search(
                    person.id, qa["question"], max(args.k, 10), spread=args.spread
                )
                results["latency"].append(time.perf_counter() - began)
                for k in sorted({5, 10, args.k}):
                    got = {
                        dia_of[t]
                        for r in found[:k]
                        for t in r.memory.source_turn_ids
                        if t in dia_of
                    }
                    results[f"all@{k}/{category}"].append(evidence <= got)
                    results[f"any@{k}/{category}"].append(bool(evidence & got))
                tokens = sum(count_tokens(r.memory.text) for r in found[:10])
                results[f"tokens/{category}"].append(tokens)
            results["memories"].append(len(await service.active(person.id)))
        finally:
            await service.close()
            await runtime.close()


def mean(values: list[Any]) -> float:
    return sum(values) / len(values) if values else 0.0


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def report(results: dict[str, list[Any]], args: argparse.Namespace) -> None:
    print(
        f"mode={args.mode} window={args.window} stride={args.stride} "
        f"weights dense={args.dense_weight} keyword={args.keyword_weight} spread={args.spread}"
    )
    print(f"memories per conversation: {results['memories']}")
    ingest = statistics.median(results["ingest_seconds"])
    print(f"ingest seconds per conversation: median {ingest:.1f}")
    print("category          n  all@5  any@5  all@10 any@10 tokens@10")
    for c, name in CATEGORIES.items():
        n = len(results[f"all@10/{c}"])
        if not n:
            continue
        print(
            f"{c} {name:<13} {n:4d}  {mean(results[f'all@5/{c}']):.3f}  "
            f"{mean(results[f'any@5/{c}']):.3f}  {mean(results[f'all@10/{c}']):.3f}  "
            f"{mean(results[f'any@10/{c}']):.3f}  {statistics.median(results[f'tokens/{c}']):.0f}"
        )
    main_all = {
        k: [v for c in (1, 2, 3, 4) for v in results[f"{k}/{c}"]]
        for k in ("all@5", "any@5", "all@10", "any@10", "tokens")
    }
    lat = [x * 1000 for x in results["latency"]]
    print(
        f"categories 1-4: all@5={mean(main_all['all@5']):.3f} any@5={mean(main_all['any@5']):.3f} "
        f"all@10={mean(main_all['all@10']):.3f} any@10={mean(main_all['any@10']):.3f}"
    )
    print(f"query latency ms: p50={p(lat, 0.5):.1f} p95={p(lat, 0.95):.1f} (n={len(lat)})")
    print(
        f"recall_all@10={mean(main_all['all@10']):.3f} "
        f"tokens@10={statistics.median(main_all['tokens']) if main_all['tokens'] else 0:.0f}"
    )


async def main_async(args: argparse.Namespace, data: list[dict[str, Any]]) -> None:
    if args.conversations:
        data = data[: args.conversations]
    results: dict[str, list[Any]] = defaultdict(list)
    for sample in data:
        await run_conversation(sample, args, results)
    report(results, args)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a LoCoMo-format JSON file")
    parser.add_argument("--mode", choices=["windows", "turns", "llm"], default="windows")
    parser.add_argument("--window", type=int, default=4, help="turns per window")
    parser.add_argument("--stride", type=int, default=2, help="turns between window starts")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--spread", action="store_true", help="skip overlapping windows")
    parser.add_argument("--dense-weight", type=float, default=1.0)
    parser.add_argument("--keyword-weight", type=float, default=1.0)
    parser.add_argument("--conversations", type=int, default=0, help="only the first N")
    parser.add_argument("--model", default=None, help="provider:model for --mode llm")
    parser.add_argument("--model-base-url", default=None)
    parser.add_argument(
        "--embedding-model-dir", type=Path, default=None, help="local MiniLM ONNX folder"
    )
    args = parser.parse_args(argv)
    if args.model is None:
        args.model = os.environ.get("COMPANION_MODEL")
        args.model_base_url = args.model_base_url or os.environ.get("COMPANION_MODEL_BASE_URL")
    if args.embedding_model_dir is None and os.environ.get("COMPANION_EMBEDDING_MODEL_DIR"):
        args.embedding_model_dir = Path(os.environ["COMPANION_EMBEDDING_MODEL_DIR"])
    data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    asyncio.run(main_async(args, data))


if __name__ == "__main__":
    main()
