"""The `companion` command: chat, run, doctor (and what features add)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.config import ConfigError, Settings, problems
from bot.logs import setup_logging

if TYPE_CHECKING:
    from adapters.console import ConsoleChannel
    from bot.runtime import Runtime

# Imports of the core, the channels and the features happen inside the subcommands:
# `companion chat` answering /help should not pay for what it does not use.

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
    """The settings, or None after one line per problem on standard error."""
    try:
        return Settings()
    except ValidationError as exc:
        for line in problems(exc):
            print(f"companion: {line}", file=sys.stderr)
    except SettingsError as exc:
        print(f"companion: a COMPANION_* setting could not be read: {exc}", file=sys.stderr)
    return None


def log_file(settings: Settings) -> Path:
    """Where the log goes while a person types at the console."""
    return settings.data_dir / "companion.log"


# --------------------------------------------------------------------------- chat


@subcommand("chat", "talk to the companion in this terminal (reads standard input)")
def chat(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_chat(settings))


async def _chat(settings: Settings) -> int:
    from adapters.console import ConsoleChannel
    from bot.runtime import build_runtime

    # The chat model loads on first use: /help from a script must not wait for it.
    runtime = await build_runtime(settings, defer_model=True)
    console = ConsoleChannel(prompt=True, files_dir=settings.data_dir / "files", runtime=runtime)
    runtime.outbox.register(console)
    stopped = _stop_on_signals(console)
    starting: asyncio.Task[None] | None = None
    try:
        if console.interactive:
            # At a terminal, reminders and check-ins appear as they fall due (and
            # what fell due meanwhile, with a note that it is late). Not when piped:
            # a script reads the replies to its own lines, and a reminder shown to
            # no one would count as delivered.
            _greet(console, runtime, settings)
            starting = asyncio.create_task(_start_at_prompt(runtime, console))
        await console.start(runtime.companion.handle)
    finally:
        try:
            if starting is not None:
                await _started(starting, console)
        finally:
            await _close(runtime, quickly=stopped.is_set())
    if stopped.is_set():
        print(file=sys.stderr)  # leave the shell's prompt on a line of its own
        return 130
    return 0


async def _start_at_prompt(runtime: Runtime, console: ConsoleChannel) -> None:
    """The scheduler, and the models' warm-up in the background, once the prompt is up:
    the person can type at once (what fell due meanwhile shows between prompts). A
    failure to start ends the console, as it did before the prompt."""
    await console.waiting.wait()
    try:
        await runtime.start()
    except BaseException:
        console.interrupt()
        raise


async def _started(starting: asyncio.Task[None], console: ConsoleChannel) -> None:
    """Settle the start before closing: never started when the console ended before
    its prompt; a failure to start is raised here."""
    if not console.waiting.is_set():
        starting.cancel()
    try:
        await starting
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # this command is being cancelled itself (a second Ctrl-C)


def _greet(console: ConsoleChannel, runtime: Runtime, settings: Settings) -> None:
    has_model = runtime.companion.model is not None
    console.greet(has_model=has_model, log_file=log_file(settings))


def _stop_on_signals(console: ConsoleChannel) -> asyncio.Event:
    """Ctrl-C (or SIGTERM) stops the console at once; a second Ctrl-C while closing
    interrupts that too."""
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()

    def stop() -> None:
        stopped.set()
        console.interrupt()
        loop.remove_signal_handler(signal.SIGINT)  # the next Ctrl-C: KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    return stopped


async def _close(runtime: Runtime, *, quickly: bool) -> None:
    """After Ctrl-C, background work (memory of the last message) gets two seconds."""
    await runtime.close(grace=2.0 if quickly else None)


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
    from adapters.channels import Outcome, configured_channels, run_channels
    from adapters.console import ConsoleChannel
    from adapters.web import start_if_configured
    from bot.channel import Channel
    from bot.runtime import build_runtime

    runtime = await build_runtime(settings)
    channels: list[Channel] = configured_channels(runtime)
    console: ConsoleChannel | None = None
    if not channels:
        print(
            "No channel is configured: set COMPANION_TELEGRAM_TOKEN or COMPANION_DISCORD_TOKEN "
            "(see README). Starting the console channel instead.",
            file=sys.stderr,
        )
        console = ConsoleChannel(
            prompt=True, files_dir=settings.data_dir / "files", runtime=runtime
        )
        channels = [console]
    for channel in channels:
        runtime.outbox.register(channel)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stopping() -> None:
        stop.set()
        if console is not None:
            console.interrupt()  # no Enter needed to leave
        loop.remove_signal_handler(signal.SIGINT)  # a second Ctrl-C interrupts the closing

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping)
    if console is not None and console.interactive:
        _greet(console, runtime, settings)
    web = None
    try:
        await runtime.start()
        web = await start_if_configured(runtime)  # the personal page, when COMPANION_WEB_URL is set
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
        if web is not None:
            await web.stop()
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
    import importlib

    from bot.doctor import format_results, run_checks
    from bot.startup import newer_database

    too_new = asyncio.run(newer_database(settings))
    if too_new:  # nothing else matters until that is settled, and nothing may touch it
        raise ConfigError(too_new)
    for module in DOCTOR_CHECK_MODULES:
        importlib.import_module(module)  # each registers its checks
    text, healthy = format_results(asyncio.run(run_checks(settings)))
    print(text)
    return 0 if healthy else 1


@subcommand("health", "quick liveness check for containers: the database answers")
def health(args: argparse.Namespace, settings: Settings) -> int:
    from bot.doctor import database_answers
    from bot.startup import newer_database

    ok = asyncio.run(database_answers(settings))
    too_new = asyncio.run(newer_database(settings)) if ok else None
    if too_new:  # it answers, but this version cannot serve from it
        raise ConfigError(too_new)
    print("ok" if ok else "database unreachable")
    if not ok:
        print(
            "companion: check COMPANION_DATABASE_URL (companion doctor says more).",
            file=sys.stderr,
        )
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
    try:
        # Doctor reports a bad data directory itself; a health probe of a database
        # elsewhere does not need one.
        if args.command != "doctor" and (args.command != "health" or not settings.database_url):
            settings.ensure_data_dir()
        _setup_logging(args.command, settings)
        _help, func, _arguments = _SUBCOMMANDS[args.command]
        return func(args, settings)
    except ConfigError as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _setup_logging(command: str, settings: Settings) -> None:
    """A person typing at the console keeps a clear prompt: the log goes to a file in
    the data directory. Scripts and services log to standard error."""
    at_console = command == "chat" or (
        command == "run"
        and settings.telegram_token is None
        and settings.discord_token is None
        and settings.role != "scheduler"
    )
    if at_console and sys.stdin.isatty() and sys.stdout.isatty():
        setup_logging(
            settings.log_level, settings.secrets(), file=log_file(settings), stderr_level="OFF"
        )
    elif command in ("chat", "transcribe"):
        setup_logging("WARNING", settings.secrets())
    else:
        setup_logging(settings.log_level, settings.secrets())


def _load_feature_commands() -> None:
    """Subcommands that live with their feature register themselves on import."""
    import importlib

    for module in FEATURE_COMMAND_MODULES:
        importlib.import_module(module)


FEATURE_COMMAND_MODULES: list[str] = [
    "adapters.transcribe_cli",
    "adapters.web.cli",
]
# Imported by `companion doctor` only: each registers its checks (and may import a
# platform SDK, which no other command should pay for).
DOCTOR_CHECK_MODULES: list[str] = [
    "adapters.telegram.doctor",
    "adapters.discord.doctor",
    "bot.memories.doctor",
]
