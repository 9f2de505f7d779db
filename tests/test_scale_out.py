"""The multi-process deployment, for real on this machine: PostgreSQL, two workers
and two schedulers as separate `companion run` processes, the fake Bot API server,
webhooks spread over the workers as a load balancer would, and a Chroma server
holding the memories they share.

Each update is handled by exactly one worker, one person's messages stay in order
across workers, a worker killed mid-message leaves it to the other, and exactly one
scheduler leads while a standby takes over when it dies."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import chromadb
import pytest

from tests.conftest import postgres_available, postgres_database
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text
from tests.fakes.telegram_server import FakeTelegram
from tests.memory.helpers import ScriptedMemoryModel

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:SCALEOUT-test-token-abcdefghijklmnopqrstu"
SECRET = "scale-out-secret"

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """A `companion run` process whose output is kept for assertions."""

    def __init__(self, name: str, proc: asyncio.subprocess.Process) -> None:
        self.name = name
        self.proc = proc
        self.lines: list[str] = []
        assert proc.stderr is not None
        self._reader = asyncio.create_task(self._read(proc.stderr))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while line := await stream.readline():
            self.lines.append(line.decode(errors="replace").rstrip())

    def said(self, words: str) -> bool:
        return any(words in line for line in self.lines)

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def terminate(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout=30)
            except TimeoutError:
                await self.kill()
        self._reader.cancel()


async def start(name: str, role: str, env: dict[str, str], data_dir: Path) -> Proc:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters",
        "run",
        "--role",
        role,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            **env,
            "PYTHONPATH": str(ROOT),
            "COMPANION_DATA_DIR": str(data_dir),
            "COMPANION_WORKER_ID": name,
        },
        cwd=data_dir,
    )
    return Proc(name, proc)


async def wait_until(predicate: Any, within: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def port_open(port: int) -> bool:
    try:
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[dict[str, Any]]:
    if not postgres_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    tg = await FakeTelegram(TOKEN).start()
    llm = await FakeOpenAI().start()
    procs: list[Proc] = []
    chroma_port = free_port()
    chroma = await asyncio.create_subprocess_exec(
        "chroma",
        "run",
        "--path",
        str(tmp_path / "chroma"),
        "--host",
        "127.0.0.1",
        "--port",
        str(chroma_port),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with postgres_database() as url:
        ports = [free_port(), free_port()]
        common = {
            "COMPANION_DATABASE_URL": url,
            "COMPANION_CHROMA_URL": f"http://127.0.0.1:{chroma_port}",
            "COMPANION_TELEGRAM_TOKEN": TOKEN,
            "COMPANION_TELEGRAM_API_URL": tg.base_url,
            "COMPANION_TELEGRAM_WEBHOOK_SECRET": SECRET,
            "COMPANION_TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
            "COMPANION_MODEL": "openai:fake",
            "COMPANION_MODEL_BASE_URL": llm.base_url,
            "COMPANION_MODEL_API_KEY": "sk-test-scale-out-000000",
            "COMPANION_INBOX_LEASE_SECONDS": "3",
            "COMPANION_SCHEDULER_TICK_SECONDS": "1",
            "COMPANION_LOG_LEVEL": "INFO",
            "COMPANION_AI_NOTICE": "false",  # the test compares every reply exactly
        }
        try:
            for i, port in enumerate(ports):
                env = {
                    **common,
                    "COMPANION_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/tg",
                    "COMPANION_TELEGRAM_WEBHOOK_PORT": str(port),
                }
                (tmp_path / f"w{i}").mkdir()
                procs.append(await start(f"worker-{i}", "worker", env, tmp_path / f"w{i}"))
            for i in range(2):
                (tmp_path / f"s{i}").mkdir()
                procs.append(await start(f"scheduler-{i}", "scheduler", common, tmp_path / f"s{i}"))
            for port in [chroma_port, *ports]:
                deadline = asyncio.get_running_loop().time() + 120
                while not await port_open(port):
                    assert asyncio.get_running_loop().time() < deadline, "worker did not start"
                    assert all(p.proc.returncode is None for p in procs), [p.lines for p in procs]
                    await asyncio.sleep(0.2)
            yield {
                "tg": tg,
                "llm": llm,
                "ports": ports,
                "procs": procs,
                "db": url,
                "chroma_port": chroma_port,
            }
        finally:
            for p in procs:
                await p.terminate()
            chroma.kill()
            await chroma.wait()
            await tg.stop()
            await llm.stop()


async def post_update(port: int, update: dict[str, Any]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"http://127.0.0.1:{port}/tg",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response,
    ):
        return response.status


async def test_workers_share_the_inbox_in_order_and_take_over_from_a_dead_one(
    deployment: dict[str, Any],
) -> None:
    tg: FakeTelegram = deployment["tg"]
    llm: FakeOpenAI = deployment["llm"]
    ports: list[int] = deployment["ports"]
    procs: list[Proc] = deployment["procs"]

    def slow_echo(body: dict[str, Any]) -> Reply:
        text = last_user_text(body)
        return Reply(text=f"You said: {text}", delay=8.0 if "slow" in text else 0.2)

    memory_model = ScriptedMemoryModel()
    memory_model.chat = slow_echo
    memory_model.extracts("Tofu", {"text": "Their cat is called Tofu.", "kind": "fact"})
    llm.responder = memory_model
    update_ids = itertools.count(1)
    users = [501, 502, 503]
    # Round robin over both workers: consecutive messages of one person land on
    # different workers, yet must be answered once each and in order.
    balancer = itertools.cycle(ports)
    for n in range(4):
        for user in users:
            update = {"update_id": next(update_ids), "message": tg.message(user, f"m{n}")}
            assert await post_update(next(balancer), update) == 200
    await tg.wait_for(lambda: len(tg.texts()) >= 12, within=120)
    await asyncio.sleep(1.0)  # a duplicate would show up now
    for user in users:
        assert tg.texts(user) == [f"You said: m{n}" for n in range(4)], tg.texts(user)

    # The same update delivered twice (to each worker) is handled once.
    again = {"update_id": next(update_ids), "message": tg.message(504, "only once")}
    assert await post_update(ports[0], again) == 200
    assert await post_update(ports[1], again) == 200
    await tg.wait_for(lambda: tg.texts(504), within=60)
    await asyncio.sleep(1.0)
    assert tg.texts(504) == ["You said: only once"]

    # Kill -9 worker 0 while the model is thinking about its message: worker 1
    # takes it over once the lease runs out, and the person gets one answer.
    doomed = {"update_id": next(update_ids), "message": tg.message(505, "slow question")}
    assert await post_update(ports[0], doomed) == 200
    await wait_until(
        lambda: any(last_user_text(r) == "slow question" for r in llm.chat_requests()),
        within=60,
        what="worker 0 to ask the model",
    )
    await procs[0].kill()
    await tg.wait_for(lambda: tg.texts(505), within=90)
    await asyncio.sleep(1.0)
    assert tg.texts(505) == ["You said: slow question"]

    # Memory goes to the Chroma server the test started, shared by the workers.
    cat = {"update_id": next(update_ids), "message": tg.message(506, "my cat is called Tofu")}
    assert await post_update(ports[1], cat) == 200
    await tg.wait_for(lambda: tg.texts(506), within=60)
    client = chromadb.HttpClient(host="127.0.0.1", port=deployment["chroma_port"])

    def facts_stored() -> int:
        # Chroma holds the facts' vectors only (their words stay in the database, so
        # /forget leaves no text behind in Chroma's files).
        return sum(
            len(c.get(include=[])["ids"])
            for c in client.list_collections()
            if c.name.startswith("companion-person-")
        )

    await wait_until(lambda: facts_stored() >= 1, 60, "the memory's vector in Chroma")


async def test_one_scheduler_leads_and_a_standby_takes_over(
    deployment: dict[str, Any],
) -> None:
    schedulers = [p for p in deployment["procs"] if p.name.startswith("scheduler")]
    await wait_until(lambda: any(p.said("scheduler started") for p in schedulers), 120, "a leader")
    await asyncio.sleep(2.0)
    leaders = [p for p in schedulers if p.said("scheduler started")]
    assert len(leaders) == 1, [p.lines[-5:] for p in schedulers]
    standby = next(p for p in schedulers if p is not leaders[0])
    assert standby.said("stands by")
    await leaders[0].kill()
    await wait_until(lambda: standby.said("scheduler started"), 60, "the standby to take over")
    assert standby.said("taking over")
