"""Progress pictures (bot/goals/chart.py): valid PNGs of a sensible size that change
when progress is logged, words that name the same numbers, and the picture reaching
the person through Telegram (sendPhoto), Discord (a file) and the console (a file)."""

from __future__ import annotations

import asyncio
import io
import struct
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import discord
import pytest
import yarl
from PIL import Image

from adapters.discord.adapter import DiscordChannel
from bot.goals.chart import goals_picture, week_picture
from bot.goals.service import GoalsService
from bot.runtime import Runtime, build_runtime
from bot.types import Identity, OutgoingMessage
from memory.inbox_replies import _dump, _load
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram
from tests.test_telegram import TOKEN, running, tg_settings
from tests.web_helpers import console

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the file decodes."""
    assert data.startswith(PNG_SIGNATURE)
    Image.open(io.BytesIO(data)).verify()
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def take_file(path: Path) -> bytes:
    data = path.read_bytes()
    path.unlink()
    return data


@pytest.fixture
async def rt(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(make_settings(tmp_path), clock=clock, model=None)
    yield runtime
    await runtime.close()


async def local_person(rt: Runtime) -> int:
    await console(rt, "/help")
    person = await rt.people.find(Identity("console", "local"))
    assert person is not None
    return person.id


async def test_the_chart_is_a_png_that_changes_when_progress_is_logged(
    rt: Runtime, clock: ManualClock
) -> None:
    goals: GoalsService = rt.services.goals
    pid = await local_person(rt)
    run = await goals.add(pid, "Run 3 times a week")
    await goals.log(pid, run, at=clock.now() - timedelta(days=7))
    drawn = await goals_picture(goals, pid)
    assert drawn is not None
    before, words = drawn
    width, height = png_size(before)
    assert width == 640 and 150 <= height <= 600 and 3_000 < len(before) < 200_000
    assert "Run 3 times a week: 0, 0, 0, 0, 0, 0, 1, 0 times, target 3 a week" in words
    assert "\n" not in words

    await goals.log(pid, run)
    await goals.log(pid, run)
    after, words = await goals_picture(goals, pid) or (b"", "")
    assert after != before and png_size(after) == (width, height)
    assert "0, 0, 0, 0, 0, 0, 1, 2 times" in words


async def test_the_weekly_review_picture_shows_each_goal_of_the_week(
    rt: Runtime, clock: ManualClock
) -> None:
    goals: GoalsService = rt.services.goals
    pid = await local_person(rt)
    run = await goals.add(pid, "Run 3 times a week")
    read = await goals.add(pid, "Read")
    await goals.log(pid, run)
    await goals.log(pid, run)
    await goals.log(pid, read, amount=20)
    await goals.log(pid, read, amount=15)
    await goals.log(pid, read, amount=99, at=clock.now() - timedelta(days=8))  # last week
    png, words = await week_picture(goals, pid)
    width, height = png_size(png)
    assert width == 640 and 100 <= height <= 600
    assert words == "Week of 4 May: Run 3 times a week 2 of 3; Read 35 logged."


async def test_goals_chart_on_telegram_is_a_photo_with_its_numbers(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    tg = await FakeTelegram(TOKEN).start()
    runtime = await build_runtime(tg_settings(tmp_path, fake_llm, tg), clock=clock)
    try:
        async with running(runtime, tg):
            tg.push_text(42, "/goals add Meditate every day")
            await tg.wait_for(lambda: tg.sent("sendMessage", 42))
            tg.push_text(42, "/goals log 1")
            await tg.wait_for(lambda: len(tg.sent("sendMessage", 42)) == 2)
            tg.push_text(42, "/goals chart")
            await tg.wait_for(lambda: tg.sent("sendPhoto", 42))
            tg.push_text(42, "/goals 7")
            await tg.wait_for(lambda: len(tg.sent("sendMessage", 42)) == 3)
    finally:
        await runtime.close()
        await tg.stop()
    [photo] = tg.sent("sendPhoto", 42)
    png_size(photo.files["photo"])
    assert "Meditate every day: 0, 0, 0, 0, 0, 0, 0, 1 times, target 7 a week" in str(
        photo.params["caption"]
    )
    assert "no goal number 7" in tg.texts(42)[-1]


async def test_the_console_saves_the_picture_and_prints_where(rt: Runtime) -> None:
    said = await console(rt, "/goals add Stretch daily", "/goals log 1 10 minutes", "/goals 1")
    line = next(x for x in said.splitlines() if x.startswith("(saved to "))
    png_size(take_file(Path(line.removeprefix("(saved to ").rsplit(", ", 1)[0])))
    assert "Stretch daily: 0, 0, 0, 0, 0, 0, 0, 10 logged" in said


async def test_discord_sends_the_picture_as_a_file(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = await FakeDiscord().start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api)
    gateway = yarl.URL(f"{server.url.replace('http', 'ws')}/gateway")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)
    channel = DiscordChannel("fake.discord.token", runtime=runtime, api_url=server.api)
    png = Image.new("RGB", (4, 4), "white")
    data = io.BytesIO()
    png.save(data, format="PNG")
    try:
        async with channel.client:
            await channel.client.login("fake.discord.token")
            await channel.send(
                Identity("discord", "412345678901234567"),
                OutgoingMessage(text="Run: 1, 2, 3 times", image=data.getvalue()),
            )
            await asyncio.sleep(0)
    finally:
        await server.stop()
    [sent] = server.sent()
    assert sent.files == {"picture.png": data.getvalue()}
    assert (sent.json or {})["content"] == "Run: 1, 2, 3 times"


def test_a_picture_reply_is_kept_with_the_saved_replies() -> None:
    message = OutgoingMessage(text="Run: 1 time", image=PNG_SIGNATURE + b"rest")
    assert _load(_dump(message)) == message
