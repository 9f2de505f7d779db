"""Start-up: how long `echo /help | companion chat` takes, as a whole process.

Runs the command of this checkout (``python -m adapters chat``, what the `companion`
script calls) several times with a fresh data directory each time (the first start:
the database is created) and with an existing one (every start after), and prints
the median and p95 of the wall time, and of the CPU time (user + system, steadier on a
busy machine). With ``--model`` a chat model is configured too (never called: /help
does not need it, so it must not cost anything).

``--terminal`` starts it at a pseudo-terminal instead, as a person does (greeting,
scheduler, background warm-up of the models), and prints how long until the prompt
shows, until /help is answered, and from a Ctrl-C right after that until the process
has ended (wall time only: the CPU of the background warm-up after the prompt would
count too).

    python bench/startup.py                  # 10 runs of each
    python bench/startup.py --runs 20 --model
    python bench/startup.py --terminal
"""

from __future__ import annotations

import argparse
import os
import pty
import resource
import select
import signal
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


def at_terminal(data_dir: Path, model: bool) -> tuple[float, float, float]:
    """(seconds until the prompt, until /help is answered, from Ctrl-C right after it
    until the process has ended) of `companion chat` at a pseudo-terminal. The Ctrl-C
    comes while the models may still be loading in the background."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(data_dir)),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm",
        "COMPANION_DATA_DIR": str(data_dir),
    }
    if model:
        env.update(COMPANION_MODEL="openai:gpt-4o-mini", OPENAI_API_KEY="sk-not-used")
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "adapters", "chat"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=data_dir.parent,
        start_new_session=True,
    )
    os.close(slave)
    shown = ""

    def until(words: str) -> float:
        nonlocal shown
        while words not in shown:
            if time.perf_counter() - start > 120 or proc.poll() is not None:
                raise SystemExit(f"{words!r} never appeared:\n{shown[-500:]}")
            if select.select([master], [], [], 0.02)[0]:
                shown += os.read(master, 65536).decode("utf-8", "replace")
        return time.perf_counter() - start

    try:
        prompt = until("you> ")
        os.write(master, b"/help\n")
        answered = until("Or just talk to me.")
        interrupted = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        stopped = time.perf_counter() - interrupted
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return prompt, answered, stopped


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def show(label: str, runs: list[tuple[float, float]]) -> None:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(
        f"{label:<34} wall median {statistics.median(walls):.2f} s  p95 {p95(walls):.2f} s"
        f"   cpu median {statistics.median(cpus):.2f} s  p95 {p95(cpus):.2f} s"
        f"   ({len(runs)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each (default 10)")
    parser.add_argument("--model", action="store_true", help="with a chat model configured")
    parser.add_argument("--terminal", action="store_true", help="at a pseudo-terminal")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    what = "companion chat at a terminal" if args.terminal else "echo /help | companion chat"
    print(f"{what}; load average {load:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        if args.terminal:
            once(base / "existing", args.model)  # the database exists, as at every start after
            timings = [at_terminal(base / "existing", args.model) for _ in range(args.runs)]
            for i, label in enumerate(("prompt shown", "/help answered", "stopped after Ctrl-C")):
                values = [t[i] for t in timings]
                print(
                    f"{label:<34} wall median {statistics.median(values):.2f} s  "
                    f"p95 {p95(values):.2f} s   ({len(values)} runs)"
                )
            return
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
