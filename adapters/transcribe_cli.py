"""`companion transcribe FILE...`: check the speech setup on real files.

Prints exactly one line per file, the transcript only (empty when a file could
not be transcribed; the reason goes to standard error and the exit code is 1)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adapters.cli import subcommand
from bot.config import Settings
from bot.media.hearing import Hearing
from bot.media.problems import MediaProblem


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, help="audio files (OGG, MP3, M4A, WAV...)")


@subcommand("transcribe", "print the transcript of each audio file, one line each", _arguments)
def transcribe(args: argparse.Namespace, settings: Settings) -> int:
    try:
        hearing = Hearing(settings)
        hearing.transcriber  # noqa: B018 - fail here, once, on a bad backend setting
    except ValueError as exc:
        print(f"companion transcribe: {exc}", file=sys.stderr)
        return 2
    failed = False
    for path in args.files:
        try:
            text = hearing.transcribe_blocking(path.read_bytes())
        except OSError as exc:
            line, failed = "", True
            print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        except MediaProblem as problem:
            line, failed = "", True
            print(f"{path}: {problem.answer}", file=sys.stderr)
        else:
            line = " ".join(text.text.split())
        print(line, flush=True)
    return 1 if failed else 0
