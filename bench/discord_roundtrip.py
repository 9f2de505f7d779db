"""Discord channel figures: time from a gateway MESSAGE_CREATE to the reply being
sent (discord.py parsing -> inbox -> engine with a fake model on loopback -> REST
send), and the cost of rendering and splitting a long reply. Prints medians and
p95 over many runs.

    python bench/discord_roundtrip.py [messages]
"""

from __future__ import annotations

import asyncio
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import yarl  # noqa: E402

from adapters.discord.adapter import DiscordChannel  # noqa: E402
from adapters.discord.render import render  # noqa: E402
from bot.runtime import build_runtime  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.fakes.clock import ManualClock  # noqa: E402
from tests.fakes.discord_server import FakeDiscord  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def report(name: str, values: list[float], unit: str = "ms") -> None:
    print(
        f"{name}: median {statistics.median(values):.2f} {unit}, "
        f"p95 {p95(values):.2f} {unit} (n={len(values)})"
    )


async def roundtrip(count: int) -> list[float]:
    llm = await FakeOpenAI().start()
    fake = await FakeDiscord().start()
    discord.http.Route.BASE = fake.api  # type: ignore[misc]
    gateway = yarl.URL(f"{fake.url.replace('http', 'ws')}/gateway")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway  # type: ignore[misc]
    template = json.loads((ROOT / "tests/fixtures/discord/dm_text.json").read_text())
    timings: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(
            Path(tmp), model="openai:fake", model_base_url=llm.base_url, model_api_key="x" * 10
        )
        runtime = await build_runtime(settings, clock=ManualClock())
        channel = DiscordChannel("bench.token", runtime=runtime)
        async with channel.client:
            await channel.listen(runtime.companion.handle)
            await channel.client.login("bench.token")
            for i in range(count):
                data = copy.deepcopy(template)
                data["id"] = str(1369012346000000001 + i)
                data["content"] = f"message {i}"
                fake.message_sent.clear()
                started = time.perf_counter()
                channel.client._connection.parse_message_create(data)  # type: ignore[arg-type]
                await fake.message_sent.wait()
                timings.append((time.perf_counter() - started) * 1000)
            await channel.idle()
        await runtime.close()
    await fake.stop()
    await llm.stop()
    return timings


def render_cost(runs: int = 300) -> list[float]:
    text = "\n\n".join(
        " ".join(f"Paragraph {p}, sentence {s}, about **running** and `pace`." for s in range(25))
        for p in range(8)
    )
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    report("DM round trip (gateway event -> reply sent, fake model)", asyncio.run(roundtrip(count)))
    report("render + split of a 9,000-character reply", render_cost())


if __name__ == "__main__":
    main()
