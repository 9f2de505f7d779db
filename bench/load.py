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

With ``--workers N`` (PostgreSQL only) the companion is scaled out instead: N
processes of bench/bot_process.py with ``--role worker``, each serving Telegram's
webhook on its own free port and sharing the durable inbox in one database, as
``companion run --role worker`` does (bench/bot_process.py is used rather than the
CLI only because it takes the in-process sleepy model). The fake server here plays
Telegram in webhook mode and the load balancer: each update is POSTed to the
workers round robin (``--balance chat``: each chat always to one worker), with the
secret header; one chat's updates go one at a time (the next after the previous got
its 200, as Telegram does), and a failed POST is retried on the next worker
(tests/fakes/telegram_server.py). The workers answer with sendMessage to the same
server, so the accounting is the same as above. Each worker has its own data dir;
with this model no memory is ever extracted, so Chroma (embedded per worker here, a
shared server in production) is not touched.

For a PostgreSQL URL the bench creates a fresh database next to the one named
(``bench_load_<random>``, on the same server, as the same user), runs in it and
drops it at the end: the URL's own database is only connected to for that.

Then the same shape against a bare python-telegram-bot echo bot (Application, one
MessageHandler, updates one at a time as PTB does by default) on the same server,
always polling: the companion's throughput is printed as a ratio of it.

Everything runs on this machine: the bench and fake server (one process), the bot
process(es), PostgreSQL when used, all sharing its cores, so each phase also prints
where the CPU went during its measured runs. ``--pool-report N`` makes each bot log
its sending connection pool, to tell why replies were given up (see README).

    python bench/load.py                              # 1,000 people, 3 messages each
    python bench/load.py --model-latency 0.2 --repeat 5
    python bench/load.py --database-url postgresql://postgres@127.0.0.1/postgres
    python bench/load.py --workers 2 --database-url postgresql://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import (
    BotProcess,
    MeasuredTelegram,
    Reply,
    cpu_sample,
    cpu_text,
    per_chat_order_ok,
    percentile,
    wait_polling,
)
from tests.fakes.postgres import fresh_database

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
HERE = Path(__file__).resolve().parent
FIRST_USER = 10_000
SECRET = "bench-load-webhook-secret"


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
    tg: MeasuredTelegram,
    bots: list[BotProcess],
    ready: Callable[[], Awaitable[None]],
    args: argparse.Namespace,
    label: str,
) -> list[Run]:
    """Start the bot process(es), wait until ``ready``, then a warm-up round and
    ``--repeat`` measured runs; the processes are stopped (SIGTERM) at the end."""
    for bot in bots:
        await bot.start()
    runs: list[Run] = []
    try:
        await ready()
        timeout = 60 + args.people * args.messages / 10
        warm = await Conversation(tg, args.people, 1).run(timeout)
        print(warm.line(f"{label}/warm"), flush=True)
        pids = [bot.proc.pid for bot in bots if bot.proc is not None]
        before, started = cpu_sample(pids), time.monotonic()
        for index in range(args.repeat):
            run = await Conversation(tg, args.people, args.messages).run(timeout)
            print(run.line(f"{label}/{index + 1}"), flush=True)
            runs.append(run)
            for bot in bots:
                if bot.proc is not None and bot.proc.returncode is not None:
                    print(f"{label}: a process died:\n{bot.tail()}", flush=True)
        after = cpu_sample(pids)
        print(f"{label} {cpu_text(before, after, time.monotonic() - started)}", flush=True)
        if before is not None and after is not None and runs:
            # On a shared machine the bots get what CPU is left: messages per second
            # of the bot processes' own CPU is the cost that does not depend on that.
            BOT_CPU[label] = (sum(r.answered for r in runs), after.bots - before.bots)
    finally:
        for bot in bots:
            code = await bot.stop()
            if code not in (0, None, -15):
                print(f"{label} exited with {code}:\n{bot.tail()}", flush=True)
    return runs


# label -> (messages answered in the measured runs, CPU seconds the bot processes used)
BOT_CPU: dict[str, tuple[int, float]] = {}


