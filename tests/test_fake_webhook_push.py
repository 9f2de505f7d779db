"""The fake Bot API in webhook mode, as bench/load.py uses it to stand in for Telegram
and a load balancer: real aiohttp servers play the workers. One chat's updates
arrive one at a time and in order, different chats concurrently, and an update a
target fails is retried on the next target."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.fakes.telegram_server import FakeTelegram

TOKEN = "123456:WEBHOOK-push-test-token-abcdefghijklmnop"
SECRET = "push-secret"


class Worker:
    """A webhook endpoint that notes what it got and when, answering ``status``
    (after ``delay`` seconds) for its first ``failures`` requests, then 200."""

    def __init__(self, delay: float = 0.0, failures: int = 0, status: int = 500) -> None:
        self.delay, self.failures, self.status = delay, failures, status
        self.accepted: list[tuple[str, int]] = []  # (chat, update id), in arrival order
        self.arrived: list[tuple[float, str, int]] = []  # (when, chat, update id)
        self.refused: list[int] = []
        self.secrets: set[str] = set()
        self.in_flight: dict[str, int] = defaultdict(int)
        self.max_same_chat = 0
        self.max_overall = 0
        self._overall = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> Worker:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _hook(self, request: web.Request) -> web.Response:
        update: dict[str, Any] = await request.json()
        chat = str(update["message"]["chat"]["id"])
        self.arrived.append((time.monotonic(), chat, update["update_id"]))
        self.secrets.add(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""))
        if self.failures > 0:
            self.failures -= 1
            self.refused.append(update["update_id"])
            return web.Response(status=self.status)
        self.in_flight[chat] += 1
        self._overall += 1
        self.max_same_chat = max(self.max_same_chat, self.in_flight[chat])
        self.max_overall = max(self.max_overall, self._overall)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight[chat] -= 1
            self._overall -= 1
        self.accepted.append((chat, update["update_id"]))
        return web.Response(text="ok")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram(TOKEN).start()
    server.webhook_secret = SECRET
    server.webhook_retry_pause = 0.01
    yield server
    await server.stop()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"  # nothing listens there now


async def test_one_chat_in_order_one_at_a_time_chats_concurrently(tg: FakeTelegram) -> None:
    workers = [await Worker(delay=0.03).start() for _ in range(2)]
    try:
        tg.webhook_targets = [w.url for w in workers]
        pushed: dict[str, list[int]] = defaultdict(list)
        for n in range(5):
            for user in (501, 502, 503, 504):
                pushed[str(user)].append(tg.push_text(user, f"m{n}"))
        await tg.wait_for(lambda: len(tg.webhook_attempts) == 20, within=10)

        assert all(a.status == 200 for a in tg.webhook_attempts)
        # What the workers saw, on one clock: each chat's updates in the order pushed.
        arrived: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for w in workers:
            for at, chat, update_id in w.arrived:
                arrived[chat].append((at, update_id))
        for chat, ids in pushed.items():
            assert [i for _, i in sorted(arrived[chat])] == ids, chat
        # Never two updates of one chat in flight at once, even on two workers.
        assert all(w.max_same_chat == 1 for w in workers)
        # But the four chats did not wait for each other.
        assert max(w.max_overall for w in workers) > 1
        # Round robin: both workers took a share, and consecutive updates of a chat
        # could land on different workers (as with a real balancer).
        assert all(len(w.accepted) >= 5 for w in workers), [len(w.accepted) for w in workers]
        assert all(w.secrets == {SECRET} for w in workers)
    finally:
        for w in workers:
            await w.stop()


async def test_a_failed_update_is_retried_on_the_next_target_and_order_holds(
    tg: FakeTelegram,
) -> None:
    failing = await Worker(failures=3, status=503).start()
    healthy = await Worker().start()
    dead = closed_port_url()
    try:
        tg.webhook_targets = [failing.url, healthy.url, dead]
        ids = [tg.push_text(601, f"m{n}") for n in range(6)]
        await tg.wait_for(lambda: sum(a.status == 200 for a in tg.webhook_attempts) == 6, within=10)
        await asyncio.sleep(0.1)  # a duplicate delivery would show up now

        got = sorted(healthy.accepted + failing.accepted, key=lambda a: ids.index(a[1]))
        assert [i for _, i in got] == ids
        delivered_order = [a.update_id for a in tg.webhook_attempts if a.status == 200]
        assert delivered_order == ids  # in order, each once
        by_target = {failing.url: "failing", healthy.url: "healthy", dead: "dead"}
        for before, after in zip(tg.webhook_attempts, tg.webhook_attempts[1:], strict=False):
            if before.status != 200:
                # Retried: the same update, on the next target in the list.
                assert after.update_id == before.update_id
                nxt = tg.webhook_targets[(tg.webhook_targets.index(before.target) + 1) % 3]
                assert after.target == nxt, (by_target[before.target], by_target[after.target])
        statuses = {by_target[a.target]: a.status for a in tg.webhook_attempts if a.status != 200}
        assert statuses == {"failing": 503, "dead": 0}
        assert len(failing.refused) == 3
    finally:
        await failing.stop()
        await healthy.stop()


async def test_polling_is_refused_while_the_webhook_is_on_and_resumes_after(
    tg: FakeTelegram,
) -> None:
    worker = await Worker().start()
    try:
        tg.webhook_targets = [worker.url]
        tg.push_text(701, "by webhook")
        await tg.wait_for(lambda: len(worker.accepted) == 1)
        async with aiohttp.ClientSession() as session:
            url = f"{tg.base_url}{TOKEN}/getUpdates"
            async with session.post(url, json={"timeout": 0}) as r:
                assert r.status == 409
            async with session.post(f"{tg.base_url}{TOKEN}/deleteWebhook", json={}) as r:
                assert r.status == 200
            assert tg.webhook_targets == []
            update_id = tg.push_text(701, "by polling")
            async with session.post(url, json={"timeout": 0}) as r:
                body = await r.json()
        assert [u["update_id"] for u in body["result"]] == [update_id]
        assert len(worker.accepted) == 1
    finally:
        await worker.stop()


async def test_chat_balancing_keeps_each_chat_on_one_target(tg: FakeTelegram) -> None:
    workers = [await Worker().start() for _ in range(2)]
    try:
        tg.webhook_balance = "chat"
        tg.webhook_targets = [w.url for w in workers]
        users = range(801, 811)
        for n in range(3):
            for user in users:
                tg.push_text(user, f"m{n}")
        await tg.wait_for(lambda: len(tg.webhook_attempts) == 30, within=10)
        targets: dict[str, set[str]] = defaultdict(set)
        for attempt in tg.webhook_attempts:
            targets[attempt.chat].add(attempt.target)
        assert all(len(t) == 1 for t in targets.values()), targets
        assert all(w.accepted for w in workers)  # ten chats did not all hash alike
    finally:
        for w in workers:
            await w.stop()
