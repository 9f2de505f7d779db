"""Discord scenarios for bench/chaos.py: ``companion run`` in a subprocess (the real
discord.py client and the core inbox path, SQLite in a temp dir) against the fake
Discord (tests/fakes/discord_server.py: REST and gateway on 127.0.0.1) and the
chaos rig's fake provider. Each message carries a token (``#12``); the tally counts
what people see in their chats (a send Discord deduplicated by its nonce shows once).

- kill9: kill -9 while messages are in the model, more DMs while it is down, restart;
- offline: DMs while the bot is stopped, while its connection is down (a RESUME
  replays them) and across an invalidated session (nothing replays them: the
  chats' history is read);
- storm: for 3 s Discord posts each reply and then answers 500 (the client cannot
  know it went out), and rate-limits "typing".

Each returns (lost, duplicated, recovery seconds, note) for chaos.py's Outcome."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.discord_server import FakeDiscord, Fault, rate_limited  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402

FIRST_USER = 412345678900000000
TOKEN_RE = re.compile(r"#(\d+)")

Result = tuple[int, int, float | None, str]


class ChaosRig(Protocol):
    """What these scenarios use of bench/chaos.py's Rig."""

    llm: FakeOpenAI
    tmp: Path

    @property
    def model(self) -> Any: ...


@dataclass
class Tally:
    injected: dict[int, float] = field(default_factory=dict)
    answered: dict[int, float] = field(default_factory=dict)
    duplicates: int = 0

    def lost(self) -> list[int]:
        return [t for t in self.injected if t not in self.answered]


class DiscordRig:
    """The fake Discord and the people writing to the bot, counted."""

    def __init__(self, rig: ChaosRig, fake: FakeDiscord, name: str) -> None:
        self.rig, self.fake, self.name = rig, fake, name
        self.tally = Tally()
        self.tokens = 0
        self.by_chat: dict[int, list[str]] = defaultdict(list)
        self.procs: list[asyncio.subprocess.Process] = []
        fake.on_send = self._count

    def _count(self, message: dict[str, Any]) -> None:
        text = str(message.get("content") or "")
        self.by_chat[int(message["channel_id"])].append(text)
        match = TOKEN_RE.search(text)
        if match is None or int(match.group(1)) not in self.tally.injected:
            return
        token = int(match.group(1))
        if token in self.tally.answered:
            self.tally.duplicates += 1
        else:
            self.tally.answered[token] = time.monotonic()

    async def say(self, person: int, text: str = "hello") -> int:
        self.tokens += 1
        self.tally.injected[self.tokens] = time.monotonic()
        await self.fake.say(FIRST_USER + person, f"{text} #{self.tokens}")
        return self.tokens

    async def start_bot(self) -> asyncio.subprocess.Process:
        data = self.rig.tmp / f"discord-{self.name}"
        log = (self.rig.tmp / f"discord-{self.name}-{len(self.procs)}.log").open("ab")
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "COMPANION_DATA_DIR": str(data),
            "COMPANION_DISCORD_TOKEN": "chaos.discord.token",
            "COMPANION_DISCORD_API_URL": self.fake.api,
            "COMPANION_MODEL": "openai:fake-model",
            "COMPANION_MODEL_BASE_URL": self.rig.llm.base_url,
            "COMPANION_MODEL_API_KEY": "sk-test-not-a-real-key-000000",
            "COMPANION_MODEL_MAX_RETRIES": "0",
            "COMPANION_SCHEDULER_ENABLED": "false",
            "COMPANION_LOG_LEVEL": "INFO",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "adapters",
            "run",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            cwd=str(ROOT),
        )
        log.close()
        self.procs.append(proc)
        sessions = len(self.fake.gateway.identifies)
        await self.fake.gateway.wait_for(
            lambda: len(self.fake.gateway.identifies) > sessions and bool(self.fake.gateway.live()),
            within=120,
        )
        return proc

    async def stop_bot(self, proc: asyncio.subprocess.Process) -> None:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()

    async def until(self, done: Callable[[], bool], within: float) -> float | None:
        deadline = time.monotonic() + within
        while not done():
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.02)
        return time.monotonic()

    def all_answered(self) -> bool:
        return not self.tally.lost()

    def result(self, recovery: float | None, note: str) -> Result:
        return len(self.tally.lost()), self.tally.duplicates, recovery, note

    async def close(self) -> None:
        for proc in self.procs:
            await self.stop_bot(proc)
        await self.fake.stop()


