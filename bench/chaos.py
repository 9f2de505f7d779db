"""Chaos: the companion under faults, each scenario counting updates lost and
duplicated (both must be 0) and the time to recover.

The bot is a subprocess (bench/bot_process.py): the real TelegramChannel with its
durable inbox on the real core, SQLite in a temp dir, the real langchain-openai client
against the fake OpenAI server, everything on 127.0.0.1. Scenarios:

- kill9: kill -9 while messages are in the model, restart, everything answered once;
- storm429 / storm500: the Bot API refuses every send and poll for a few seconds;
- late: the Bot API answers a send after the client gave up (no second copy);
- model_timeout: the provider hangs; the person gets the kind message, the turn kept;
- disk_full: the data dir's file system fills up (a small tmpfs when ``mount`` works,
  else RLIMIT_FSIZE on the bot); the bot stays up and catches up once space is back.

    python bench/chaos.py                 # all scenarios
    python bench/chaos.py kill9 late      # some

The LAST line is exactly ``lost=<n> duplicated=<n> scenarios=<n>``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import BotProcess, MeasuredTelegram, wait_polling
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
HERE = Path(__file__).resolve().parent
FIRST_USER = 20_000
KIND_TIMEOUT = "timed out"


@dataclass
class Outcome:
    name: str
    lost: int
    duplicated: int
    recovery: float | None  # seconds from the fault's end to the last answer
    note: str = ""

    def line(self) -> str:
        rec = f"{self.recovery:.1f}s" if self.recovery is not None else "n/a"
        return (
            f"{self.name:14} lost={self.lost} duplicated={self.duplicated} "
            f"recovery={rec} {self.note}"
        )


class Model:
    """The fake provider's behaviour, switchable mid-scenario."""

    def __init__(self) -> None:
        self.delay = 0.0

    def __call__(self, body: dict[str, object]) -> Reply:
        return Reply(text=f"ok: {last_user_text(body)}", delay=self.delay)


class Rig:
    """A fake Bot API, a fake provider and a temp dir; bots started on demand."""

    def __init__(self, tg: MeasuredTelegram, llm: FakeOpenAI, model: Model, tmp: Path) -> None:
        self.tg, self.llm, self.model, self.tmp = tg, llm, model, tmp
        self.tokens = 0
        self.bots: list[BotProcess] = []

    def bot(
        self,
        data_dir: Path,
        *,
        read_timeout: float = 3.0,
        model_timeout: float = 5.0,
    ) -> BotProcess:
        argv = [
            sys.executable,
            str(HERE / "bot_process.py"),
            "companion",
            "--api-url",
            self.tg.base_url,
            "--data-dir",
            str(data_dir),
            "--model-url",
            self.llm.base_url,
            "--model-timeout",
            str(model_timeout),
            "--read-timeout",
            str(read_timeout),
            "--poll-timeout",
            "1",
            "--per-chat-rate",
            "20",
        ]
        log = self.tmp / f"bot-{len(self.bots)}.log"
        bot = BotProcess(argv, log)
        self.bots.append(bot)
        return bot

    def say(self, person: int, text: str = "hello") -> int:
        self.tokens += 1
        self.tg.inject(FIRST_USER + person, text, self.tokens)
        return self.tokens

    async def until(self, done: Callable[[], bool], within: float) -> float | None:
        """When ``done`` became true (monotonic), or None if it did not in time."""
        deadline = time.monotonic() + within
        while not done():
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.02)
        return time.monotonic()

    def all_answered(self) -> bool:
        return not self.tg.tally.lost()

    async def settle(self) -> None:
        await asyncio.sleep(1.5)  # a late duplicate would arrive here


@contextlib.asynccontextmanager
async def rig() -> AsyncIterator[Rig]:
    model = Model()
    tg = await MeasuredTelegram(TOKEN).start()
    llm = await FakeOpenAI(model).start()
    with tempfile.TemporaryDirectory(prefix="companion-chaos-") as tmp:
        r = Rig(tg, llm, model, Path(tmp))
        try:
            yield r
        finally:
            for bot in r.bots:
                await bot.stop(grace=10)
            await llm.stop()
            await tg.stop()


def counted(r: Rig, name: str, recovery: float | None, note: str = "") -> Outcome:
    tally = r.tg.tally
    return Outcome(name, len(tally.lost()), tally.duplicates, recovery, note)


# ---------------------------------------------------------------------- scenarios


