"""Load: N people chatting with the companion over the fake Telegram Bot API.

The bot runs in its own process (bench/bot_process.py): the real TelegramChannel
(python-telegram-bot over HTTP, the durable inbox, per-chat limiter) on the real core
and storage (SQLite in a temp dir, or --database-url), with an in-process LangChain
chat model that sleeps --model-latency seconds (no HTTP to a provider: the figures
are the companion's own cost plus that wait). The fake server runs here and enforces
Telegram's ~1 message/s per chat with 429s.

Shape (closed loop, as people chat): every person sends a message, waits for the
reply, then sends the next, --messages times; all --people start together after a
warm-up round (first contact creates each person). Latency is from the update being
queued at the fake server to the reply's sendMessage reaching it. Consecutive replies
in one chat are at least one round trip apart, so the per-chat limiter only bites
when a reply comes back in under 1 s; the overall 30/s limit is Telegram's platform
cap, not the bot's cost, so it is lifted here (--overall 30 measures that cap).

Then the same shape against a bare python-telegram-bot echo bot (Application, one
MessageHandler, updates one at a time as PTB does by default) on the same server:
the companion's throughput is printed as a ratio of it.

    python bench/load.py                              # 1,000 people, 3 messages each
    python bench/load.py --model-latency 0.2 --repeat 5
    python bench/load.py --database-url postgresql://postgres@127.0.0.1/bench_empty
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import (
    BotProcess,
    MeasuredTelegram,
    Reply,
    per_chat_order_ok,
    percentile,
    wait_polling,
)

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
HERE = Path(__file__).resolve().parent
FIRST_USER = 10_000


@dataclass
class Run:
    answered: int
    lost: int
    duplicated: int
    seconds: float
    latencies: list[float]
    intake: list[float]
    too_many: int
    waited: list[float]
    ordered: bool

    @property
    def throughput(self) -> float:
        return self.answered / self.seconds if self.seconds > 0 else 0.0

    def line(self, label: str) -> str:
        ms = self.latencies
        waited = sum(self.waited)
        return (
            f"{label:10} msgs={self.answered} throughput={self.throughput:.0f}/s "
            f"p50={percentile(ms, 50):.0f}ms p95={percentile(ms, 95):.0f}ms "
            f"p99={percentile(ms, 99):.0f}ms {intake_text(self.intake)}"
            f"429s={self.too_many} waited={waited:.1f}s "
            f"lost={self.lost} duplicated={self.duplicated} in_order={self.ordered}"
        )


def intake_text(intake: list[float]) -> str:
    """Queued -> "typing..." (the echo bot shows none, so it has no figure)."""
    if not intake:
        return ""
    return f"intake p50={percentile(intake, 50):.0f}ms p95={percentile(intake, 95):.0f}ms "


class Conversation:
    """Closed loop: each person's next message goes out when their reply arrives."""

    def __init__(self, tg: MeasuredTelegram, people: int, messages: int) -> None:
        self.tg, self.people, self.messages = tg, people, messages
        self.tokens = itertools.count(1)
        self.person_of: dict[int, int] = {}
        self.left: dict[int, int] = {}
        self.done = asyncio.Event()
        self.outstanding = 0

    def send(self, person: int) -> None:
        token = next(self.tokens)
        self.person_of[token] = person
        self.left[person] -= 1
        self.outstanding += 1
        self.tg.inject(FIRST_USER + person, f"how are things, message {token}", token)

    def on_reply(self, reply: Reply) -> None:
        person = self.person_of[reply.token]
        self.outstanding -= 1
        if self.left[person] > 0:
            self.send(person)
        elif self.outstanding == 0:
            self.done.set()

    async def run(self, within: float) -> Run:
        tg = self.tg
        tg.reset()
        tg.on_reply = self.on_reply
        self.left = dict.fromkeys(range(self.people), self.messages)
        started = time.monotonic()
        for person in range(self.people):
            self.send(person)
        try:
            await asyncio.wait_for(self.done.wait(), within)
        except TimeoutError:
            pass
        last = max(tg.tally.answered.values(), default=started)
        await asyncio.sleep(1.0)  # a late duplicate would show up here
        tg.on_reply = None
        tally = tg.tally
        return Run(
            answered=len(tally.answered),
            lost=len(tally.lost()),
            duplicated=tally.duplicates,
            seconds=last - started,
            latencies=tally.latencies_ms(),
            intake=tally.intake_ms(),
            too_many=tg.too_many,
            waited=list(tg.waited),
            ordered=per_chat_order_ok(tally, self.person_of),
        )


