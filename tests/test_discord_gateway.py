"""The Discord channel over the network, as in production: the real discord.py client
logs in over HTTP and holds a gateway websocket to the fake Discord on 127.0.0.1
(tests/fakes/discord_server.py, discord_gateway.py), found through
``COMPANION_DISCORD_API_URL``'s ``/gateway/bot``; the companion behind it is the real
engine with the fake OpenAI server.

Start-up failures come out as the two kinds a supervisor needs (a rejected token is
fatal and names the variable; an unreachable Discord is worth retrying), ``stop``
is prompt even while discord.py waits to reconnect, and several workers on one
inbox answer each DM once."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.channels import Outcome, run_channels
from adapters.discord.adapter import DiscordChannel, DiscordUnavailable, nonce_for
from adapters.telegram.adapter import TelegramChannel
from bot.channel import ChannelRefused
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.types import Button, Identity, OutgoingMessage
from tests.fakes.discord_server import REJECTED_TOKEN, FakeDiscord
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text
from tests.fakes.telegram_server import FakeTelegram
from tests.test_telegram import FAST, tg_settings
from tests.test_telegram import TOKEN as TG_TOKEN

TOKEN = "fake.discord.token"
SAM = 412345678901234567
ALEX = 412345678901234999


@pytest.fixture(name="fake_discord")
async def fake_discord_fixture(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    # discord.py keeps both addresses in class attributes, which the channel sets from
    # its API URL: put the real ones back after the test.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)
    yield server
    await server.stop()


def channel_for(runtime: Runtime, fake: FakeDiscord) -> DiscordChannel:
    channel = DiscordChannel(TOKEN, runtime=runtime, api_url=fake.api)
    runtime.outbox.register(channel)
    return channel


@asynccontextmanager
async def running(channel: DiscordChannel, runtime: Runtime) -> AsyncIterator[asyncio.Task[None]]:
    """The channel started as ``companion run`` starts it, stopped at the end."""
    task = asyncio.create_task(channel.start(runtime.companion.handle))
    try:
        yield task
    finally:
        await channel.stop()
        await asyncio.wait_for(task, 10)


async def until(predicate: Callable[[], bool], within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def settled(seconds: float = 0.5) -> None:
    """A duplicate answer would arrive in this time."""
    await asyncio.sleep(seconds)


# ---------------------------------------------------------------------- start-up


async def test_a_rejected_token_is_fatal_and_names_the_variable(
    runtime: Runtime, fake_discord: FakeDiscord
) -> None:
    channel = DiscordChannel(REJECTED_TOKEN, runtime=runtime, api_url=fake_discord.api)
    with pytest.raises(ChannelRefused, match="COMPANION_DISCORD_TOKEN"):
        await asyncio.wait_for(channel.start(runtime.companion.handle), 10)
    assert fake_discord.gateway.identifies == []  # it never got past the REST login

    # A token that REST takes but the gateway refuses (close 4004): fatal too.
    fake_discord.gateway.rejected.add("revoked.but.cached")
    channel = DiscordChannel("revoked.but.cached", runtime=runtime, api_url=fake_discord.api)
    with pytest.raises(ChannelRefused, match="COMPANION_DISCORD_TOKEN"):
        await asyncio.wait_for(channel.start(runtime.companion.handle), 10)
    assert [i["token"] for i in fake_discord.gateway.identifies] == ["revoked.but.cached"]


async def test_an_unreachable_discord_is_a_retryable_error(
    runtime: Runtime, fake_discord: FakeDiscord
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    channel = DiscordChannel(TOKEN, runtime=runtime, api_url=f"http://127.0.0.1:{closed}/api/v10")
    with pytest.raises(DiscordUnavailable):
        await asyncio.wait_for(channel.start(runtime.companion.handle), 10)

    # REST answers, the gateway refuses the websocket: also worth retrying. The same
    # channel object starts again (a supervisor retries it) and then connects.
    fake_discord.gateway.refusing = True
    channel = channel_for(runtime, fake_discord)
    with pytest.raises(DiscordUnavailable):
        await asyncio.wait_for(channel.start(runtime.companion.handle), 10)
    fake_discord.gateway.refusing = False
    async with running(channel, runtime):
        await fake_discord.gateway.wait_live(1)
        await fake_discord.say(SAM, "are you there?")
        dm = fake_discord.dm_channel(SAM)
        await until(lambda: fake_discord.posted(dm) == ["You said: are you there?"])


async def test_stop_is_prompt_while_discord_py_waits_to_reconnect(
    runtime: Runtime, fake_discord: FakeDiscord
) -> None:
    channel = channel_for(runtime, fake_discord)
    async with running(channel, runtime) as task:
        await fake_discord.gateway.wait_live(1)
        fake_discord.gateway.refusing = True
        await fake_discord.gateway.drop()
        await asyncio.sleep(1.5)  # discord.py is in its reconnect back-off now
        assert not task.done()
        started = time.monotonic()
        await channel.stop()
        await asyncio.wait_for(task, 10)
        assert time.monotonic() - started < 4.0


async def test_discord_unreachable_at_start_leaves_telegram_answering(
    tmp_path: Path, fake_llm: FakeOpenAI, fake_discord: FakeDiscord
) -> None:
    """``companion run``'s supervisor with both channels: Discord cannot be reached,
    Telegram answers all the same; Discord is retried with a back-off and answers
    once it is back."""
    await fake_discord.stop()
    port = int(fake_discord.url.rsplit(":", 1)[1])  # nothing listens there now
    tg = await FakeTelegram(TG_TOKEN).start()
    settings = tg_settings(
        tmp_path, fake_llm, tg, discord_token=TOKEN, discord_api_url=fake_discord.api
    )
    rt = await build_runtime(settings, with_features=False)
    telegram, dc = TelegramChannel(rt, tuning=FAST), DiscordChannel(TOKEN, runtime=rt)
    for channel in (telegram, dc):
        rt.outbox.register(channel)
    stop = asyncio.Event()
    run = asyncio.create_task(run_channels([telegram, dc], rt.companion.handle, stop))
    try:
        tg.push_text(42, "hello from Telegram")
        await tg.wait_for(lambda: tg.texts(42), within=20)
        assert tg.texts(42) == ["You said: hello from Telegram"]
        assert not run.done()
        await fake_discord.start(port)  # Discord is back: the next attempt connects
        await fake_discord.gateway.wait_live(1, within=30)
        await fake_discord.say(SAM, "hello from Discord")
        dm = fake_discord.dm_channel(SAM)
        await until(lambda: fake_discord.posted(dm) == ["You said: hello from Discord"])
        stop.set()
        assert await asyncio.wait_for(run, 20) == [Outcome.STOPPED, Outcome.STOPPED]
    finally:
        stop.set()
        await tg.stop()
        await rt.close()


# ---------------------------------------------------------------------- several workers


@asynccontextmanager
async def worker(settings: Settings, name: str) -> AsyncIterator[Runtime]:
    """One more worker process's runtime on the same database (role worker)."""
    rt = await build_runtime(settings.model_copy(update={"role": "worker", "worker_id": name}))
    try:
        yield rt
    finally:
        await rt.close()