async def _rig(r: ChaosRig, name: str) -> DiscordRig:
    return DiscordRig(r, await FakeDiscord().start(), name)


async def kill9(r: ChaosRig) -> Result:
    """kill -9 with messages in the model and replies half sent; DMs while it is down;
    restart: everything answered once."""
    d = await _rig(r, "kill9")
    try:
        bot = await d.start_bot()
        r.model.delay = 1.0
        for person in range(10):
            await d.say(person)
            await asyncio.sleep(0.1)
        mid = await d.until(lambda: len(r.llm.requests) >= 6 and bool(d.tally.answered), 30)
        if mid is None:
            return d.result(None, "never got mid-message")
        bot.kill()
        await bot.wait()
        killed = time.monotonic()
        answered_before = len(d.tally.answered)
        for person in range(4):
            await d.say(person, "while it was down")
        r.model.delay = 0.0
        restarted = await d.start_bot()
        end = await d.until(d.all_answered, 40)
        await asyncio.sleep(1.5)  # a late duplicate would arrive here
        await d.stop_bot(restarted)
        note = f"answered_before_kill={answered_before}/10 sent_while_down=4"
        return d.result(end - killed if end else None, note)
    finally:
        r.model.delay = 0.0
        await d.close()


async def offline(r: ChaosRig) -> Result:
    """DMs while the bot is stopped, while its socket is down (RESUME replays them),
    and across an invalidated session (only the history has them)."""
    d = await _rig(r, "offline")
    try:
        bot = await d.start_bot()
        for person in range(4):
            await d.say(person, "hello")
        await d.until(d.all_answered, 20)
        await d.stop_bot(bot)
        for person in range(4):
            await d.say(person, "while stopped")
        back = time.monotonic()
        bot = await d.start_bot()
        stopped_end = await d.until(d.all_answered, 30)
        await d.fake.gateway.drop()
        for person in range(4):
            await d.say(person, "while the socket is down")
        await d.fake.gateway.wait_for(lambda: bool(d.fake.gateway.resumes), within=30)
        await d.until(d.all_answered, 30)
        await d.fake.gateway.invalidate(resumable=False)
        for person in range(4):
            await d.say(person, "across a new session")  # no session: never dispatched
        end = await d.until(d.all_answered, 40)
        await asyncio.sleep(1.5)
        await d.stop_bot(bot)
        note = (
            f"resumes={len(d.fake.gateway.resumes)} "
            f"identifies={len(d.fake.gateway.identifies)} "
            f"first_catch_up={stopped_end - back:.1f}s"
            if stopped_end
            else "the stopped-time DMs were not answered"
        )
        return d.result(end - back if end else None, note)
    finally:
        await d.close()


async def storm(r: ChaosRig) -> Result:
    """For 3 s Discord posts every reply, then answers 500 (discord.py retries with
    the same nonce: Discord returns the first message), and "typing" gets 429s."""
    d = await _rig(r, "storm")
    try:
        bot = await d.start_bot()
        await d.say(0, "before the storm")
        await d.until(d.all_answered, 20)

        def sends_and_typing(route: str) -> bool:
            return route in ("POST /channels/{id}/messages", "POST /channels/{id}/typing")

        posted_then_500 = Fault(500, {"message": "Internal Server Error", "code": 0}, after=True)
        d.fake.storm(posted_then_500, 3.0, lambda route: route == "POST /channels/{id}/messages")
        for person in range(1, 7):
            await d.say(person)
        storm_end = time.monotonic() + 3.0
        end = await d.until(d.all_answered, 40)
        d.fake.storm(rate_limited(0.5), 2.0, sends_and_typing)
        for person in range(1, 4):
            await d.say(person, "in a 429 storm")
        end = await d.until(d.all_answered, 30) or end
        await asyncio.sleep(1.5)
        await d.stop_bot(bot)
        refused = sum(1 for q in d.fake.requests if q.status in (429, 500))
        return d.result(end - storm_end if end else None, f"refused_calls={refused}")
    finally:
        await d.close()