async def measure(
    tg: MeasuredTelegram, bot: BotProcess, args: argparse.Namespace, label: str
) -> list[Run]:
    await bot.start()
    runs: list[Run] = []
    try:
        await wait_polling(tg, bot)
        timeout = 60 + args.people * args.messages / 10
        warm = await Conversation(tg, args.people, 1).run(timeout)
        print(warm.line(f"{label}/warm"), flush=True)
        for index in range(args.repeat):
            run = await Conversation(tg, args.people, args.messages).run(timeout)
            print(run.line(f"{label}/{index + 1}"), flush=True)
            runs.append(run)
    finally:
        code = await bot.stop()
        if code not in (0, None, -15):
            print(f"{label} exited with {code}:\n{bot.tail()}", flush=True)
    return runs


def summary(label: str, runs: list[Run]) -> float:
    """Medians over the repeated runs (latency percentiles pooled over all)."""
    pooled = [v for r in runs for v in r.latencies]
    intake = [v for r in runs for v in r.intake]
    throughput = statistics.median(r.throughput for r in runs)
    print(
        f"{label:10} median of {len(runs)}: throughput={throughput:.0f}/s "
        f"(runs {', '.join(f'{r.throughput:.0f}' for r in runs)}) "
        f"p50={percentile(pooled, 50):.0f}ms p95={percentile(pooled, 95):.0f}ms "
        f"p99={percentile(pooled, 99):.0f}ms "
        f"{intake_text(intake)}"
        f"429s={sum(r.too_many for r in runs)} waited={sum(sum(r.waited) for r in runs):.1f}s "
        f"lost={sum(r.lost for r in runs)} duplicated={sum(r.duplicated for r in runs)}",
        flush=True,
    )
    return throughput


async def main_async(args: argparse.Namespace) -> int:
    tg = await MeasuredTelegram(TOKEN, chat_gap=0.9).start()
    with tempfile.TemporaryDirectory(prefix="companion-load-") as tmp:
        common = [sys.executable, str(HERE / "bot_process.py")]
        companion_argv = [
            *common,
            "companion",
            "--api-url",
            tg.base_url,
            "--data-dir",
            tmp,
            "--model-latency",
            str(args.model_latency),
            "--overall",
            str(args.overall),
        ]
        if args.database_url:
            companion_argv += ["--database-url", args.database_url]
        if args.memory:
            companion_argv.append("--memory")
        echo_argv = [*common, "echo", "--api-url", tg.base_url]
        echo_argv += ["--echo-concurrency", str(args.echo_concurrency)]
        print(
            f"people={args.people} messages={args.messages} repeat={args.repeat} "
            f"model_latency={args.model_latency}s database={args.database_url or 'sqlite'} "
            f"memory={'on' if args.memory else 'off'} overall_limit={args.overall}/s",
            flush=True,
        )
        try:
            log = Path(tmp) / "companion.log"
            runs = await measure(tg, BotProcess(companion_argv, log), args, "companion")
            features = [ln for ln in log.read_text().splitlines() if ln.startswith("features:")]
            if args.memory:
                print(features[0] if features else "features: (none reported)")
                if not any("memory" in ln for ln in features):
                    print("note: no memory feature in bot/runtime.py features(): recall was off")
            tg.chat_gap = None  # PTB's bare bot has no per-chat limiter: don't punish it
            echo = await measure(tg, BotProcess(echo_argv, Path(tmp) / "echo.log"), args, "echo")
        finally:
            await tg.stop()
        if not runs or not echo:
            return 1
        ours = summary("companion", runs)
        ceiling = summary("echo", echo)
        lost = sum(r.lost for r in runs + echo)
        duplicated = sum(r.duplicated for r in runs + echo)
        print(f"ratio companion/echo = {ours / ceiling:.2f}" if ceiling else "ratio: n/a")
        print(f"lost={lost} duplicated={duplicated}")
        return 0 if lost == 0 and duplicated == 0 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=3, help="per person, each after a reply")
    parser.add_argument("--model-latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs (medians over them)")
    parser.add_argument("--database-url", default=None, help="an EMPTY database; default SQLite")
    parser.add_argument("--memory", action="store_true", help="all features, memory recall on")
    parser.add_argument("--overall", type=float, default=100_000.0, help="bot-wide sends/s cap")
    parser.add_argument("--echo-concurrency", type=int, default=1, help="PTB concurrent_updates")
    raise SystemExit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