async def test_two_workers_on_one_inbox_answer_each_dm_once(
    settings: Settings, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    """Two gateway sessions with one token each get every event (Discord without
    sharding); both record it, the inbox keeps one, the claim picks who answers. A
    worker that starts while another is answering does not answer that one too, and
    one person's messages keep their order across the two."""

    def replies(body: dict[str, Any]) -> Reply:
        text = last_user_text(body)
        return Reply(text=f"You said: {text}", delay=2.0 if "slow" in text else 0.05)

    fake_llm.responder = replies
    sam_dm, alex_dm = fake_discord.dm_channel(SAM), fake_discord.dm_channel(ALEX)
    async with worker(settings, "worker-1") as rt1, worker(settings, "worker-2") as rt2:
        one, two = channel_for(rt1, fake_discord), channel_for(rt2, fake_discord)
        async with running(one, rt1):
            await fake_discord.gateway.wait_live(1)
            await fake_discord.say(SAM, "a slow question")
            await until(lambda: len(fake_llm.chat_requests()) == 1)
            async with running(two, rt2):  # joins mid-answer: replays what is pending
                await fake_discord.gateway.wait_live(2)
                await fake_discord.say(SAM, "and a quick one")
                for n in range(4):
                    await fake_discord.say(ALEX, f"m{n}")
                await until(lambda: len(fake_discord.posted(sam_dm)) >= 2, within=10)
                await until(lambda: len(fake_discord.posted(alex_dm)) >= 4)
                await settled()
    assert fake_discord.posted(sam_dm) == ["You said: a slow question", "You said: and a quick one"]
    assert fake_discord.posted(alex_dm) == [f"You said: m{n}" for n in range(4)]
    assert len(fake_llm.chat_requests()) == 6


# ---------------------------------------------------------------------- buttons and sends


async def test_a_button_press_is_acknowledged_in_time_even_when_the_answer_is_slow(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    pressed: list[str] = []

    async def stretch(turn: Any, rest: str) -> str:
        pressed.append(rest)
        await asyncio.sleep(3.5)  # longer than Discord's 3 s to acknowledge
        return "Nice, well done!"

    runtime.companion.commands.add_callback("stretch", stretch)
    channel = channel_for(runtime, fake_discord)
    async with running(channel, runtime):
        await fake_discord.gateway.wait_live(1)
        await channel.send(
            Identity("discord", str(SAM)),
            OutgoingMessage(text="Did you stretch?", buttons=((Button("Yes", "stretch:yes"),),)),
        )
        dm = fake_discord.dm_channel(SAM)
        [question] = fake_discord.history[dm]
        await fake_discord.press(SAM, question, "c|stretch:yes")
        await until(lambda: "Nice, well done!" in fake_discord.posted(dm), within=10)
    [callback] = [r for r in fake_discord.requests if r.path.endswith("/callback")]
    assert callback.status == 200  # in time: not "Unknown interaction"
    assert pressed == ["yes"]


async def test_a_send_repeated_with_its_key_shows_once(
    runtime: Runtime, fake_discord: FakeDiscord
) -> None:
    """A reply or check-in sent again after a crash (same idempotency key) carries the
    same nonce: Discord returns the first message instead of posting it twice."""
    channel = channel_for(runtime, fake_discord)
    sam = Identity("discord", str(SAM))
    async with running(channel, runtime):
        await fake_discord.gateway.wait_live(1)
        message = OutgoingMessage(text="Time for your run?", key="checkin:7:2026-05-04")
        await channel.send(sam, message)
        await channel.send(sam, message)
        await channel.send(sam, OutgoingMessage(text="Time for your run?"))  # no key: new
    nonces = [(r.json or {}).get("nonce") for r in fake_discord.sent()]
    assert nonces[0] == nonces[1] == nonce_for("checkin:7:2026-05-04", 0)
    assert nonces[2] != nonces[0] and len(nonces[0] or "") <= 25
    assert fake_discord.posted(fake_discord.dm_channel(SAM)) == ["Time for your run?"] * 2


async def test_doctor_uses_the_api_url(tmp_path: Path, fake_discord: FakeDiscord) -> None:
    from adapters.discord.doctor import check_discord
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, discord_token=TOKEN, discord_api_url=fake_discord.api)
    result = await check_discord(settings)
    assert result.ok and "logged in as Companion" in result.detail
    assert "GET /api/v10/users/@me" in fake_discord.paths()