def per_cpu(label: str) -> float | None:
    answered, seconds = BOT_CPU.get(label, (0, 0.0))
    return answered / seconds if seconds > 0 else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_listening(bots: list[BotProcess], ports: list[int], within: float = 120) -> None:
    """Until every worker accepts connections on its webhook port (it has migrated
    the database and replayed the inbox by then), or fail with its log."""
    deadline = time.monotonic() + within
    for bot, port in zip(bots, ports, strict=True):
        while True:
            with contextlib.suppress(OSError):
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            assert bot.proc is not None
            if bot.proc.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"a worker did not start its webhook:\n{bot.tail()}")
            await asyncio.sleep(0.1)


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgres://", "postgresql"))


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
    if args.workers and not is_postgres(args.database_url):
        print("--workers needs --database-url postgresql://... (they share the inbox there)")
        return 2
    async with contextlib.AsyncExitStack() as stack:
        database = args.database_url
        if is_postgres(database):
            database = await stack.enter_async_context(fresh_database(database, "bench_load"))
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="companion-load-"))
        return await run_all(args, database, Path(tmp))
    return 1  # not reached (mypy cannot tell the context manager swallows nothing)


def companion_bots(
    tg: MeasuredTelegram, args: argparse.Namespace, database: str | None, tmp: Path
) -> tuple[list[BotProcess], Callable[[], Awaitable[None]]]:
    """The companion's process(es), and how to tell they are ready for updates."""
    argv = [
        sys.executable,
        str(HERE / "bot_process.py"),
        "companion",
        "--api-url",
        tg.base_url,
        "--model-latency",
        str(args.model_latency),
        "--overall",
        str(args.overall),
    ]
    if database:
        argv += ["--database-url", database]
    if args.memory:
        argv.append("--memory")
    env = {}
    if args.embedding_model_dir:  # what a person online gets: recall by meaning too
        env["COMPANION_EMBEDDING_MODEL_DIR"] = str(Path(args.embedding_model_dir).resolve())
    if args.inbox_lease is not None:
        argv += ["--inbox-lease", str(args.inbox_lease)]
    if args.pool_report:
        argv += ["--pool-report", str(args.pool_report)]
    if not args.workers:
        bot = BotProcess([*argv, "--data-dir", str(tmp)], tmp / "companion.log", env)
        return [bot], lambda: wait_polling(tg, bot)
    ports = [free_port() for _ in range(args.workers)]
    urls = [f"http://127.0.0.1:{port}/tg" for port in ports]
    bots = []
    for index, (port, url) in enumerate(zip(ports, urls, strict=True)):
        data = tmp / f"worker-{index}"
        data.mkdir()
        worker = [
            *argv,
            "--data-dir",
            str(data),
            "--role",
            "worker",
            "--worker-id",
            f"worker-{index}",
            "--webhook-url",
            url,
            "--webhook-port",
            str(port),
            "--webhook-secret",
            SECRET,
        ]
        bots.append(BotProcess(worker, tmp / f"companion-{index}.log", env))

    async def ready() -> None:
        await wait_listening(bots, ports)
        tg.webhook_secret = SECRET
        tg.webhook_balance = args.balance
        tg.webhook_targets = urls  # from now on every update is pushed to a worker

    return bots, ready


