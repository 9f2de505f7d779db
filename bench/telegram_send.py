"""CPU per Telegram send: python-telegram-bot over httpx to the fake Bot API.

The bot's replies go out through PTB's HTTPXRequest with a pool of connections. This
measures what one sendMessage costs this process in CPU (the fake server runs in a
subprocess, so its work is not counted), with as many senders as connections, for
pool sizes side by side: httpx's own transport ("plain") against the one the adapter
uses (adapters/telegram/transport.py, "adapter"), whose check of idle connections is
one poll. Each run sends ``--sends`` messages to 300 chats; the figures are the median
and p95 over ``--runs`` runs.

    python bench/telegram_send.py                    # pools 1, 4, 8, 16
    python bench/telegram_send.py --pools 8 16 --runs 9
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import percentile  # noqa: E402

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SERVER = f"""
import asyncio, sys
sys.path.insert(0, {str(ROOT)!r})
from tests.fakes.telegram_server import FakeTelegram

async def main():
    tg = FakeTelegram({TOKEN!r})
    tg.chat_gap = None  # no per-chat 429s: this measures the sending, not the limits
    await tg.start(0)
    print(tg.url, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


async def measure(url: str, pool: int, adapter: bool, sends: int, runs: int) -> list[float]:
    """Milliseconds of CPU per send, one figure per run."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from adapters.telegram.transport import SendingRequest

    kind = SendingRequest if adapter else HTTPXRequest
    bot = Bot(TOKEN, base_url=f"{url}/bot", request=kind(connection_pool_size=pool))
    await bot.initialize()
    slots = asyncio.Semaphore(pool)  # as the adapter: wait for a slot before httpcore

    async def one(index: int) -> None:
        async with slots:
            await bot.send_message(chat_id=1000 + index % 300, text=f"ok: message {index}")

    await asyncio.gather(*(one(i) for i in range(200)))  # connections opened, code warm
    figures = []
    for _ in range(runs):
        started = time.process_time()
        await asyncio.gather(*(one(i) for i in range(sends)))
        figures.append((time.process_time() - started) / sends * 1000)
    await bot.shutdown()
    return figures


async def run(url: str, args: argparse.Namespace) -> None:
    for pool in args.pools:
        for adapter in (False, True):
            figures = await measure(url, pool, adapter, args.sends, args.runs)
            print(
                f"pool={pool:<3} transport={'adapter' if adapter else 'plain':<7} "
                f"cpu_per_send median={statistics.median(figures):.2f}ms "
                f"p95={percentile(figures, 95):.2f}ms runs={len(figures)}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--sends", type=int, default=1500, help="per run")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        asyncio.run(run(server.stdout.readline().strip(), args))
    finally:
        server.kill()


if __name__ == "__main__":
    main()
