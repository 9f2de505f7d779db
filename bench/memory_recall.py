"""Memory recall on LoCoMo-format conversations, on the path the bot really uses.

Each conversation is played through the engine (``Companion.handle``) on an injected
clock at the session dates: one speaker is the person, the other's lines are the
companion's replies, returned by a scripted stand-in chat model (bench/memory_standin.py).
Consecutive lines of one speaker are one message. A session that opens with the
other speaker starts with that line as a check-in (stored as the companion's turn).
The conversation index fills itself as turns are stored; with ``--extract`` the
stand-in answers each extraction call with the LoCoMo ``observation`` facts of the
line being extracted (the person's own), so the real extract/reconcile/store code runs.

Each question (categories 1-4) is then scored on the memory part of the prompt that
the recall function builds at the default budget: are all its evidence turns in it,
shown or cited by a fact? In the same run, plain BM25 over the same windows (the
question's words as they are, no dates) fills the same budget, each window whole on its
own dated line, as the baseline.

    python bench/memory_recall.py --data ../shared/data/locomo/locomo_dev.json
    python bench/memory_recall.py --data FILE --extract
    python bench/memory_recall.py --data FILE --budgets 1000,1500,2000,2500

The last line is exactly: recall_all=<value> tokens=<median> baseline=<value>
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory_standin import BenchClock, StandIn, companion, model_dir, say
from bot.config import Settings
from bot.memories.context import memory_budget
from bot.runtime import Runtime
from bot.tokens import count_tokens
from bot.types import Identity
from memory.semantic.conversation import PersonTalk
from memory.semantic.recall import (
    HEADER,
    MemoryItem,
    MemoryPart,
    Selection,
    recall_memory,
    render,
    talk_line,
)

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
EVIDENCE = re.compile(r"D\d+:\d+")
LINE_GAP = timedelta(seconds=40)


@dataclass
class Line:
    dia_ids: list[str]
    speaker: str
    text: str


@dataclass
class Session:
    date: datetime
    lines: list[Line] = field(default_factory=list)


def parse_date(text: str) -> datetime:
    """LoCoMo dates: "1:56 pm on 8 May, 2023"."""
    return datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y").replace(tzinfo=UTC)


def sessions_of(conversation: dict[str, Any]) -> list[Session]:
    """Sessions in order; consecutive lines of one speaker joined into one message."""
    numbers = sorted(
        int(m.group(1))
        for key in conversation
        if (m := re.fullmatch(r"session_(\d+)", key)) and conversation[key]
    )
    out = []
    for n in numbers:
        session = Session(parse_date(conversation[f"session_{n}_date_time"]))
        for turn in conversation[f"session_{n}"]:
            text = turn.get("text", "")
            if turn.get("blip_caption"):
                text += f" [shares a photo of {turn['blip_caption']}]"
            last = session.lines[-1] if session.lines else None
            if last is not None and last.speaker == turn["speaker"]:
                last.dia_ids.append(turn["dia_id"])
                last.text += "\n" + text
            else:
                session.lines.append(Line([turn["dia_id"]], turn["speaker"], text))
        out.append(session)
    return out


def evidence_of(qa: dict[str, Any]) -> set[str]:
    return {m for item in qa.get("evidence") or [] for m in EVIDENCE.findall(str(item))}


class Script:
    """The stand-in's lines: the next reply, and the facts of each person's line."""

    def __init__(self, person: str, observations: dict[str, Any], extract: bool) -> None:
        self.next_reply = ""
        self.facts: dict[str, list[dict[str, Any]]] = {}
        self.by_text: dict[str, list[str]] = {}
        self.person = person
        self.observations = observations if extract else {}

    def learn(self, session_number: int, line: Line) -> None:
        self.by_text.setdefault(line.text, line.dia_ids)
        observed = self.observations.get(f"session_{session_number}_observation") or {}
        for fact, dia in observed.get(self.person, []):
            if any(dia_id in line.dia_ids for dia_id in EVIDENCE.findall(str(dia))):
                self.facts.setdefault(line.text, []).append({"text": fact, "kind": "fact"})

    def reply(self, _user: str) -> str:
        return self.next_reply

    def extract(self, said: str) -> list[dict[str, Any]]:
        return self.facts.get(said, [])


async def play(
    runtime: Runtime, clock: BenchClock, script: Script, person: str, sessions: list[Session]
) -> tuple[int, dict[int, list[str]]]:
    """Every line through the engine; returns the person's id and turn id -> dia ids."""
    dia_of: dict[int, list[str]] = {}
    first = sessions[0].date if sessions else datetime.now(UTC)
    found = await runtime.people.resolve(
        Identity("console", person), display_name=person, now=first
    )
    person_id = found.id
    last_id = 0
    for number, session in enumerate(sessions, start=1):
        at = session.date
        lines = session.lines
        start = 0
        if lines and lines[0].speaker != person:
            # The companion speaks first: a check-in, stored as its turn.
            turn_id = await runtime.turns.add(
                person_id, "assistant", lines[0].text, at=at, meta={"private": True}
            )
            dia_of[turn_id] = lines[0].dia_ids
            last_id = turn_id
            start = 1
            at += LINE_GAP
        i = start
        while i < len(lines):
            line = lines[i]
            if line.speaker != person:
                i += 1
                continue
            script.learn(number, line)
            reply = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].speaker != person else None
            script.next_reply = reply.text if reply else "I see."
            clock.set(at)
            await say(runtime, line.text, at, user=person)
            at += LINE_GAP
            for turn, _meta in await runtime.turns.since(person_id, last_id):
                last_id = turn.id
                if turn.role == "user":
                    dia_of[turn.id] = line.dia_ids
                elif reply is not None:
                    dia_of[turn.id] = reply.dia_ids
            i += 2 if reply is not None else 1
        await runtime.companion.drain()  # the days between sessions: indexing done
    return person_id, dia_of


