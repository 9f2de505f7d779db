"""The Discord channel, without the network: real gateway payloads (JSON fixtures
shaped like Discord's MESSAGE_CREATE / INTERACTION_CREATE) go through discord.py's
own parsing, so ``on_message`` and the button callbacks fire with real
``discord.Message`` and ``discord.Interaction`` objects; everything discord.py sends
goes over HTTP to a fake Discord REST API on 127.0.0.1; the companion behind it is
the real engine with the fake OpenAI server."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import math
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import av
import discord
import numpy as np
import pytest
import yarl

from adapters.discord.adapter import DiscordChannel
from adapters.discord.voice import ogg_duration
from bot.channel import DeliveryError
from bot.runtime import Runtime, build_runtime
from bot.turn import TurnInput
from bot.types import (
    AttachmentKind,
    Button,
    ChannelRef,
    Identity,
    IncomingMessage,
    OutgoingMessage,
)
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.discord_server import BOT_ID, FakeDiscord, Fault, forbidden, rate_limited
from tests.fakes.discord_server import BOT_USER as BOT_USER_JSON
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text

FIXTURES = Path(__file__).parent / "fixtures" / "discord"
SAM = "412345678901234567"
SAM_ID = Identity("discord", SAM)
DM = 1369000000000000111
SERVER_CHANNEL = 1369000000000000222
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)


def payload(name: str, server: FakeDiscord, **changes: Any) -> dict[str, Any]:
    text = (FIXTURES / name).read_text().replace("{{CDN}}", f"{server.url}/cdn")
    data: dict[str, Any] = json.loads(text)
    data.update(changes)
    return data


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api)
    # The gateway too: nothing may leave loopback, even by mistake.
    gateway = yarl.URL(f"{server.url.replace('http', 'ws')}/gateway")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)
    yield server
    await server.stop()


@pytest.fixture
async def bot(runtime: Runtime, fake_discord: FakeDiscord) -> AsyncIterator[DiscordChannel]:
    channel = DiscordChannel("fake.discord.token", runtime=runtime)
    runtime.outbox.register(channel)
    async with channel.client:
        await channel.listen(runtime.companion.handle)
        await channel.client.login("fake.discord.token")
        yield channel
        await channel.stop()


async def settle(channel: DiscordChannel) -> None:
    """Let discord.py's scheduled event tasks start, then wait for them to finish."""
    for _ in range(3):
        for _ in range(5):
            await asyncio.sleep(0)
        await channel.idle()


async def feed(channel: DiscordChannel, data: dict[str, Any]) -> None:
    channel.client._connection.parse_message_create(copy.deepcopy(data))  # type: ignore[arg-type]
    await settle(channel)


async def press(channel: DiscordChannel, data: dict[str, Any]) -> None:
    channel.client._connection.parse_interaction_create(copy.deepcopy(data))  # type: ignore[arg-type]
    await settle(channel)


def opus_ogg(seconds: float = 1.5) -> bytes:
    """A real Ogg Opus file (a quiet tone), encoded with PyAV."""
    out = io.BytesIO()
    with av.open(out, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=48000)
        stream.layout = "mono"  # type: ignore[attr-defined]
        samples = int(48000 * seconds)
        frame_size = 960
        for start in range(0, samples, frame_size):
            t = (np.arange(start, start + frame_size) / 48000).astype("float32")
            chunk = (0.2 * np.sin(2 * math.pi * 440 * t)).astype("float32").reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate = 48000
            frame.pts = start
            for packet in stream.encode(frame):  # type: ignore[attr-defined]
                container.mux(packet)
        for packet in stream.encode(None):  # type: ignore[attr-defined]
            container.mux(packet)
    return out.getvalue()


# ---------------------------------------------------------------------- direct messages


