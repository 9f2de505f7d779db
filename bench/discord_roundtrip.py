"""Discord channel figures, on the live path with default settings: the real
discord.py client connected to the fake Discord (REST and gateway on 127.0.0.1),
the inbox path, the engine with every feature, SQLite, the fake OpenAI model.

- DM round trip: a person's DM dispatched on the gateway -> the reply posted
  (discord.py parsing, inbox record, engine, REST send), one at a time;
- catch-up: DMs written while the bot was stopped (10 chats, 2 each) -> the bot
  starts -> all answered (history reads, inbox, engine, sends), over several rounds;
- render + split of a long reply.

Prints medians and p95.

    python bench/discord_roundtrip.py [messages] [rounds]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.discord.adapter import DiscordChannel  # noqa: E402
from adapters.discord.render import render  # noqa: E402
from bot.runtime import Runtime, build_runtime  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.fakes.discord_server import FakeDiscord  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402
from tests.memory.helpers import use_local_minilm  # noqa: E402

TOKEN = "bench.discord.token"
FIRST_USER = 412345678900000000


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def report(name: str, values: list[float], unit: str = "ms") -> None:
    print(
        f"{name}: median {statistics.median(values):.2f} {unit}, "
        f"p95 {p95(values):.2f} {unit} (n={len(values)})"
    )


async def until(done: object, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not answer in time")
        await asyncio.sleep(0.002)


class Running:
    """The channel started as ``companion run`` starts it."""

    def __init__(self, runtime: Runtime, fake: FakeDiscord) -> None:
        self.channel = DiscordChannel(TOKEN, runtime=runtime, api_url=fake.api)
        runtime.outbox.register(self.channel)
        self.runtime, self.fake = runtime, fake

    async def __aenter__(self) -> DiscordChannel:
        self.task = asyncio.create_task(self.channel.start(self.runtime.companion.handle))
        return self.channel

    async def __aexit__(self, *exc: object) -> None:
        await self.channel.stop()
        await self.task


async def measure(count: int, rounds: int) -> tuple[list[float], list[float]]:
    llm = await FakeOpenAI().start()
    fake = await FakeDiscord().start()
    roundtrips: list[float] = []
    catch_ups: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(
            Path(tmp), model="openai:fake", model_base_url=llm.base_url, model_api_key="x" * 10
        )
        runtime = await build_runtime(settings)
        try:
            async with Running(runtime, fake):
                await fake.gateway.wait_live(1)
                for i in range(count):
                    user = FIRST_USER + i % 20
                    chat = fake.dm_channel(user)
                    before = len(fake.posted(chat))
                    started = time.perf_counter()
                    await fake.say(user, f"message {i}")
                    await until(lambda chat=chat, before=before: len(fake.posted(chat)) > before)
                    roundtrips.append((time.perf_counter() - started) * 1000)
            for r in range(rounds):
                chats = [fake.dm_channel(FIRST_USER + n) for n in range(10)]
                expected = sum(len(fake.posted(c)) for c in chats) + 20
                for n in range(10):
                    for k in range(2):
                        await fake.say(FIRST_USER + n, f"while away {r}.{k}")
                started = time.perf_counter()
                async with Running(runtime, fake):
                    await until(
                        lambda chats=chats, expected=expected: (
                            sum(len(fake.posted(c)) for c in chats) >= expected
                        )
                    )
                    catch_ups.append((time.perf_counter() - started) * 1000)
        finally:
            await runtime.close()
    await fake.stop()
    await llm.stop()
    return roundtrips, catch_ups


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
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with use_local_minilm():
        roundtrips, catch_ups = asyncio.run(measure(count, rounds))
    report("DM round trip over the gateway (DM -> reply posted, fake model)", roundtrips)
    report("catch-up after a start (20 DMs missed in 10 chats -> all answered)", catch_ups)
    report("render + split of a 9,000-character reply", render_cost())


if __name__ == "__main__":
    main()