def covered(part: MemoryPart, dia_of: dict[int, list[str]]) -> set[str]:
    return {d for item in part.items for t in item.turn_ids for d in dia_of.get(t, [])}


def bm25_windows(talk: PersonTalk, question: str, budget: int) -> MemoryPart:
    """The baseline: plain BM25 over the same windows, each window shown whole on
    its own dated line (as retrieved), best first, while they fit in the budget."""
    items: list[MemoryItem] = []
    used = 0
    for key, _score in talk.keyword.top(question, len(talk.windows)):
        window = talk.windows[key]
        positions = list(range(window.start, window.end))
        line = talk_line(talk, positions)
        cost = count_tokens(line) + HEADER
        if used + cost > budget:
            continue
        used += cost
        items.append(
            MemoryItem(
                "talk",
                talk.turns[window.start].at,
                line,
                tuple(talk.turns[p].id for p in positions),
            )
        )
        if budget - used < 12:
            break
    return MemoryPart("\n".join(i.text for i in items), items, used)


def bm25_merged(talk: PersonTalk, question: str, budget: int) -> MemoryPart:
    """BM25 over the same windows with this recall's overlap dropping and line
    merging: how much of the gain is the ranking alone."""
    chosen = Selection(talk, budget)
    for key, _score in talk.keyword.top(question, len(talk.windows)):
        if chosen.full():
            break
        chosen.take_window(talk.windows[key])
    return render(chosen)


async def run_conversation(
    sample: dict[str, Any], args: argparse.Namespace, results: dict[str, list[Any]]
) -> None:
    conversation = sample["conversation"]
    person = conversation["speaker_a"]
    script = Script(person, sample.get("observation") or {}, args.extract)
    model = StandIn(reply=script.reply, extract=script.extract)
    clock = BenchClock()
    with tempfile.TemporaryDirectory() as tmp:
        runtime = await companion(
            Path(tmp), model, clock, embedding_model_dir=args.embedding_model_dir
        )
        service = runtime.services.memory
        assert service is not None
        budget = memory_budget(runtime.settings)
        try:
            began = time.perf_counter()
            person_id, dia_of = await play(
                runtime, clock, script, person, sessions_of(conversation)
            )
            results["ingest_seconds"].append(time.perf_counter() - began)
            results["facts"].append(len(await service.active(person_id)))
            assert service.talk is not None
            talk = await service.talk.person(person_id)
            results["windows"].append(len(talk.windows))
            await recall_memory(service, person_id, "warm up", budget=budget)
            mine: list[bool] = []
            theirs: list[bool] = []
            for qa in sample["qa"]:
                evidence = evidence_of(qa)
                category = int(qa.get("category", 0))
                if not evidence or category not in CATEGORIES:
                    continue
                question = str(qa["question"])
                started = time.perf_counter()
                part = await recall_memory(service, person_id, question, budget=budget)
                results["latency"].append(time.perf_counter() - started)
                results[f"all/{category}"].append(evidence <= covered(part, dia_of))
                mine.append(evidence <= covered(part, dia_of))
                results["tokens"].append(part.tokens)
                results["fact_items"].append(sum(1 for i in part.items if i.kind == "fact"))
                base = bm25_windows(talk, question, budget)
                results[f"base/{category}"].append(evidence <= covered(base, dia_of))
                theirs.append(evidence <= covered(base, dia_of))
                results["base_tokens"].append(base.tokens)
                merged = bm25_merged(talk, question, budget)
                results[f"merged/{category}"].append(evidence <= covered(merged, dia_of))
                for other in args.budgets:
                    part = await recall_memory(service, person_id, question, budget=other)
                    base = bm25_windows(talk, question, other)
                    results[f"at{other}"].append(evidence <= covered(part, dia_of))
                    results[f"at{other}/base"].append(evidence <= covered(base, dia_of))
                    results[f"at{other}/tokens"].append(part.tokens)
            results["per_conversation"].append((len(mine), sum(mine), sum(theirs)))
        finally:
            await runtime.close()
    results["calls"].append(dict(model.calls))