async def test_dm_text_round_trip_through_the_engine(
    bot: DiscordChannel, runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    fake_llm.say("That's **great**, Sam! How did your legs feel? @everyone")
    data = payload("dm_text.json", fake_discord)
    await feed(bot, data)

    assert fake_discord.sent_texts(DM) == [
        "That's **great**, Sam! How did your legs feel? @everyone"
    ]
    sent = fake_discord.sent(DM)[0].json or {}
    assert sent["allowed_mentions"] == {"parse": []}  # nobody is pinged, ever
    assert f"POST /api/v10/channels/{DM}/typing" in fake_discord.paths()
    assert last_user_text(fake_llm.chat_requests()[0]).endswith(
        "I ran 5k this morning! @everyone should know"
    )
    person = await runtime.people.find(SAM_ID)
    assert person is not None and person.display_name == "Sam"
    turns = await runtime.turns.all(person.id)
    assert [t.role for t in turns] == ["user", "assistant"]
    assert turns[0].platform == "discord"
    assert await runtime.inbox.status("discord", data["id"]) == "done"

    # The same gateway event again (a redelivery) is not answered twice.
    await feed(bot, data)
    assert len(fake_discord.sent(DM)) == 1
    assert len(fake_llm.chat_requests()) == 1


async def test_voice_message_is_a_lazy_voice_attachment(
    bot: DiscordChannel, runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    fake_discord.cdn["voice-message.ogg"] = b"OggS-voice-bytes"
    seen: list[Any] = []

    async def transcribe(turn: TurnInput) -> None:  # stands in for the speech feature
        seen.extend(turn.message.attachments)
        assert not any("/cdn/" in p for p in fake_discord.paths())  # not fetched yet
        audio = await turn.message.attachments[0].fetch()
        turn.text = f"(voice note, {len(audio)} bytes) I feel great"

    # The stand-in replaces the real media feature: this test is about the adapter.
    runtime.companion.hooks.preprocessors[:] = [transcribe]
    fake_llm.say("Love to hear it.")
    await feed(bot, payload("dm_voice.json", fake_discord))

    [voice] = seen
    assert voice.kind is AttachmentKind.VOICE
    assert voice.mime == "audio/ogg" and voice.duration == pytest.approx(3.2)
    assert voice.filename == "voice-message.ogg" and voice.size == 9876
    assert "GET /cdn/voice-message.ogg" in fake_discord.paths()
    assert "(voice note, 16 bytes) I feel great" in last_user_text(fake_llm.chat_requests()[0])
    assert fake_discord.sent_texts(DM) == ["Love to hear it."]


async def test_image_and_audio_file_attachments(
    bot: DiscordChannel, runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    fake_discord.cdn["shoes.png"] = PNG
    seen: list[Any] = []

    async def look(turn: TurnInput) -> None:  # stands in for the vision feature
        seen.extend(turn.message.attachments)
        image = await turn.message.attachments[0].fetch()
        assert image == PNG
        turn.notes.append("(photo: a pair of running shoes)")

    runtime.companion.hooks.preprocessors[:] = [look]
    await feed(bot, payload("dm_image.json", fake_discord))

    kinds = [(a.kind, a.mime, a.filename) for a in seen]
    assert kinds == [
        (AttachmentKind.IMAGE, "image/png", "shoes.png"),
        (AttachmentKind.AUDIO, "audio/mpeg", "route.mp3"),
    ]
    paths = fake_discord.paths()
    assert "GET /cdn/shoes.png" in paths and "GET /cdn/route.mp3" not in paths
    assert "running shoes" in str(fake_llm.chat_requests()[0]["messages"][-1])


async def test_one_persons_messages_are_answered_in_order(
    bot: DiscordChannel, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    def slow_first(body: dict[str, Any]) -> Reply:
        text = last_user_text(body)
        return Reply(text=f"re {text}", delay=0.3 if text == "first" else 0.0)

    fake_llm.responder = slow_first
    for i, text in enumerate(["first", "second", "third"]):
        data = payload("dm_text.json", fake_discord, id=str(1369012346000000200 + i))
        bot.client._connection.parse_message_create({**data, "content": text})  # type: ignore[arg-type]
    await settle(bot)
    assert [last_user_text(r) for r in fake_llm.chat_requests()] == ["first", "second", "third"]
    assert fake_discord.sent_texts(DM) == ["re first", "re second", "re third"]


# ---------------------------------------------------------------------- servers


async def test_in_a_server_it_answers_only_when_mentioned(
    bot: DiscordChannel, runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    fake_llm.say("Noted, my secret is safe.", "Try a calf stretch.")
    await feed(bot, payload("dm_text.json", fake_discord, content="my secret is pineapple"))

    await feed(bot, payload("guild_chatter.json", fake_discord))
    assert fake_discord.sent(SERVER_CHANNEL) == []
    assert len(fake_llm.chat_requests()) == 1

    await feed(bot, payload("guild_mention.json", fake_discord))
    assert fake_discord.sent_texts(SERVER_CHANNEL) == ["Try a calf stretch."]
    prompt = fake_llm.chat_requests()[-1]
    assert last_user_text(prompt) == "what's a good stretch after running?"
    assert "pineapple" not in str(prompt)  # private conversation stays out of servers
    body = fake_discord.sent(SERVER_CHANNEL)[0].json or {}
    assert body["allowed_mentions"] == {"parse": []}  # the reply pings nobody either
    assert int(body["message_reference"]["message_id"]) == 1369012346000000004


async def test_in_a_server_replies_to_the_bot_count_and_private_commands_stay_private(
    bot: DiscordChannel, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    base = payload("guild_chatter.json", fake_discord)
    bot_message = {**base, "id": "1369012346000000010", "author": {**BOT_USER_JSON}}
    reply = {
        **base,
        "id": "1369012346000000011",
        "type": 19,
        "content": "and for the calves?",
        "message_reference": {
            "type": 0,
            "channel_id": str(SERVER_CHANNEL),
            "message_id": bot_message["id"],
            "guild_id": base["guild_id"],
        },
        "referenced_message": bot_message,
    }
    await feed(bot, reply)
    assert fake_discord.sent_texts(SERVER_CHANNEL) == ["You said: and for the calves?"]
    # A reply with the mention switched off reaches the bot without its text: ignored.
    await feed(bot, {**reply, "id": "1369012346000000012", "content": ""})
    assert len(fake_discord.sent(SERVER_CHANNEL)) == 1

    mention = payload("guild_mention.json", fake_discord)
    await feed(bot, {**mention, "content": f"<@{BOT_ID}> /link"})
    assert "private chat" in fake_discord.sent_texts(SERVER_CHANNEL)[-1]
    assert len(fake_llm.chat_requests()) == 1


async def test_button_presses_in_servers_are_ignored(
    bot: DiscordChannel, runtime: Runtime, fake_discord: FakeDiscord
) -> None:
    pressed: list[str] = []

    async def stretch(turn: TurnInput, rest: str) -> str:
        pressed.append(rest)
        return "done"

    runtime.companion.commands.add_callback("stretch", stretch)
    data = payload("button_press.json", fake_discord)
    data["guild_id"] = "1368000000000000333"
    data["channel_id"] = str(SERVER_CHANNEL)
    data["message"]["channel_id"] = str(SERVER_CHANNEL)
    data["member"] = {
        "user": data.pop("user"),
        "roles": [],
        "joined_at": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "0",
    }
    data["channel"] = {
        "id": str(SERVER_CHANNEL),
        "type": 0,
        "guild_id": data["guild_id"],
        "name": "running-club",
        "position": 1,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
        "permissions": "0",
    }
    await press(bot, data)
    assert pressed == [] and fake_discord.sent() == []
    assert any(r.path.endswith("/callback") for r in fake_discord.requests)  # acknowledged


async def test_allowed_users_refuse_once_and_store_nothing(
    tmp_path: Path, fake_discord: FakeDiscord, clock: ManualClock
) -> None:
    rt = await build_runtime(make_settings(tmp_path, allowed_users="1001"), clock=clock)
    channel = DiscordChannel("t.o.k", runtime=rt)
    try:
        async with channel.client:
            await channel.listen(rt.companion.handle)
            await channel.client.login("t.o.k")
            await feed(channel, payload("dm_text.json", fake_discord))
            await feed(channel, payload("dm_text.json", fake_discord, id="1369012346000000098"))
            await channel.stop()
    finally:
        await rt.close()
    [refusal] = fake_discord.sent_texts(DM)
    assert "private" in refusal
    assert await rt.people.find(SAM_ID) is None


async def test_group_mode_off_ignores_servers_entirely(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    channel = DiscordChannel("t.o.k", runtime=runtime, group_mode="off")
    async with channel.client:
        await channel.listen(runtime.companion.handle)
        await channel.client.login("t.o.k")
        await feed(channel, payload("guild_mention.json", fake_discord))
        await channel.stop()
    assert fake_discord.sent() == [] and fake_llm.chat_requests() == []


# ---------------------------------------------------------------------- rendering


async def test_long_reply_is_split_under_2000_at_boundaries(
    bot: DiscordChannel, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    paragraphs = [
        " ".join(f"Paragraph {p} sentence {s} is about running." for s in range(20))
        for p in range(6)
    ]
    fake_llm.say("\n\n".join(paragraphs))
    await feed(bot, payload("dm_text.json", fake_discord))
    texts = fake_discord.sent_texts(DM)
    assert len(texts) >= 3
    assert all(len(t) <= 2000 for t in texts)
    assert all(t.endswith("running.") for t in texts)  # cut at sentence ends
    assert " ".join(texts).split() == "\n\n".join(paragraphs).split()  # nothing lost
    assert all((r.json or {})["allowed_mentions"] == {"parse": []} for r in fake_discord.sent())


# ---------------------------------------------------------------------- buttons


async def test_button_press_becomes_callback_data(
    bot: DiscordChannel, runtime: Runtime, fake_discord: FakeDiscord
) -> None:
    pressed: list[tuple[int, str, bool]] = []

    async def stretch(turn: TurnInput, rest: str) -> str:
        pressed.append((turn.person.id, rest, turn.private))
        return "Nice, well done!"

    runtime.companion.commands.add_callback("stretch", stretch)
    data = payload("button_press.json", fake_discord)
    await press(bot, data)

    person = await runtime.people.find(SAM_ID)
    assert person is not None
    assert pressed == [(person.id, "yes", True)]
    callback = next(r for r in fake_discord.requests if r.path.endswith("/callback"))
    assert callback.path == f"/api/v10/interactions/{data['id']}/{data['token']}/callback"
    assert (callback.json or {})["type"] == 6  # deferred update: acknowledged in time
    assert fake_discord.sent_texts(DM) == ["Nice, well done!"]
    assert (fake_discord.sent(DM)[0].json or {})["allowed_mentions"] == {"parse": []}


async def test_core_buttons_are_sent_as_components(
    bot: DiscordChannel, fake_discord: FakeDiscord
) -> None:
    message = OutgoingMessage(
        text="Did you stretch today?",
        buttons=((Button("Yes", "stretch:yes"), Button("Not yet", "stretch:no")),),
    )
    await bot.send(SAM_ID, message)
    [sent] = fake_discord.sent()
    body = sent.json or {}
    assert sent.path == f"/api/v10/channels/{int(SAM) + 1}/messages"  # the DM it opened
    assert body["allowed_mentions"] == {"parse": []}
    [row] = body["components"]
    assert [(b["label"], b["custom_id"]) for b in row["components"]] == [
        ("Yes", "c|stretch:yes"),
        ("Not yet", "c|stretch:no"),
    ]


# ---------------------------------------------------------------------- files and voice


async def test_voice_reply_is_a_discord_voice_message(
    bot: DiscordChannel, fake_discord: FakeDiscord
) -> None:
    audio = opus_ogg(1.5)
    assert ogg_duration(audio) == pytest.approx(1.5, abs=0.05)
    await bot.send(SAM_ID, OutgoingMessage(text="Here's my answer:", voice=audio))
    text, voice = fake_discord.sent()
    assert (text.json or {})["content"] == "Here's my answer:"
    body = voice.json or {}
    assert body["flags"] == 8192  # IS_VOICE_MESSAGE
    assert body["allowed_mentions"] == {"parse": []}
    [attachment] = body["attachments"]
    assert attachment["duration_secs"] == pytest.approx(1.5, abs=0.05)
    assert attachment["waveform"]
    assert list(voice.files.values()) == [audio]


async def test_voice_falls_back_to_a_file_when_refused(
    bot: DiscordChannel, fake_discord: FakeDiscord
) -> None:
    audio = opus_ogg(0.5)
    fake_discord.fail(
        "POST /channels/{id}/messages", Fault(400, {"message": "Invalid Form Body", "code": 50035})
    )
    await bot.send(SAM_ID, OutgoingMessage(voice=audio))
    refused, fallback = fake_discord.sent()
    assert (refused.json or {})["flags"] == 8192
    assert "flags" not in (fallback.json or {}) or (fallback.json or {})["flags"] == 0
    assert list(fallback.files.values()) == [audio]


async def test_document_is_sent_as_a_file(bot: DiscordChannel, fake_discord: FakeDiscord) -> None:
    export = json.dumps({"turns": ["hello"]}).encode()
    await bot.send(
        SAM_ID,
        OutgoingMessage(
            text="Here is everything I keep about you.",
            document=export,
            document_name="companion-export.json",
        ),
    )
    [sent] = fake_discord.sent()
    assert (sent.json or {})["content"] == "Here is everything I keep about you."
    assert sent.files == {"companion-export.json": export}
    assert (sent.json or {})["allowed_mentions"] == {"parse": []}


# ---------------------------------------------------------------------- delivery faults


async def test_403_on_a_dm_marks_the_person_unreachable(
    bot: DiscordChannel, runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI
) -> None:
    await feed(bot, payload("dm_text.json", fake_discord))
    person = await runtime.people.find(SAM_ID)
    assert person is not None
    fake_discord.fail("POST /channels/{id}/messages", forbidden())
    assert await runtime.outbox.deliver(person.id, OutgoingMessage(text="check-in")) is None
    [identity] = await runtime.people.identities(person.id)
    assert identity.unreachable
    # Writing again makes the channel usable again.
    await feed(bot, payload("dm_text.json", fake_discord, id="1369012346000000099"))
    [identity] = await runtime.people.identities(person.id)
    assert not identity.unreachable


async def test_rate_limit_429_is_waited_out_and_retried(
    bot: DiscordChannel, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail("POST /channels/{id}/messages", rate_limited(0.4))
    await bot.send(SAM_ID, OutgoingMessage(text="after the limit"))
    first, second = fake_discord.sent()
    assert second.at - first.at >= 0.39
    assert (second.json or {})["content"] == "after the limit"


async def test_other_http_errors_are_temporary_delivery_errors(
    bot: DiscordChannel, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail(
        "POST /users/@me/channels", Fault(400, {"message": "Invalid Recipient(s)", "code": 50033})
    )
    with pytest.raises(DeliveryError) as caught:
        await bot.send(SAM_ID, OutgoingMessage(text="hi"))
    assert not caught.value.permanent


# ---------------------------------------------------------------------- crash recovery


async def test_unfinished_messages_are_fetched_again_and_handled_at_start(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    data = payload("dm_text.json", fake_discord, content="did you get this?")
    fake_discord.messages[int(data["id"])] = data
    # A previous run recorded the message, then crashed before answering.
    entry = await runtime.inbox.record(
        "discord",
        data["id"],
        json.dumps(
            {"kind": "message", "channel_id": DM, "message_id": int(data["id"]), "private": True}
        ),
        at=clock.now(),
        user_key=SAM,
    )
    clock.advance(minutes=1)
    channel = DiscordChannel("t.o.k", runtime=runtime)
    async with channel.client:
        await channel.client.login("t.o.k")
        await channel.listen(runtime.companion.handle)  # replays what is pending
        await channel.idle()
        await channel.stop()
    assert f"GET /api/v10/channels/{DM}/messages/{data['id']}" in fake_discord.paths()
    assert last_user_text(fake_llm.chat_requests()[0]) == "did you get this?"
    assert fake_discord.sent_texts(DM) == ["You said: did you get this?"]
    assert entry is not None
    assert await runtime.inbox.status("discord", data["id"]) == "done"


# ---------------------------------------------------------------------- one person


async def test_telegram_history_reaches_the_model_on_discord_after_link(
    bot: DiscordChannel,
    runtime: Runtime,
    fake_discord: FakeDiscord,
    fake_llm: FakeOpenAI,
    clock: ManualClock,
) -> None:
    telegram = Identity("telegram", "777000111")

    def on_telegram(text: str) -> IncomingMessage:
        return IncomingMessage(telegram, ChannelRef("telegram", "777000111"), text=text)

    await runtime.companion.handle(on_telegram("My sister Anna runs marathons."))
    clock.advance(minutes=5)
    [asked] = await runtime.companion.handle(on_telegram("/link"))
    found = re.search(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*", asked.text)
    assert found
    clock.advance(minutes=1)
    await feed(bot, payload("dm_text.json", fake_discord, content=f"/link {found.group(1)}"))
    assert fake_discord.sent_texts(DM)[-1].startswith("Linked: Discord and Telegram")

    clock.advance(minutes=1)
    fake_llm.push(Reply(text="Anna, the marathon runner!"))
    await feed(
        bot,
        payload("dm_text.json", fake_discord, id="1369012346000000077", content="who is Anna?"),
    )
    prompt = fake_llm.chat_requests()[-1]["messages"]
    assert any("Anna runs marathons" in str(m.get("content")) for m in prompt[1:-1])
    assert fake_discord.sent_texts(DM)[-1] == "Anna, the marathon runner!"
    tg_person = await runtime.people.find(telegram)
    dc_person = await runtime.people.find(SAM_ID)
    assert tg_person is not None and dc_person is not None and tg_person.id == dc_person.id


def test_intents_are_minimal() -> None:
    from adapters.discord.adapter import intents

    wanted = intents()
    assert not wanted.message_content and not wanted.members and not wanted.presences
    assert wanted.dm_messages and wanted.guild_messages
    assert BOT_ID  # the fake's bot id is the one the fixtures mention


async def test_start_runs_in_a_task_over_the_gateway_and_stops_cleanly(
    runtime: Runtime, fake_discord: FakeDiscord, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    """The production path: ``start`` logs in and connects to the (fake) gateway in
    a task beside other work, answers a MESSAGE_CREATE pushed over the socket,
    handles what an earlier run left unfinished, and ``stop`` ends the task."""
    left = payload("dm_text.json", fake_discord, id="1369012346000000055", content="left over")
    fake_discord.messages[int(left["id"])] = left
    pending = {"kind": "message", "channel_id": DM, "message_id": int(left["id"]), "private": True}
    await runtime.inbox.record(
        "discord", left["id"], json.dumps(pending), at=clock.now(), user_key=SAM
    )
    clock.advance(seconds=1)
    channel = DiscordChannel("fake.discord.token", runtime=runtime, api_url=fake_discord.api)
    task = asyncio.create_task(channel.start(runtime.companion.handle))
    await fake_discord.gateway.wait_live(1)
    assert "GET /api/v10/gateway/bot" in fake_discord.paths()  # where the gateway is
    [identify] = fake_discord.gateway.identifies
    assert identify["intents"] == channel.client.intents.value
    assert not identify["intents"] & (1 << 15)  # no message-content intent
    assert identify["token"] == "fake.discord.token"

    await fake_discord.dispatch("MESSAGE_CREATE", payload("dm_text.json", fake_discord))
    for _ in range(200):
        if len(fake_discord.sent(DM)) >= 2:
            break
        await asyncio.sleep(0.05)
    assert sorted(fake_discord.sent_texts(DM)) == [
        "You said: I ran 5k this morning! @everyone should know",
        "You said: left over",
    ]
    assert await runtime.inbox.status("discord", left["id"]) == "done"
    assert not task.done()
    await channel.stop()
    await asyncio.wait_for(task, timeout=10)
    assert fake_discord.gateway.live() == []


async def test_doctor_checks_the_token_and_prints_the_invite_link(
    tmp_path: Path, fake_discord: FakeDiscord
) -> None:
    from adapters.discord.doctor import check_discord
    from tests.fakes.discord_server import APP_ID, REJECTED_TOKEN

    good = await check_discord(make_settings(tmp_path, discord_token="good.token.value"))
    assert good.ok and "logged in as Companion" in good.detail
    assert f"client_id={APP_ID}" in good.detail and "scope=bot" in good.detail
    bad = await check_discord(make_settings(tmp_path, discord_token=REJECTED_TOKEN))
    assert not bad.ok and "rejected the token" in bad.detail and "Reset Token" in bad.fix
    unset = await check_discord(make_settings(tmp_path))
    assert unset.optional
