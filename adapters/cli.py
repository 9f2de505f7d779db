"""The `companion` command: chat, run, doctor (and what features add)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable

from pydantic import ValidationError

from adapters.channels import Outcome, configured_channels, run_channels
from adapters.console import ConsoleChannel
from bot.channel import Channel
from bot.config import Settings
from bot.doctor import database_answers, format_results, run_checks
from bot.logs import setup_logging
from bot.runtime import build_runtime

log = logging.getLogger("companion")

Subcommand = Callable[[argparse.Namespace, Settings], int]
_SUBCOMMANDS: dict[str, tuple[str, Subcommand, Callable[[argparse.ArgumentParser], None]]] = {}


def subcommand(
    name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda p: None
) -> Callable[[Subcommand], Subcommand]:
    def register(func: Subcommand) -> Subcommand:
        _SUBCOMMANDS[name] = (help_text, func, arguments)
        return func

    return register


def load_settings() -> Settings | None:
    try:
        return Settings()
    except ValidationError as exc:
        print("Your configuration has a problem:", file=sys.stderr)
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "settings"
            print(f"  COMPANION_{where.upper()}: {error['msg']}", file=sys.stderr)
        return None


# --------------------------------------------------------------------------- chat


@subcommand("chat", "talk to the companion in this terminal (reads standard input)")
def chat(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_chat(settings))


async def _chat(settings: Settings) -> int:
    runtime = await build_runtime(settings)
    console = ConsoleChannel(prompt=True)
    runtime.outbox.register(console)
    try:
        await console.start(runtime.companion.handle)
    finally:
        await runtime.close()
    return 0


# --------------------------------------------------------------------------- run


@subcommand(
    "run",
    "start every configured channel and the scheduler",
    lambda p: _role_argument(p),
)
def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.role:
        settings.role = args.role
    return asyncio.run(_run(settings))


def _role_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--role",
        choices=["all", "worker", "scheduler"],
        default=None,
        help="all (default): one process does everything",
    )


async def _run(settings: Settings) -> int:
    runtime = await build_runtime(settings)
    channels: list[Channel] = configured_channels(runtime)
    if not channels:
        print(
            "No channel is configured: set COMPANION_TELEGRAM_TOKEN or COMPANION_DISCORD_TOKEN "
            "(see README). Starting the console channel instead.",
            file=sys.stderr,
        )
        channels = [ConsoleChannel(prompt=True)]
    for channel in channels:
        runtime.outbox.register(channel)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await runtime.start()
        # A scheduler-only process sends check-ins and reminders through the channels
        # but takes no messages: the workers do.
        receiving = [] if settings.role == "scheduler" else channels
        log.info("running as %s (worker id %s)", settings.role, runtime.worker_id)
        if receiving:
            # Each channel on its own: one that cannot connect is retried while the
            # others serve; one whose token is refused stops (adapters/channels.py).
            outcomes = await run_channels(receiving, runtime.companion.handle, stop)
        else:
            await stop.wait()
            outcomes = []
        log.info("shutting down: finishing what is in flight")
    finally:
        await runtime.close()
    if not stop.is_set() and Outcome.REFUSED in outcomes:
        refused = [c.platform for c, o in zip(receiving, outcomes, strict=True) if o == "refused"]
        print(
            f"No channel is left running ({', '.join(refused)} refused the bot token; "
            "see the log above for the variable to fix).",
            file=sys.stderr,
        )
        return 1
    return 0


# --------------------------------------------------------------------------- doctor


@subcommand("doctor", "check the configuration and every dependency")
def doctor(args: argparse.Namespace, settings: Settings) -> int:
    text, healthy = format_results(asyncio.run(run_checks(settings)))
    print(text)
    return 0 if healthy else 1


@subcommand("health", "quick liveness check for containers: the database answers")
def health(args: argparse.Namespace, settings: Settings) -> int:
    ok = asyncio.run(database_answers(settings))
    print("ok" if ok else "database unreachable")
    return 0 if ok else 1


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    _load_feature_commands()
    parser = argparse.ArgumentParser(prog="companion", description="Your self-hosted companion.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _func, arguments) in _SUBCOMMANDS.items():
        arguments(sub.add_parser(name, help=help_text))
    args = parser.parse_args(argv)
    settings = load_settings()
    if settings is None:
        return 2
    quiet = args.command in ("chat", "transcribe")
    setup_logging("WARNING" if quiet else settings.log_level, settings.secrets())
    _help, func, _arguments = _SUBCOMMANDS[args.command]
    try:
        return func(args, settings)
    except KeyboardInterrupt:
        return 130


def _load_feature_commands() -> None:
    """Subcommands that live with their feature register themselves on import."""
    import importlib

    for module in FEATURE_COMMAND_MODULES:
        importlib.import_module(module)


FEATURE_COMMAND_MODULES: list[str] = [
    "adapters.telegram.doctor",
    "adapters.discord.doctor",
    "adapters.transcribe_cli",
    "bot.memories.doctor",
]