def mean(values: list[Any]) -> float:
    return sum(values) / len(values) if values else 0.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def report(results: dict[str, list[Any]], args: argparse.Namespace, budget: int) -> None:
    print(f"extract={'on' if args.extract else 'off'} budget={budget} tokens (default)")
    print(f"windows per conversation: {results['windows']}  facts: {results['facts']}")
    print(f"stand-in calls per conversation: {results['calls']}")
    ingest = results["ingest_seconds"]
    print(f"ingest seconds per conversation: median {statistics.median(ingest):.1f}")
    print("category          n  recall_all  bm25_baseline  bm25_with_overlap_dropped")
    for c, name in CATEGORIES.items():
        n = len(results[f"all/{c}"])
        if n:
            print(
                f"{c} {name:<13} {n:4d}  {mean(results[f'all/{c}']):.3f}       "
                f"{mean(results[f'base/{c}']):.3f}          {mean(results[f'merged/{c}']):.3f}"
            )
    merged = [v for c in CATEGORIES for v in results[f"merged/{c}"]]
    print(
        f"BM25 over the windows with overlap dropped (ranking alone): {mean(merged):.3f}; "
        f"baseline tokens median {statistics.median(results['base_tokens'] or [0]):.0f}"
    )
    print(
        "per conversation, recall_all / baseline (questions): "
        + ", ".join(
            f"{mine / n:.3f}/{theirs / n:.3f} ({mine - theirs:+d} of {n})"
            for n, mine, theirs in results["per_conversation"]
        )
    )
    for other in args.budgets:
        print(
            f"at {other} tokens: recall_all={mean(results[f'at{other}']):.3f} "
            f"baseline={mean(results[f'at{other}/base']):.3f} "
            f"tokens={statistics.median(results[f'at{other}/tokens']):.0f}"
        )
    lat = [x * 1000 for x in results["latency"]]
    print(f"recall latency ms: p50={pct(lat, 0.5):.1f} p95={pct(lat, 0.95):.1f} (n={len(lat)})")
    print(f"fact lines per prompt: mean {mean(results['fact_items']):.1f}")
    every = [v for c in CATEGORIES for v in results[f"all/{c}"]]
    base = [v for c in CATEGORIES for v in results[f"base/{c}"]]
    tokens = statistics.median(results["tokens"]) if results["tokens"] else 0
    print(f"recall_all={mean(every):.3f} tokens={tokens:.0f} baseline={mean(base):.3f}")


async def main_async(args: argparse.Namespace, data: list[dict[str, Any]]) -> None:
    if args.conversations:
        data = data[: args.conversations]
    results: dict[str, list[Any]] = defaultdict(list)
    for sample in data:
        await run_conversation(sample, args, results)
    budget = memory_budget(Settings(_env_file=None))  # type: ignore[call-arg]
    report(results, args, budget)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", required=True, help="a LoCoMo-format JSON file")
    parser.add_argument("--extract", action="store_true", help="the stand-in extracts facts")
    parser.add_argument("--conversations", type=int, default=0, help="only the first N")
    parser.add_argument(
        "--budgets", default="", help="also score at these budgets (comma-separated tokens)"
    )
    parser.add_argument("--embedding-model-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    args.budgets = [int(b) for b in args.budgets.split(",") if b.strip()]
    args.embedding_model_dir = model_dir(args.embedding_model_dir)
    data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    asyncio.run(main_async(args, data))


if __name__ == "__main__":
    main()
