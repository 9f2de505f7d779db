"""Channels fail loudly and alone: a channel that cannot connect is started again with
a back-off and says so, a refused token stops `companion run` with an error naming
the variable (exit code 1 when no channel is left), and SIGTERM ends a back-off at
once. The real Telegram channel against the fake Bot API (or nothing at all)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from adapters.channels import Outcome, supervise
from adapters.telegram.adapter import TelegramChannel
from bot.runtime import build_runtime
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram
from tests.test_telegram import FAST, TOKEN, tg_settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def companion_run(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters",
        "run",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(cwd),
            "PYTHONPATH": str(ROOT),
            "COMPANION_EMBEDDING_MODEL_DIR": os.environ["COMPANION_EMBEDDING_MODEL_DIR"],
            "COMPANION_DATA_DIR": str(cwd / "data"),
            **env,
        },
        cwd=cwd,
    )


async def test_telegram_unreachable_is_retried_until_it_answers(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    tg = FakeTelegram(TOKEN)
    tg.url = f"http://127.0.0.1:{port}"  # nothing listens there yet
    rt = await build_runtime(tg_settings(tmp_path, fake_llm, tg), clock=clock, with_features=False)
    stop = asyncio.Event()
    channel = TelegramChannel(rt, tuning=FAST)
    try:
        with caplog.at_level(logging.WARNING, logger="adapters.channels"):
            run = asyncio.create_task(
                supervise(channel, rt.companion.handle, stop, first_backoff=0.2)
            )
            for _ in range(200):
                if "starting it again" in caplog.text:
                    break
                await asyncio.sleep(0.02)
            assert "Telegram channel failed" in caplog.text and not run.done()
            await tg.start(port)  # Telegram is back
            tg.push_text(42, "are you there?")
            await tg.wait_for(lambda: tg.texts(42), within=20)
            stop.set()
            assert await asyncio.wait_for(run, 20) == Outcome.STOPPED
        assert tg.texts(42) == ["You said: are you there?"]
        assert TOKEN not in caplog.text
    finally:
        stop.set()
        await tg.stop()
        await rt.close()


@pytest.mark.slow  # a `companion run` process
async def test_a_refused_token_ends_run_with_an_error_naming_the_variable(
    tmp_path: Path,
) -> None:
    tg = await FakeTelegram(TOKEN).start()
    wrong = "111111111:AAWrongTokenWrongTokenWrongToken000"
    try:
        proc = await companion_run(
            {"COMPANION_TELEGRAM_TOKEN": wrong, "COMPANION_TELEGRAM_API_URL": tg.base_url},
            tmp_path,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 120)
    finally:
        await tg.stop()
    text = (out + err).decode()
    assert proc.returncode == 1, text[-2000:]
    assert "COMPANION_TELEGRAM_TOKEN" in text and "No channel is left running" in text
    assert "AAWrongTokenWrongToken" not in text


@pytest.mark.slow  # a `companion run` process
async def test_sigterm_ends_a_reconnect_back_off_at_once(tmp_path: Path) -> None:
    proc = await companion_run(
        {
            "COMPANION_TELEGRAM_TOKEN": TOKEN,
            "COMPANION_TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}/bot",
        },
        tmp_path,
    )
    assert proc.stderr is not None
    seen: list[str] = []
    try:
        while not any("starting it again" in line for line in seen):
            line = await asyncio.wait_for(proc.stderr.readline(), 120)
            assert line, "\n".join(seen)
            seen.append(line.decode(errors="replace"))
        await asyncio.sleep(0.3)  # inside the back-off now
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 20)
        took = time.monotonic() - asked
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0
    assert took < 5.0, took
