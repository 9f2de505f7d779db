"""Discord across restarts, for real: ``companion run`` in its own process (the
production entry point), pointed at the fake Discord by ``COMPANION_DISCORD_API_URL``,
with the fake OpenAI server as its model and SQLite in a temp dir. The test process
plays the people writing in DMs.

A kill -9 while the model is thinking, and DMs sent while the bot is down: after
the restart each is answered once (Discord does not redeliver: the chats' history
is read). A clean stop and start is covered in-process by test_discord_catchup.py."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.discord_server import REJECTED_TOKEN, FakeDiscord
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text
from tests.test_discord_gateway import until

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "restart.discord.token"
SAM = 412345678901234567
ALEX = 412345678901234999

pytestmark = pytest.mark.slow


class Bot:
    """One ``companion run`` process; its output kept for when something fails."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> Bot:
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "adapters",
                "run",
                *self.env.pop("ARGS", "").split(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
                cwd=str(self.log.parent),
            )
        return self

    async def stop(self) -> int:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 30)
            except TimeoutError:
                self.proc.kill()
        return await self.proc.wait()

    async def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def bot_env(fake: FakeDiscord, llm: FakeOpenAI, data: Path, **extra: str) -> dict[str, str]:
    return {
        "COMPANION_DATA_DIR": str(data),
        "COMPANION_DISCORD_TOKEN": TOKEN,
        "COMPANION_DISCORD_API_URL": fake.api,
        "COMPANION_MODEL": "openai:fake-model",
        "COMPANION_MODEL_BASE_URL": llm.base_url,
        "COMPANION_MODEL_API_KEY": "sk-test-not-a-real-key-000000",
        "COMPANION_MODEL_MAX_RETRIES": "0",
        "COMPANION_SCHEDULER_ENABLED": "false",
        "COMPANION_AI_NOTICE": "false",  # the test compares every reply exactly
        "COMPANION_LOG_LEVEL": "INFO",
        **extra,
    }


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[FakeDiscord, FakeOpenAI]]:
    fake = await FakeDiscord().start()
    llm = await FakeOpenAI().start()
    try:
        yield fake, llm
    finally:
        await fake.stop()
        await llm.stop()


async def connected(fake: FakeDiscord, bot: Bot, count: int = 1) -> None:
    """Until the bot holds a gateway session (or fail with its output)."""
    try:
        await fake.gateway.wait_live(count, within=90)
    except TimeoutError:
        raise AssertionError(f"the bot did not connect:\n{bot.output()[-3000:]}") from None


async def test_after_a_kill_9_mid_answer_everything_is_answered_once(
    world: tuple[FakeDiscord, FakeOpenAI], tmp_path: Path
) -> None:
    """kill -9 while the model thinks about Sam's message; Sam and Alex write while the
    bot is down (Discord keeps it only in their chats' history). After the restart each
    message is answered once: Sam's interrupted one (taken back from the inbox and
    fetched again from Discord) first, then what was missed (read from the history)."""
    fake, llm = world
    sam_dm, alex_dm = fake.dm_channel(SAM), fake.dm_channel(ALEX)

    def thinking(body: dict[str, Any]) -> Reply:
        text = last_user_text(body)
        return Reply(text=f"You said: {text}", delay=10.0 if text == "slow question" else 0.0)

    llm.responder = thinking
    env = bot_env(fake, llm, tmp_path / "data")
    bot = await Bot(dict(env), tmp_path / "bot.log").start()
    await connected(fake, bot)
    await fake.say(ALEX, "hi, I'm Alex")
    await until(lambda: fake.posted(alex_dm) == ["You said: hi, I'm Alex"], within=60)
    await fake.say(SAM, "slow question")
    await until(lambda: any(last_user_text(r) == "slow question" for r in llm.chat_requests()))
    await bot.kill9()  # mid-answer: recorded, claimed, the model still thinking
    await fake.say(SAM, "hello? (sent while it was down)")
    await fake.say(ALEX, "me too (while it was down)")

    llm.responder = lambda body: Reply(text=f"You said: {last_user_text(body)}")
    bot = await Bot(dict(env), tmp_path / "bot.log").start()
    await connected(fake, bot)
    await until(lambda: len(fake.posted(sam_dm)) >= 2 and len(fake.posted(alex_dm)) >= 2, 60)
    await asyncio.sleep(1.0)  # a duplicate would arrive now
    assert await bot.stop() == 0
    assert fake.posted(sam_dm) == [
        "You said: slow question",
        "You said: hello? (sent while it was down)",
    ]
    assert fake.posted(alex_dm) == [
        "You said: hi, I'm Alex",
        "You said: me too (while it was down)",
    ]
    assert "catch-up: read" in bot.output()


async def test_a_rejected_token_alone_ends_run_with_an_error_naming_the_variable(
    world: tuple[FakeDiscord, FakeOpenAI], tmp_path: Path
) -> None:
    fake, llm = world
    env = bot_env(fake, llm, tmp_path / "data", COMPANION_DISCORD_TOKEN=REJECTED_TOKEN)
    bot = await Bot(env, tmp_path / "bot.log").start()
    assert bot.proc is not None
    code = await asyncio.wait_for(bot.proc.wait(), 120)
    said = bot.output()
    assert code == 1, said[-3000:]
    assert "COMPANION_DISCORD_TOKEN" in said and "No channel is left running" in said
    assert REJECTED_TOKEN not in said
    assert fake.gateway.identifies == []