async def kill9(r: Rig) -> Outcome:
    """kill -9 with some people answered and others' messages in the model, then a
    restart: the answered ones are not answered again, the others once.

    The kill lands while the model thinks, not between a sendMessage reaching
    Telegram and the bot noting it was sent: a kill there cannot be told apart from
    one just before the send (the Bot API cannot say what it delivered), so after
    the restart that one message would be sent again, by this bot or any other."""
    r.tg.reset()
    data = r.tmp / "kill9"
    bot = await r.bot(data).start()
    await wait_polling(r.tg, bot)
    r.model.delay = 1.0
    for person in range(4):
        r.say(person)
    if await r.until(r.all_answered, 20) is None:
        return counted(r, "kill9", None, "the first answers never came")
    await asyncio.sleep(0.5)  # finished: done in the inbox
    asked = len(r.llm.requests)
    for person in range(4, 12):
        r.say(person)
    in_model = await r.until(lambda: len(r.llm.requests) >= asked + 8, 20)
    if in_model is None:
        return counted(r, "kill9", None, "never got mid-message")
    await bot.kill9()  # all eight in the model, which answers after 1 s
    killed = time.monotonic()
    answered_before = len(r.tg.tally.answered)
    r.model.delay = 0.0
    restarted = await r.bot(data).start()
    await wait_polling(r.tg, restarted)
    end = await r.until(r.all_answered, 20)
    await r.settle()
    await restarted.stop()
    recovery = end - killed if end else None
    return counted(r, "kill9", recovery, f"answered_before_kill={answered_before}/12")


async def storm(r: Rig, status: int) -> Outcome:
    """Every send and poll refused for 3 s; the bot must answer everyone once after."""
    r.tg.reset()
    bot = await r.bot(r.tmp / f"storm{status}").start()
    await wait_polling(r.tg, bot)
    r.say(0, "before the storm")
    await r.until(r.all_answered, 10)
    r.tg.storm(status, 3.0, {"sendMessage", "getUpdates", "sendChatAction"})
    storm_end = time.monotonic() + 3.0
    for person in range(1, 9):
        r.say(person)
    end = await r.until(r.all_answered, 25)
    await r.settle()
    await bot.stop()
    refused = sum(1 for c in r.tg.calls if c.status == status)
    return counted(
        r, f"storm{status}", end - storm_end if end else None, f"refused_calls={refused}"
    )


async def late(r: Rig) -> Outcome:
    """The server delivers a send only after the client's read timeout (3 s): the
    bot must not send it again; the chat keeps working."""
    from tests.fakes.telegram_server import Fault

    r.tg.reset()
    bot = await r.bot(r.tmp / "late", read_timeout=2.0).start()
    await wait_polling(r.tg, bot)
    r.tg.fail("sendMessage", Fault(delay=4.0, succeed_after_delay=True))
    gave_up = time.monotonic() + 2.0
    r.say(0, "a late one")
    await r.until(r.all_answered, 15)
    r.say(0, "and the next")
    end = await r.until(r.all_answered, 15)
    await r.settle()
    await bot.stop()
    copies = len(r.tg.by_chat[FIRST_USER])
    return counted(r, "late", end - gave_up if end else None, f"copies_in_chat={copies}/2")


async def model_timeout(r: Rig) -> Outcome:
    """The provider hangs past the timeout: one kind answer each, the words kept;
    when it is back, the next message gets a real answer."""
    r.tg.reset()
    data = r.tmp / "model_timeout"
    bot = await r.bot(data, model_timeout=1.0).start()
    await wait_polling(r.tg, bot)
    r.model.delay = 4.0
    people = range(3)
    for person in people:
        r.say(person, f"remember this {person}")
    chats = [FIRST_USER + p for p in people]
    await r.until(lambda: all(r.tg.by_chat[c] for c in chats), 20)
    r.model.delay = 0.0
    back = time.monotonic()
    await r.settle()
    first = {c: list(r.tg.by_chat[c]) for c in chats}
    lost = sum(1 for c in chats if not first[c])
    dup = sum(1 for c in chats if len(first[c]) > 1)
    kind = sum(1 for c in chats for t in first[c] if KIND_TIMEOUT in t and "kept" in t)
    r.tg.reset()  # the kind answers carry no token: counted per chat above
    for person in people:
        r.say(person, "are you back?")
    end = await r.until(r.all_answered, 20)
    await r.settle()
    await bot.stop()
    kept = kept_turns(data / "companion.db", [f"remember this {p}" for p in people])
    return Outcome(
        "model_timeout",
        lost + len(r.tg.tally.lost()),
        dup + r.tg.tally.duplicates,
        end - back if end else None,
        f"kind_answers={kind}/3 turns_kept={kept}/3",
    )


