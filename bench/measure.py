"""Shared by the benches: the fake Bot API server with Telegram's per-chat limit
and a stopwatch on every reply, a bot subprocess, and percentiles."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import re
import signal
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.telegram_server import Call, FakeTelegram, _error

ROOT = Path(__file__).resolve().parent.parent
TOKEN_RE = re.compile(r"#(\d+)")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Reply:
    token: int
    chat_id: int
    at: float


@dataclass
class Tally:
    """What reached the fake server, by message token (``#123`` in each text)."""

    injected: dict[int, float] = field(default_factory=dict)  # token -> when pushed
    answered: dict[int, float] = field(default_factory=dict)  # token -> first reply
    started: dict[int, float] = field(default_factory=dict)  # token -> first typing action
    duplicates: int = 0
    strangers: int = 0  # replies naming no token we sent

    def lost(self) -> list[int]:
        return [t for t in self.injected if t not in self.answered]

    def latencies_ms(self) -> list[float]:
        return [(self.answered[t] - self.injected[t]) * 1000 for t in self.answered]

    def intake_ms(self) -> list[float]:
        """Queued at the server -> the bot's first "typing...": fetching, recording in
        the inbox and waiting for a turn; the rest of the latency is the handling."""
        return [(self.started[t] - self.injected[t]) * 1000 for t in self.started]


class MeasuredTelegram(FakeTelegram):
    """The fake Bot API, plus what Telegram itself enforces: at most one message
    per ``chat_gap`` seconds in one chat, else a 429 with retry_after. Counts the
    429s and how long each chat then waited before a send went through."""

    def __init__(self, token: str, *, chat_gap: float | None = None) -> None:
        super().__init__(token)
        self.chat_gap = chat_gap
        # A random first update id: a reused database still sees new ids.
        self._update_ids = itertools.count(random.randrange(10**6, 10**9))
        self.tally = Tally()
        self.on_reply: Callable[[Reply], None] | None = None
        self.too_many = 0
        self.waited: list[float] = []
        self._last_send: dict[int, float] = {}
        self._limited_since: dict[int, float] = {}
        self._waiting_typing: dict[int, int] = {}  # chat -> token not yet "typing..."
        self.by_chat: dict[int, list[str]] = defaultdict(list)  # every reply delivered
        self.storm_until = 0.0
        self.storm_status = 500
        self.storm_methods: set[str] = set()

    def reset(self) -> Tally:
        old, self.tally = self.tally, Tally()
        self.too_many, self.waited = 0, []
        self._last_send.clear()
        self._limited_since.clear()
        self.by_chat.clear()
        self._waiting_typing.clear()
        return old

    def storm(self, status: int, seconds: float, methods: set[str]) -> None:
        """Every call of ``methods`` fails with ``status`` for ``seconds``."""
        self.storm_status, self.storm_methods = status, {m.lower() for m in methods}
        self.storm_until = time.monotonic() + seconds

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        if method in self.storm_methods and time.monotonic() < self.storm_until:
            self.calls.append(Call(method, {}, time.monotonic(), status=self.storm_status))
            if self.storm_status == 429:
                self.too_many += 1
                return _error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
            return _error(self.storm_status, "Internal Server Error")
        return await super()._api(request)

    def inject(self, user_id: int, text: str, token: int) -> None:
        self.tally.injected[token] = time.monotonic()
        self._waiting_typing[user_id] = token
        self.push_text(user_id, f"{text} #{token}")

    async def _m_sendchataction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        token = self._waiting_typing.pop(int(params["chat_id"]), None)
        if token is not None:
            self.tally.started[token] = time.monotonic()
        return await super()._m_sendchataction(params, files)

    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        now = time.monotonic()
        chat = int(params["chat_id"])
        if self.chat_gap is not None and now - self._last_send.get(chat, -1e9) < self.chat_gap:
            # No await since _api appended it (no delay faults with chat_gap): this call.
            self.calls[-1].status = 429
            self.too_many += 1
            self._limited_since.setdefault(chat, now)
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            raise web.HTTPTooManyRequests(text=json.dumps(body), content_type="application/json")
        self._last_send[chat] = now
        since = self._limited_since.pop(chat, None)
        if since is not None:
            self.waited.append(now - since)
        self.by_chat[chat].append(str(params.get("text", "")))
        self.count_reply(str(params.get("text", "")), chat, now)
        return await super()._m_sendmessage(params, files)

    def count_reply(self, text: str, chat: int, now: float) -> None:
        match = TOKEN_RE.search(text)
        if match is None or int(match.group(1)) not in self.tally.injected:
            self.tally.strangers += 1
            return
        token = int(match.group(1))
        if token in self.tally.answered:
            self.tally.duplicates += 1
            return
        self.tally.answered[token] = now
        if self.on_reply is not None:
            self.on_reply(Reply(token, chat, now))


class BotProcess:
    """One bot in a subprocess (``bench/bot_process.py`` or the real CLI), its
    output kept in a log file for when something goes wrong."""

    def __init__(
        self,
        argv: list[str],
        log_path: Path,
        env: dict[str, str] | None = None,
        preexec: Callable[[], None] | None = None,
    ) -> None:
        self.argv, self.log_path, self.preexec = argv, log_path, preexec
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> BotProcess:
        log = self.log_path.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv, stdout=log, stderr=log, env=self.env, cwd=str(ROOT), preexec_fn=self.preexec
        )
        log.close()
        return self

    async def stop(self, grace: float = 30.0) -> int | None:
        """SIGTERM: the bot finishes what is in flight and exits."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), grace)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()

    async def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


async def wait_polling(tg: FakeTelegram, bot: BotProcess, within: float = 60.0) -> None:
    """Until the bot is polling (a getUpdates arrived), or fail with its log."""
    before = len(tg.sent("getUpdates"))
    deadline = time.monotonic() + within
    while len(tg.sent("getUpdates")) <= before:
        assert bot.proc is not None
        if bot.proc.returncode is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the bot did not start polling:\n{bot.tail()}")
        await asyncio.sleep(0.05)


@dataclass
class CpuSample:
    """CPU seconds so far: the whole machine (busy and in all), this process (the
    bench and the fake server), and the bot processes."""

    busy: float
    total: float
    own: float
    bots: float


def cpu_sample(pids: list[int]) -> CpuSample | None:
    """From /proc (Linux); None elsewhere."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
        bots = 0
        for pid in pids:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read().rsplit(")", 1)[1].split()
            bots += int(stat[11]) + int(stat[12])  # utime, stime (fields 14 and 15)
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + fields[4]  # idle, iowait
    total = sum(fields)
    return CpuSample((total - idle) / tick, total / tick, time.process_time(), bots / tick)


def cpu_text(before: CpuSample | None, after: CpuSample | None, seconds: float) -> str:
    """Where the machine's cores went between two samples, in cores busy on average."""
    if before is None or after is None or seconds <= 0:
        return "cpu: not measured (no /proc)"
    cores = os.cpu_count() or 1
    busy = (after.busy - before.busy) / seconds
    bots = (after.bots - before.bots) / seconds
    own = (after.own - before.own) / seconds
    return (
        f"cpu: {busy:.2f} of {cores} cores busy; bot processes {bots:.2f}, "
        f"bench + fake server {own:.2f}, the rest (PostgreSQL, anything else) "
        f"{max(busy - bots - own, 0.0):.2f}"
    )


def per_chat_order_ok(tally: Tally, person_of: dict[int, int]) -> bool:
    """Replies in one chat came in the order the person wrote."""
    by_person: dict[int, list[int]] = defaultdict(list)
    for token in sorted(tally.answered, key=tally.answered.__getitem__):
        by_person[person_of[token]].append(token)
    return all(tokens == sorted(tokens) for tokens in by_person.values())
