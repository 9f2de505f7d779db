"""`companion web`: the personal page on its own (no chat model needed).

Runs until Ctrl-C / SIGTERM. It reads and writes the same database (and memory) as
`companion run`; see the README's "Your page" for when to run it separately."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from adapters.cli import subcommand
from bot.config import Settings


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=None, help="default: COMPANION_WEB_PORT")
    parser.add_argument("--listen", default=None, help="default: COMPANION_WEB_LISTEN")


@subcommand("web", "serve your personal page (/web in a chat sends a sign-in link)", _arguments)
def web(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_serve(settings, args.listen, args.port))


async def _serve(settings: Settings, host: str | None, port: int | None) -> int:
    from adapters.web.server import WebServer
    from bot.runtime import build_runtime

    # No chat model: the page only reads and changes what is stored.
    runtime = await build_runtime(settings, model=None)
    server = WebServer(runtime, host=host, port=port)
    try:
        await server.start()
    except OSError as exc:
        where = f"{server.host}:{server.port}"
        print(f"companion web: cannot listen on {where}: {exc}", file=sys.stderr)
        await runtime.close()
        return 1
    print(
        f"Your page is served on {server.host}:{server.bound_port}; sign-in links point at "
        f"{settings.public_web_url}. Send /web in a private chat for one.",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()
        await runtime.close()
    return 0