async def disk_full(r: Rig) -> Outcome:
    """The data dir's file system fills up while people write; the bot stays up,
    and once space is back every message is answered once. A small tmpfs when
    ``mount`` works here (CHAOS_DISK=rlimit forces the fallback: RLIMIT_FSIZE=0 set
    on the running bot with prlimit, so no file of its may grow)."""
    r.tg.reset()
    mount = r.tmp / "small"
    mount.mkdir()
    use_tmpfs = os.environ.get("CHAOS_DISK") != "rlimit"
    how = await asyncio.to_thread(mount_tmpfs, mount, "24m") if use_tmpfs else None
    data = mount / "data"
    bot = await r.bot(data).start()
    await wait_polling(r.tg, bot)
    r.say(0, "before")
    await r.until(r.all_answered, 15)
    assert bot.proc is not None
    filler: Path | None = None
    if how:
        filler = await asyncio.to_thread(fill, mount)
    else:
        how = "RLIMIT_FSIZE=0 via prlimit"
        _soft, hard = resource.prlimit(bot.proc.pid, resource.RLIMIT_FSIZE)
        resource.prlimit(bot.proc.pid, resource.RLIMIT_FSIZE, (0, hard))
    for person in range(1, 5):
        r.say(person, "while full " + "x" * 2000)
    await asyncio.sleep(4.0)
    alive = bot.proc.returncode is None
    during = len(r.tg.tally.answered) - 1
    if filler is not None:
        filler.unlink()
    elif alive:
        resource.prlimit(bot.proc.pid, resource.RLIMIT_FSIZE, (hard, hard))
    freed = time.monotonic()
    end = await r.until(r.all_answered, 40)
    await r.settle()
    await bot.stop()
    if filler is not None:
        await asyncio.to_thread(subprocess.run, ["umount", str(mount)], check=False)
    answers = [t for texts in r.tg.by_chat.values() for t in texts if "#" not in t]
    note = f"fs={how} alive_while_full={alive} answered_while_full={during}/4"
    if answers:
        note += f" other_answers={answers[:2]!r}"
    return counted(r, "disk_full", end - freed if end else None, note)


def mount_tmpfs(path: Path, size: str) -> str | None:
    if shutil.which("mount") is None:
        return None
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return f"tmpfs size={size}" if result.returncode == 0 else None


def fill(directory: Path) -> Path:
    """Write until the file system says ENOSPC; the file is removed to free it."""
    filler = directory / "filler"
    with filler.open("wb") as out:
        block = b"\0" * (256 * 1024)
        try:
            while True:
                out.write(block)
                out.flush()
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    return filler


def kept_turns(db: Path, texts: list[str]) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = [r[0] for r in conn.execute("SELECT content FROM turns WHERE role = 'user'")]
    return sum(1 for t in texts if any(t in row for row in rows))


SCENARIOS: dict[str, Callable[[Rig], Awaitable[Outcome]]] = {
    "kill9": kill9,
    "storm429": lambda r: storm(r, 429),
    "storm500": lambda r: storm(r, 500),
    "late": late,
    "model_timeout": model_timeout,
    "disk_full": disk_full,
}


async def run(names: list[str]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for name in names:
        async with rig() as r:
            started = time.monotonic()
            try:
                outcome = await SCENARIOS[name](r)
            except Exception as exc:
                outcome = Outcome(name, -1, -1, None, f"scenario failed: {exc!r}")
            outcome.note += f" ({time.monotonic() - started:.0f}s)"
            print(outcome.line(), flush=True)
            if outcome.lost or outcome.duplicated:
                for bot in r.bots:
                    print(f"--- {bot.log_path.name}\n{bot.tail(15)}", flush=True)
            outcomes.append(outcome)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help=f"some of: {', '.join(SCENARIOS)}")
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    outcomes = asyncio.run(run(args.scenarios or list(SCENARIOS)))
    lost = sum(abs(o.lost) for o in outcomes)
    duplicated = sum(abs(o.duplicated) for o in outcomes)
    print(f"lost={lost} duplicated={duplicated} scenarios={len(outcomes)}")
    raise SystemExit(0 if lost == 0 and duplicated == 0 else 1)


if __name__ == "__main__":
    main()
