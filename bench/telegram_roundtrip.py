"""Telegram round trip: an update appears on the (fake) Bot API server -> the real
python-telegram-bot client fetches it -> durable inbox (SQLite) -> the engine with a
fake, instant chat model -> sendMessage arrives back at the server.

Prints the median and p95 over many messages, each from a different person (so
Telegram's 1 message/s per chat limit is not what is measured), and the same for a
burst of messages all at once.

    python bench/telegram_roundtrip.py [messages]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.telegram.adapter import TelegramChannel
from bot.config import Settings
from bot.runtime import build_runtime
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def main(count: int) -> None:
    llm = await FakeOpenAI().start()
    tg = await FakeTelegram(TOKEN).start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            model="openai:fake",
            model_base_url=llm.base_url,
            model_api_key="sk-bench-000000000000000",
            telegram_token=TOKEN,
            telegram_api_url=tg.base_url,
            scheduler_enabled=False,
        )
        runtime = await build_runtime(settings)
        channel = TelegramChannel(runtime)
        task = asyncio.create_task(channel.start(runtime.companion.handle))
        await tg.wait_for(lambda: tg.sent("getUpdates"))

        one_by_one: list[float] = []
        for i in range(count):
            user = 10_000 + i
            start = time.perf_counter()
            tg.push_text(user, f"message {i}")
            await tg.wait_for(lambda u=user: tg.sent("sendMessage", u), within=30)  # type: ignore[misc]
            one_by_one.append((time.perf_counter() - start) * 1000)

        burst_start = time.perf_counter()
        users = [20_000 + i for i in range(count)]
        for user in users:
            tg.push_text(user, "all at once")
        done: dict[int, float] = {}
        while len(done) < count:
            for user in users:
                if user not in done and tg.sent("sendMessage", user):
                    done[user] = (time.perf_counter() - burst_start) * 1000
            await asyncio.sleep(0.005)
        burst = list(done.values())

        await channel.stop()
        await task
        await runtime.close()
    await tg.stop()
    await llm.stop()
    print(
        f"telegram round trip, {count} messages one at a time (ms): "
        f"median {statistics.median(one_by_one):.1f}, p95 {p95(one_by_one):.1f}"
    )
    print(
        f"telegram burst of {count} from different people, time to each reply (ms): "
        f"median {statistics.median(burst):.1f}, p95 {p95(burst):.1f}, "
        f"all done {max(burst):.0f}"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