async def run_all(args: argparse.Namespace, database: str | None, tmp: Path) -> int:
    tg = await MeasuredTelegram(TOKEN, chat_gap=0.9).start()
    common = [sys.executable, str(HERE / "bot_process.py")]
    echo_argv = [*common, "echo", "--api-url", tg.base_url]
    echo_argv += ["--echo-concurrency", str(args.echo_concurrency)]
    kind = "postgresql" if is_postgres(database) else "sqlite"
    print(
        f"people={args.people} messages={args.messages} repeat={args.repeat} "
        f"model_latency={args.model_latency}s database={database or 'sqlite'} "
        f"memory={'on' if args.memory else 'off'} overall_limit={args.overall}/s",
        flush=True,
    )
    if args.workers:
        print(
            f"workers={args.workers} database={kind} telegram=webhook, balanced "
            f"{args.balance} over the workers, one update per chat at a time; "
            f"inbox lease {args.inbox_lease or 120:.0f}s",
            flush=True,
        )
    try:
        bots, ready = companion_bots(tg, args, database, tmp)
        runs = await measure(tg, bots, ready, args, "companion")
        if args.workers:
            delivered = tg.webhook_delivered()
            failed = [a for a in tg.webhook_attempts if a.status != 200]
            print(
                f"webhook: accepted per worker {' / '.join(map(str, delivered.values()))}, "
                f"failed POSTs {len(failed)} (retried on the next worker)",
                flush=True,
            )
            dropped = await tg.stop_webhook()  # the echo bot polls
            if dropped:
                print(f"webhook: {dropped} update(s) never accepted by a worker", flush=True)
        if args.pool_report:  # each process's sending pool once idle, at its stop
            for index, bot in enumerate(bots):
                lines = bot.log_path.read_text().splitlines()
                at_stop = [ln for ln in lines if ln.startswith("pool at stop:")]
                given_up = sum("not delivered" in ln for ln in lines)
                print(
                    f"process {index}: {at_stop[-1] if at_stop else 'pool at stop: no report'}; "
                    f"replies given up: {given_up}"
                )
        log = bots[0].log_path.read_text()
        features = [ln for ln in log.splitlines() if ln.startswith("features:")]
        if args.memory:
            print(features[0] if features else "features: (none reported)")
            if not any("memory" in ln for ln in features):
                print("note: no memory feature in bot/runtime.py features(): recall was off")
            elif "memory search is off" in log:
                print(
                    "memory search: by words only (no embedding model here, as offline without "
                    "--embedding-model-dir; online, the model downloads and recall adds meaning)"
                )
            else:
                print("memory search: words and meaning (the embedding model was loaded)")
        tg.chat_gap = None  # PTB's bare bot has no per-chat limiter: don't punish it
        echo_bot = BotProcess(echo_argv, tmp / "echo.log")
        echo = await measure(tg, [echo_bot], lambda: wait_polling(tg, echo_bot), args, "echo")
    finally:
        await tg.stop()
    if not runs or not echo:
        return 1
    ours = summary("companion", runs)
    ceiling = summary("echo", echo)
    lost = sum(r.lost for r in runs + echo)
    duplicated = sum(r.duplicated for r in runs + echo)
    print(f"ratio companion/echo = {ours / ceiling:.2f}" if ceiling else "ratio: n/a")
    ours_cpu, echo_cpu = per_cpu("companion"), per_cpu("echo")
    if ours_cpu and echo_cpu:
        print(
            f"per bot CPU-second: companion {ours_cpu:.0f} msgs, echo {echo_cpu:.0f} msgs, "
            f"ratio {ours_cpu / echo_cpu:.2f} (what the ratio is when both get whole cores)"
        )
    print(f"lost={lost} duplicated={duplicated}")
    return 0 if lost == 0 and duplicated == 0 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=3, help="per person, each after a reply")
    parser.add_argument("--model-latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs (medians over them)")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server (a fresh database is made there); default SQLite",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="N webhook workers sharing the PostgreSQL inbox (default: 1 polling process)",
    )
    parser.add_argument(
        "--balance",
        choices=["round-robin", "chat"],
        default="round-robin",
        help="how the fake balancer spreads webhooks: in turn, or each chat to one worker",
    )
    parser.add_argument("--inbox-lease", type=float, default=None, help="seconds (default 120)")
    parser.add_argument("--memory", action="store_true", help="all features, memory recall on")
    parser.add_argument(
        "--embedding-model-dir",
        default=None,
        help="the MiniLM ONNX folder (offline: ../shared/models/all-MiniLM-L6-v2-onnx), "
        "so that recall searches by meaning as it does online; default: the environment's",
    )
    parser.add_argument("--overall", type=float, default=100_000.0, help="bot-wide sends/s cap")
    parser.add_argument("--echo-concurrency", type=int, default=1, help="PTB concurrent_updates")
    parser.add_argument(
        "--pool-report", type=float, default=0.0, help="diagnostics: log each bot's send pool"
    )
    raise SystemExit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
