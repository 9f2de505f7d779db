"""How well the no-model first line notices a crisis, on a labelled file, and what it
costs per message. The same function the bot runs (bot.safety.detect.detect), with
its default rules; no chat model.

    python bench/safety.py --data ../shared/data/safety/crisis_dev.json [--show-misses]
    python bench/safety.py --data tests/fixtures/safety_fresh.json --split tune
    python bench/safety.py --conversations ../shared/data/locomo/locomo_dev.json

The file is a JSON list of {"text", "crisis": true|false, "kind", "lang"} (see
../shared/data/safety/README.md), with an "id" in tests/fixtures/safety_fresh.json:
``--split tune`` keeps the odd ids (for tuning the rules), ``--split check`` the even
ids (held out: read at milestones only, never tuned on). ``--conversations`` reads
every turn of LoCoMo-style conversations as a harmless message (ordinary chat: what
the rules see most). Prints recall per kind and
per language, false alarms per language, the time per message (median and p95), and last, exactly:
recall=<value> false_alarms=<value>
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.safety.detect import detect, lexicons


def _ratio(hit: int, total: int) -> str:
    return f"{hit / total:.3f} ({hit}/{total})" if total else "-"


SPLITS = {"tune": 1, "check": 0}  # id parity


def conversation_turns(path: Path) -> list[dict[str, object]]:
    """Every turn of LoCoMo-format conversations, as harmless messages."""
    turns: list[dict[str, object]] = []
    for conversation in json.loads(path.read_text(encoding="utf-8")):
        for key, session in conversation["conversation"].items():
            if key.startswith("session_") and isinstance(session, list):
                turns += [{"text": t["text"], "crisis": False, "lang": "en"} for t in session]
    return turns


def main(
    path: Path,
    show_misses: bool,
    repeat: int,
    split: str | None = None,
    conversations: bool = False,
) -> None:
    if conversations:
        items = conversation_turns(path)
    else:
        items = json.loads(path.read_text(encoding="utf-8"))
    if split is not None:
        items = [item for item in items if int(item["id"]) % 2 == SPLITS[split]]
    lexicons()  # compiled once at start, as in the bot
    crisis_by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    crisis_by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    calm_by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    timings: list[float] = []
    cpu: list[float] = []  # this thread's CPU time: less noisy on a shared machine
    noticed = crises = alarms = calm = 0
    for item in items:
        text, is_crisis = str(item["text"]), bool(item["crisis"])
        kind, lang = str(item.get("kind") or "none"), str(item.get("lang") or "?")
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.thread_time()
            finding = detect(text)
            timings.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
        if is_crisis:
            crises += 1
            noticed += finding.crisis
            for table, key in ((crisis_by_kind, kind), (crisis_by_lang, lang)):
                table[key][0] += finding.crisis
                table[key][1] += 1
            if show_misses and not finding.crisis:
                print(f"  missed [{kind}/{lang}] score={finding.score}: {text}")
        else:
            calm += 1
            alarms += finding.crisis
            calm_by_lang[lang][0] += finding.crisis
            calm_by_lang[lang][1] += 1
            if show_misses and finding.crisis:
                print(f"  false alarm [{lang}] {finding.kind} score={finding.score}: {text}")

    print(f"{len(items)} messages from {path}" + (f" ({split} half)" if split else ""))
    print("recall by kind:")
    for kind, (hit, total) in sorted(crisis_by_kind.items()):
        print(f"  {kind:<10} {_ratio(hit, total)}")
    print("recall by language:")
    for lang, (hit, total) in sorted(crisis_by_lang.items()):
        print(f"  {lang:<10} {_ratio(hit, total)}")
    print("false alarms by language:")
    for lang, (hit, total) in sorted(calm_by_lang.items()):
        print(f"  {lang:<10} {_ratio(hit, total)}")
    for label, values in (("time", timings), ("cpu time", cpu)):
        ms = sorted(t * 1000 for t in values)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        print(
            f"{label} per message: median {statistics.median(ms):.3f} ms, p95 {p95:.3f} ms"
            f" (n={len(ms)})"
        )
    recall = noticed / crises if crises else 0.0
    false_alarms = alarms / calm if calm else 0.0
    print(f"recall={recall:.3f} false_alarms={false_alarms:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="labelled JSON file")
    source.add_argument(
        "--conversations", type=Path, help="LoCoMo-format JSON: every turn is harmless"
    )
    parser.add_argument(
        "--show-misses", action="store_true", help="print each miss and false alarm"
    )
    parser.add_argument(
        "--split", choices=sorted(SPLITS), help="half of a file with ids: tune (odd), check (even)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per message (default 5)")
    args = parser.parse_args()
    main(
        args.data or args.conversations,
        args.show_misses,
        max(1, args.repeat),
        args.split,
        conversations=args.conversations is not None,
    )
