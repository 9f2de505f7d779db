"""CPU per message on the core's inbox path, and the SQL statements it runs.

bench/load.py measures the whole bot over Telegram; this drives the same inbox path
(bot/inbox_path.py: record, claim, Companion.handle with every feature, save, close)
through a channel that sends nothing, so a change to the core shows in a minute and
without HTTP noise. Same shape as load.py (closed loop: each person's next message
after the reply, a warm-up round first), the same in-process instant model
(bench/bot_process.py), default settings, SQLite. Prints the process's CPU per
message for each run (all threads), the median, the garbage collector's share, and
the statements per message (counted by SQLite's own trace hook on every connection,
so the prepared ones that bypass SQLAlchemy count too, and so do BEGIN and COMMIT).

    python bench/inbox_cpu.py                          # 300 people x 3, 3 runs
    python bench/inbox_cpu.py --embedding-model-dir ../shared/models/all-MiniLM-L6-v2-onnx
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import gc
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bench.bot_process import SleepyModel
from bot.config import Settings
from bot.inbox_path import Arrival, Inbound, InboxPath, message_from_payload, message_payload
from bot.runtime import build_runtime
from bot.types import ChannelRef, Identity, IncomingMessage, OutgoingMessage
from memory.inbox import InboxEntry

FIRST_USER = 10_000


class SilentChannel:
    """Sends nothing; notes which entry each reply belonged to."""

    platform = "telegram"

    def __init__(self) -> None:
        self.answered: dict[int, IncomingMessage] = {}

    async def rebuild(self, entry: InboxEntry) -> Inbound | None:
        return Inbound(message_from_payload(entry.payload))

    async def deliver(self, inbound: Inbound, reply: OutgoingMessage) -> None:
        assert reply.key is not None
        self.answered[int(reply.key.split(":")[1])] = inbound.message

    def working(self, inbound: Inbound) -> AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()


class Load:
    """Closed loop over the path: a message goes in when the previous one is done."""

    def __init__(self, path: InboxPath, channel: SilentChannel) -> None:
        self.path, self.channel = path, channel
        self.count = 0
        self.pending: collections.deque[Arrival] = collections.deque()
        self.left: dict[int, int] = {}
        self.outstanding = 0
        self.done = asyncio.Event()
        settle = path._settle  # the path's own "finished" moment

        def settled(entry_id: int, replies: list[OutgoingMessage]) -> None:
            settle(entry_id, replies)
            msg = channel.answered.pop(entry_id, None)
            if msg is not None:
                self.finished(int(msg.identity.platform_user_id) - FIRST_USER)

        path._settle = settled  # type: ignore[method-assign]

    def arrival(self, person: int) -> Arrival:
        self.count += 1
        user = str(FIRST_USER + person)
        msg = IncomingMessage(
            identity=Identity("telegram", user),
            channel=ChannelRef("telegram", user),
            text=f"how are things, message {self.count}",
            display_name="Ada",
            message_id=str(self.count),
        )
        return Arrival.of(str(self.count), message_payload(msg), msg)

    def finished(self, person: int) -> None:
        self.outstanding -= 1
        if self.left[person] > 0:
            self.send(person)
        elif self.outstanding == 0:
            self.done.set()

    def send(self, person: int) -> None:
        self.left[person] -= 1
        self.outstanding += 1
        self.pending.append(self.arrival(person))

    async def pump(self) -> None:
        """Batches of up to 100, as getUpdates hands them over."""
        while True:
            if self.pending:
                batch = [self.pending.popleft() for _ in range(min(100, len(self.pending)))]
                await self.path.receive(batch)
            await asyncio.sleep(0.002)

    async def round(self, people: int, messages: int) -> None:
        self.done.clear()
        for person in range(people):
            self.left[person] = messages
            self.send(person)
        await self.done.wait()


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="companion-inbox-cpu-") as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            scheduler_enabled=False,
            log_level="WARNING",
        )
        runtime = await build_runtime(settings, model=SleepyModel(latency=0.0))
        statements: collections.Counter[str] = collections.Counter()
        counting = False

        traced: list[str] = []  # shaped after the runs: the hook must cost little

        def count(statement: str) -> None:
            if counting:
                traced.append(statement)

        def trace(dbapi_connection: Any, *_rest: Any) -> None:
            handle = getattr(getattr(dbapi_connection, "driver_connection", None), "_conn", None)
            if isinstance(handle, sqlite3.Connection):
                handle.set_trace_callback(count)

        event.listen(runtime.db.engine.sync_engine, "checkout", trace)
        collecting = {"cpu": 0.0, "since": 0.0}

        def timing(phase: str, _info: dict[str, Any]) -> None:
            if phase == "start":
                collecting["since"] = time.process_time()
            else:
                collecting["cpu"] += time.process_time() - collecting["since"]

        gc.callbacks.append(timing)
        channel = SilentChannel()
        path = InboxPath(runtime, channel)
        await runtime.start()
        await path.start(runtime.companion.handle)
        load = Load(path, channel)
        pump = asyncio.create_task(load.pump())
        await load.round(args.people, 1)  # first contact creates each person
        if runtime.db._handle is not None:  # the held connection (memory/db.py)
            runtime.db._handle.set_trace_callback(count)
        await runtime.companion.drain()
        per_message: list[float] = []
        total_cpu = 0.0
        collecting["cpu"] = 0.0
        counting = True
        for index in range(args.repeat):
            cpu = time.process_time()
            await load.round(args.people, args.messages)
            await runtime.companion.drain()  # background work of the turns counts too
            cpu = time.process_time() - cpu
            total_cpu += cpu
            n = args.people * args.messages
            per_message.append(cpu / n * 1000)
            print(f"run {index + 1}: {n} messages, {cpu:.2f} s CPU, {per_message[-1]:.2f} ms each")
        counting = False
        statements.update(_shape(statement) for statement in traced)
        n_all = args.people * args.messages * args.repeat
        print(
            f"median CPU per message {statistics.median(per_message):.2f} ms "
            f"(runs {', '.join(f'{v:.2f}' for v in per_message)}); garbage collection "
            f"{100 * collecting['cpu'] / total_cpu:.0f}% of it"
        )
        print(f"statements per message: {sum(statements.values()) / n_all:.2f}")
        for statement, times in statements.most_common(args.statements):
            print(f"  {times / n_all:5.2f}  {statement}")
        pump.cancel()
        await path.stop()
        await runtime.close()


def _shape(statement: str) -> str:
    """The statement without its values (the trace hook gives them expanded)."""
    shape = re.sub(r"'(?:[^']|'')*'", "?", statement)
    shape = re.sub(r"\b\d+(?:\.\d+)?\b", "?", shape)
    shape = re.sub(r"\?(?:, \?)+", "?, ...", shape)
    return re.sub(r"\s+", " ", shape)[:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--messages", type=int, default=3, help="per person, each after a reply")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--statements", type=int, default=12, help="the most frequent, listed")
    parser.add_argument(
        "--embedding-model-dir",
        default=None,
        help="the MiniLM ONNX folder, so that recall searches by meaning as it does online",
    )
    args = parser.parse_args()
    if args.embedding_model_dir:
        os.environ["COMPANION_EMBEDDING_MODEL_DIR"] = str(Path(args.embedding_model_dir).resolve())
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
