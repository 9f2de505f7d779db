"""A running Telegram channel against the fake Bot API, for tests outside
tests/test_telegram.py: the real python-telegram-bot client over loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from adapters.telegram.adapter import TelegramChannel, Tuning
from adapters.telegram.limits import Limits
from bot.config import Settings
from bot.runtime import Runtime
from tests.conftest import make_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
FAST = Tuning(
    poll_timeout=1,
    read_timeout=3,
    connect_timeout=2,
    typing_interval=0.2,
    typing_delay=0.0,
    retry_backoff=0.05,
    limits=Limits(per_chat_rate=50, per_chat_burst=5, overall_rate=100),
)


def telegram_settings(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, **overrides: object
) -> Settings:
    base: dict[str, object] = {
        "model": "openai:fake-model",
        "model_base_url": fake_llm.base_url,
        "model_api_key": "sk-test-not-a-real-key-000000",
        "telegram_token": TOKEN,
        "telegram_api_url": tg.base_url,
    }
    base.update(overrides)
    return make_settings(tmp_path, **base)


@asynccontextmanager
async def running(runtime: Runtime, tg: FakeTelegram) -> AsyncIterator[TelegramChannel]:
    """The channel polling the fake server; stopped (in-flight work finished) after."""
    channel = TelegramChannel(runtime, tuning=FAST)
    runtime.outbox.register(channel)
    task = asyncio.create_task(channel.start(runtime.companion.handle))
    try:
        await tg.wait_for(lambda: tg.sent("getUpdates") or task.done())
        yield channel
    finally:
        await channel.stop()
        await asyncio.wait_for(task, 10)
