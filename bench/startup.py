"""Start-up: how long `echo /help | companion chat` takes, as a whole process.

Runs the command of this checkout (``python -m adapters chat``, what the `companion`
script calls) several times with a fresh data directory each time (the first start:
the database is created) and with an existing one (every start after), and prints
the median and p95 of the wall time, and of the CPU time (user + system, steadier on a
busy machine). With ``--model`` a chat model is configured too (never called: /help
does not need it, so it must not cost anything).

    python bench/startup.py                  # 10 runs of each
    python bench/startup.py --runs 20 --model
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def once(data_dir: Path, model: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `echo /help | companion chat`."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(data_dir)),
        "PYTHONPATH": str(ROOT),
        "COMPANION_DATA_DIR": str(data_dir),
    }
    if model:
        env.update(COMPANION_MODEL="openai:gpt-4o-mini", OPENAI_API_KEY="sk-not-used")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "adapters", "chat"],
        input=b"/help\n",
        capture_output=True,
        env=env,
        cwd=data_dir.parent,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or b"/help" not in done.stdout:
        raise SystemExit(f"the command failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def show(label: str, runs: list[tuple[float, float]]) -> None:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(
        f"{label:<26} wall median {statistics.median(walls):.2f} s  p95 {p95(walls):.2f} s"
        f"   cpu median {statistics.median(cpus):.2f} s  p95 {p95(cpus):.2f} s"
        f"   ({len(runs)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each (default 10)")
    parser.add_argument("--model", action="store_true", help="with a chat model configured")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"echo /help | companion chat; load average {load:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        existing = base / "existing"
        once(existing, args.model)  # creates the database; also warms the disk cache
        fresh, again = [], []
        for i in range(args.runs):  # interleaved, so a busy moment hits both alike
            fresh.append(once(base / f"fresh-{i}", args.model))
            again.append(once(existing, args.model))
        suffix = ", with a model" if args.model else ""
        show(f"fresh data dir{suffix}", fresh)
        show(f"existing data dir{suffix}", again)


if __name__ == "__main__":
    main()
