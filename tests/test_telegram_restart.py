"""kill -9 with updates in flight, then a restart: nothing lost, nothing doubled.

The real `companion run` process polls the fake Bot API server; the fake chat model
answers slowly, so the kill lands while replies are being worked on. Telegram's side
is the fake's record of every sendMessage."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654321:AAFakeTokenForTheRestartTest_abcdefghij"


def slow_echo(body: dict[str, object]) -> Reply:
    return Reply(text=f"You said: {last_user_text(body)}", delay=0.8)


@pytest.fixture
async def slow_llm() -> AsyncIterator[FakeOpenAI]:
    server = await FakeOpenAI(slow_echo).start()
    yield server
    await server.stop()


async def launch(env: dict[str, str], cwd: Path, log: Path) -> asyncio.subprocess.Process:
    # The log goes to a file: a pipe nobody drains would stall the process at DEBUG.
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "adapters",
            "run",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
            env={
                "PATH": os.environ["PATH"],
                "HOME": str(cwd),
                "PYTHONPATH": str(ROOT),
                "COMPANION_EMBEDDING_MODEL_DIR": os.environ["COMPANION_EMBEDDING_MODEL_DIR"],
                **env,
            },
            cwd=cwd,
        )


def asked(llm: FakeOpenAI) -> list[str]:
    return [last_user_text(r) for r in llm.chat_requests()]


@pytest.mark.slow  # two process starts: ~15-30 s on a busy 2-core machine
async def test_kill_and_restart_loses_nothing_and_doubles_nothing(
    tmp_path: Path, slow_llm: FakeOpenAI
) -> None:
    tg = await FakeTelegram(TOKEN).start()
    log_file = tmp_path / "companion.log"
    env = {
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_MODEL": "openai:fake",
        "COMPANION_MODEL_BASE_URL": slow_llm.base_url,
        "COMPANION_MODEL_API_KEY": "sk-test-123456789",
        "COMPANION_TELEGRAM_TOKEN": TOKEN,
        "COMPANION_TELEGRAM_API_URL": tg.base_url,
        "COMPANION_LOG_LEVEL": "DEBUG",
    }
    try:
        for n in (1, 2, 3):
            tg.push_text(1001, f"A{n}")
            tg.push_text(2002, f"B{n}")
        first = await launch(env, tmp_path, log_file)
        # A1 and B1 answered; A2 and B2 with the model; A3 and B3 received, waiting.
        await tg.wait_for(lambda: {"A2", "B2"} <= set(asked(slow_llm)), within=60)
        assert tg.confirmed > 0  # the offset moved on: Telegram will not send those again
        first.kill()
        await asyncio.wait_for(first.wait(), 30)
        assert sorted(tg.texts()) == ["You said: A1", "You said: B1"]

        tg.push_text(1001, "A4")
        tg.push_text(2002, "B4")
        second = await launch(env, tmp_path, log_file)
        await tg.wait_for(lambda: len(tg.texts()) >= 8, within=60)
        await asyncio.sleep(1.0)  # time for any double to show up
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
        assert second.returncode == 0, log_file.read_text()[-3000:]
    finally:
        await tg.stop()

    for user, letter in ((1001, "A"), (2002, "B")):
        assert tg.texts(user) == [f"You said: {letter}{n}" for n in (1, 2, 3, 4)]
    # A2 was stored before the kill and handled again after it: the conversation
    # holds it once, both when it was asked again and afterwards.
    requests = slow_llm.chat_requests()
    again = [r for r in requests if last_user_text(r) == "A2"][-1]
    later = [r for r in requests if last_user_text(r) == "A4"][-1]
    for request in (again, later):
        said = [m["content"] for m in request["messages"] if m["role"] == "user"]
        assert said.count("A2") == 1, said
    log = log_file.read_text()
    assert "replaying 4 pending Telegram update(s)" in log
    assert "DEBUG companion: debug logging on" in log  # DEBUG logging was on, and still:
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
