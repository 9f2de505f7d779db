"""The Telegram channel: the real python-telegram-bot client over HTTP against a fake
Bot API server on 127.0.0.1, the real engine, the fake OpenAI server, real SQLite."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import itertools
import json
import logging
import socket
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import av
import numpy as np
import pytest

from adapters.channels import configured_channels
from adapters.telegram.adapter import TelegramChannel, Tuning, _uncancelled
from adapters.telegram.limits import Limits
from adapters.telegram.transport import SendingRequest, readable
from bot.channel import DeliveryError
from bot.commands import Command
from bot.config import Settings
from bot.logs import RedactSecrets
from bot.runtime import Runtime, build_runtime
from bot.turn import TurnInput
from bot.types import Attachment, Button, Identity, OutgoingMessage
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.telegram_server import BOT_ID, BOT_USERNAME, FakeTelegram, Fault

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


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram(TOKEN).start()
    yield server
    await server.stop()


def tg_settings(tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, **kw: object) -> Settings:
    return make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        telegram_token=TOKEN,
        telegram_api_url=tg.base_url,
        **kw,
    )


@pytest.fixture
async def rt(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(tg_settings(tmp_path, fake_llm, tg), clock=clock)
    yield runtime
    await runtime.close()


@asynccontextmanager
async def running(
    runtime: Runtime, tg: FakeTelegram, tuning: Tuning = FAST
) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(runtime, tuning=tuning)
    runtime.outbox.register(channel)
    task = asyncio.create_task(channel.start(runtime.companion.handle))
    try:
        await tg.wait_for(lambda: tg.sent("getUpdates") or task.done())
        yield channel
    finally:
        await channel.stop()
        await asyncio.wait_for(task, 10)


def tiny_ogg_opus() -> bytes:
    """Half a second of a 440 Hz tone, encoded as Telegram voice notes are."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48000)
        stream.layout = "mono"  # type: ignore[union-attr]
        t = np.arange(24000) / 48000
        samples = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = 48000
        for packet in stream.encode(frame):  # type: ignore[union-attr]
            out.mux(packet)
        for packet in stream.encode(None):  # type: ignore[union-attr]
            out.mux(packet)
    return buf.getvalue()


def capture_attachments(runtime: Runtime) -> list[tuple[Attachment, bytes]]:
    """A preprocessor standing in for the media feature: fetch, keep, answer."""
    seen: list[tuple[Attachment, bytes]] = []

    async def pre(turn: TurnInput) -> None:
        for attachment in turn.message.attachments:
            if attachment.fetcher is not None:
                data = await attachment.fetch()
                seen.append((attachment, data))
                turn.reply = [OutgoingMessage(text=f"got {attachment.kind} {len(data)} bytes")]

    # The stand-in replaces the real media feature: these tests are about the adapter.
    runtime.companion.hooks.preprocessors[:] = [pre]
    return seen


# ---------------------------------------------------------------------- conversation


async def test_text_round_trip_through_the_engine(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    fake_llm.say("Hello Sam! How was the **run**?")
    async with running(rt, tg):
        update_id = tg.push_text(42, "I went for a run")
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
        await tg.wait_for(lambda: tg.confirmed > update_id)
    sent = tg.sent("sendMessage", 42)
    assert len(sent) == 1
    assert sent[0].params["text"] == "Hello Sam! How was the <b>run</b>?"
    assert sent[0].params["parse_mode"] == "HTML"
    assert tg.sent("sendChatAction", 42)[0].params["action"] == "typing"
    assert {c["command"] for c in tg.commands} >= {"start", "help", "reset"}
    person = await rt.people.find(Identity("telegram", "42"))
    assert person is not None and person.display_name == "Sam"
    turns = await rt.turns.all(person.id)
    assert [t.content for t in turns] == ["I went for a run", "Hello Sam! How was the **run**?"]
    assert await rt.inbox.status("telegram", str(update_id)) == "done"


async def test_replies_go_through_the_cheap_idle_check_and_survive_closed_connections(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    """The sending pool runs on adapters/telegram/transport.py (an upgrade of PTB or
    httpx that bypassed it would show here), and a kept-alive connection the server
    closed meanwhile is noticed as readable and replaced, not written to."""
    fake_llm.say("first")
    async with running(rt, tg) as channel:
        request = channel.bot._request[1]
        assert isinstance(request, SendingRequest)
        tg.push_text(43, "hello")
        await tg.wait_for(lambda: tg.sent("sendMessage", 43))
        assert request.backend is not None and request.backend.connections >= 1
        opened = request.backend.connections
        await tg.drop_connections()  # the server closes every kept-alive connection
        fake_llm.say("second")
        tg.push_text(43, "again")
        await tg.wait_for(lambda: len(tg.sent("sendMessage", 43)) == 2)
        assert request.backend.connections > opened  # a fresh one, after the check
    assert [c.params["text"] for c in tg.sent("sendMessage", 43)] == ["first", "second"]


def test_an_idle_socket_is_readable_only_once_its_peer_closed() -> None:
    left, right = socket.socketpair()
    try:
        assert readable(left) is False
        right.close()
        assert readable(left) is True
    finally:
        left.close()
    assert readable(left) is True  # closed here: unknown, so never reused
    assert readable(None) is True


async def test_voice_note_reaches_the_core_as_a_fetchable_attachment(
    rt: Runtime, tg: FakeTelegram
) -> None:
    seen = capture_attachments(rt)
    ogg = tiny_ogg_opus()
    file_id = tg.add_file(ogg, "voice/file_7.oga")
    voice = {
        "file_id": file_id,
        "file_unique_id": "u7",
        "duration": 1,
        "mime_type": "audio/ogg",
        "file_size": len(ogg),
    }
    async with running(rt, tg):
        tg.push(message=tg.message(42, voice=voice))
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
    attachment, data = seen[0]
    assert attachment.kind == "voice" and attachment.mime == "audio/ogg"
    assert attachment.duration == 1.0 and attachment.size == len(ogg)
    assert data == ogg
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.audio[0].codec_context.name == "opus"
    assert tg.texts(42) == [f"got voice {len(ogg)} bytes"]
    assert [c.params["file_id"] for c in tg.sent("getFile")] == [file_id]


async def test_photo_and_image_document_and_sticker(rt: Runtime, tg: FakeTelegram) -> None:
    seen = capture_attachments(rt)
    small, large = tg.add_file(b"small-jpeg", "photos/s.jpg"), tg.add_file(b"LARGE", "photos/l.jpg")
    png = tg.add_file(b"\x89PNG-bytes", "documents/d.png")
    photo = [
        {"file_id": small, "file_unique_id": "s", "width": 90, "height": 90, "file_size": 10},
        {"file_id": large, "file_unique_id": "l", "width": 800, "height": 800, "file_size": 5},
    ]
    document = {
        "file_id": png,
        "file_unique_id": "d",
        "file_name": "d.png",
        "mime_type": "image/png",
    }
    sticker = {
        "file_id": "st",
        "file_unique_id": "stu",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    async with running(rt, tg):
        tg.push(message=tg.message(42, photo=photo, caption="my dog"))
        tg.push(message=tg.message(42, document=document))
        tg.push(message=tg.message(42, sticker=sticker))
        await tg.wait_for(lambda: len(tg.sent("sendMessage", 42)) == 3)
    assert [(a.kind, d) for a, d in seen] == [("image", b"LARGE"), ("image", b"\x89PNG-bytes")]
    texts = tg.texts(42)
    assert texts[:2] == ["got image 5 bytes", "got image 10 bytes"]
    assert "a sticker" in texts[2] and "in words" in texts[2]


async def test_buttons_and_a_button_press(rt: Runtime, tg: FakeTelegram) -> None:
    async def choose(turn: TurnInput, args: str) -> OutgoingMessage:
        row = (Button("Done", "pick:done"), Button("Skip", "pick:skip"))
        return OutgoingMessage(text="Did you stretch?", buttons=(row,))

    async def picked(turn: TurnInput, rest: str) -> str:
        return f"Noted: {rest}"

    rt.companion.commands.add(Command("choose", "pick something", choose))
    rt.companion.commands.add_callback("pick", picked)
    async with running(rt, tg):
        tg.push_text(42, "/choose")
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
        tg.push_callback(42, "pick:done")
        await tg.wait_for(lambda: len(tg.sent("sendMessage", 42)) == 2)
    first, second = tg.sent("sendMessage", 42)
    keyboard = first.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in keyboard] == [["Done", "Skip"]]
    assert keyboard[0][0]["callback_data"] == "pick:done"
    assert second.params["text"] == "Noted: done"
    assert len(tg.sent("answerCallbackQuery")) == 1
    assert "choose" in {c["command"] for c in tg.commands}


async def test_long_reply_is_split_at_paragraphs(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    paragraphs = [
        f"Paragraph {i}. " + ("All good things take time. " * 60).strip() for i in range(6)
    ]
    fake_llm.say("\n\n".join(paragraphs))
    async with running(rt, tg):
        tg.push_text(42, "tell me a long story")
        await tg.wait_for(lambda: len(tg.sent("sendMessage", 42)) >= 3)
        await asyncio.sleep(0.2)
    texts = tg.texts(42)
    assert len(texts) == 3
    assert all(len(t) <= 4096 for t in texts)
    assert all(t.startswith("Paragraph") and t.endswith("time.") for t in texts)
    assert "\n\n".join(texts) == "\n\n".join(paragraphs)


async def test_bad_markup_falls_back_to_plain_text(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    fake_llm.say("This is **important** and [here](https://example.org)")
    tg.fail("sendMessage", Fault(400, "Bad Request: can't parse entities: unsupported tag"))
    async with running(rt, tg):
        tg.push_text(42, "hi")
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
    attempts = [c for c in tg.calls if c.method == "sendmessage"]
    assert [c.status for c in attempts] == [400, 200]
    assert attempts[0].params["parse_mode"] == "HTML"
    assert "parse_mode" not in attempts[1].params
    assert attempts[1].params["text"] == "This is important and here (https://example.org)"


async def test_a_storm_of_429s_is_waited_out_without_doubles(rt: Runtime, tg: FakeTelegram) -> None:
    tg.fail("sendMessage", *[Fault(429, "Too Many Requests: retry after 1", retry_after=1)] * 3)
    async with running(rt, tg):
        for user in (1, 2, 3):
            tg.push_text(user, f"hello from {user}")
        await tg.wait_for(lambda: len(tg.sent("sendMessage")) == 3, within=15)
        await asyncio.sleep(0.3)
    assert [c.status for c in tg.calls if c.method == "sendmessage"].count(429) == 3
    for user in (1, 2, 3):
        assert tg.texts(user) == [f"You said: hello from {user}"]
        calls = [c for c in tg.calls if c.method == "sendmessage" and c.params["chat_id"] == user]
        for before, after in itertools.pairwise(calls):
            if before.status == 429:  # nothing went to that chat before retry_after passed
                assert after.at - before.at >= 0.95


async def test_an_ambiguous_timeout_is_not_resent(rt: Runtime, tg: FakeTelegram) -> None:
    tuning = dataclasses.replace(FAST, read_timeout=0.5)
    tg.fail("sendMessage", Fault(delay=1.5, succeed_after_delay=True))
    async with running(rt, tg, tuning):
        update_id = tg.push_text(42, "hi")
        for _ in range(100):
            if await rt.inbox.status("telegram", str(update_id)) == "failed":
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.2)  # the slow answer has arrived by now; no second try came
    assert len([c for c in tg.calls if c.method == "sendmessage"]) == 1
    assert await rt.inbox.status("telegram", str(update_id)) == "failed"


async def test_typing_shows_while_the_core_works_and_stop_finishes_it(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    fake_llm.push(Reply(text="Thought about it.", delay=1.0))
    channel = TelegramChannel(rt, tuning=FAST)
    task = asyncio.create_task(channel.start(rt.companion.handle))
    await tg.wait_for(lambda: tg.sent("getUpdates"))
    update_id = tg.push_text(42, "a hard question")
    await tg.wait_for(lambda: fake_llm.chat_requests())
    await channel.stop()  # while the model is still thinking
    await asyncio.wait_for(task, 10)
    assert tg.texts(42) == ["Thought about it."]
    assert len(tg.sent("sendChatAction", 42)) >= 3  # kept up while the model thought
    assert await rt.inbox.status("telegram", str(update_id)) == "done"


async def test_a_reply_that_surely_did_not_go_out_is_sent_later_not_dropped(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    """Every attempt refused before delivery (here 500s; a full connection pool is the
    same): the entry stays pending and its saved reply goes out later, once."""
    tg.fail("sendMessage", *(Fault(500) for _ in range(3)))
    tuning = dataclasses.replace(FAST, max_send_attempts=2, resend_after=0.2)
    async with running(rt, tg, tuning):
        update_id = tg.push_text(42, "hello")
        await tg.wait_for(lambda: tg.texts(42), within=10)
        await asyncio.sleep(0.3)  # time for a double to show up
        status = await rt.inbox.status("telegram", str(update_id))
    assert tg.texts(42) == ["You said: hello"]
    tries = [c.status for c in tg.calls if c.method == "sendmessage"]
    assert tries == [500, 500, 500, 200]  # two refused, then later once more, then sent
    assert len(fake_llm.chat_requests()) == 1  # the core was not asked again
    assert status == "done"


async def test_a_typing_call_is_finished_when_no_longer_needed() -> None:
    """Cancelling a request while httpcore's pool is busy can leak its slot for good
    (encode/httpcore#1093): the typing indicator lets its last call finish instead."""
    finished = asyncio.Event()

    async def call() -> None:
        await asyncio.sleep(0.2)
        finished.set()

    waiter = asyncio.create_task(_uncancelled(call()))
    await asyncio.sleep(0.05)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await asyncio.wait_for(finished.wait(), 1)


async def test_server_errors_on_polling_are_survived(rt: Runtime, tg: FakeTelegram) -> None:
    tg.fail("getUpdates", Fault(500), Fault(502, "Bad Gateway"))
    async with running(rt, tg):
        tg.push_text(42, "still there?")
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
    assert tg.texts(42) == ["You said: still there?"]


async def test_a_full_disk_gets_one_note_and_the_message_waits(
    rt: Runtime, tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite cannot record the update while the disk is full: the person hears why
    once (not at every retry), and the message is answered when there is room."""
    real = rt.inbox.record_many
    full = {"left": 4}

    async def record_many(*args: Any, **kw: Any) -> Any:
        if full["left"] > 0:
            full["left"] -= 1
            raise sqlite3.OperationalError("database or disk is full")
        return await real(*args, **kw)

    monkeypatch.setattr(rt.inbox, "record_many", record_many)
    async with running(rt, tg):
        tg.push_text(42, "are you there?")
        await tg.wait_for(lambda: "You said: are you there?" in tg.texts(42), within=20)
    notes = [t for t in tg.texts(42) if "disk" in t]
    assert len(notes) == 1 and "not lost" in notes[0]
    assert tg.texts(42)[-1] == "You said: are you there?"
    assert full["left"] == 0  # it really failed four times first


async def test_a_redelivered_update_is_not_handled_twice(rt: Runtime, tg: FakeTelegram) -> None:
    async with running(rt, tg):
        update_id = tg.push_text(42, "once")
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
        await tg.wait_for(lambda: tg.confirmed > update_id)
        again = {"update_id": update_id, "message": tg.message(42, "once")}
        tg.updates.append(again)  # Telegram sends it again (e.g. an offset lost)
        tg.push_text(42, "twice")
        await tg.wait_for(lambda: len(tg.sent("sendMessage", 42)) >= 2)
        await asyncio.sleep(0.3)
    assert tg.texts(42) == ["You said: once", "You said: twice"]


async def test_groups_answer_only_when_addressed(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    group = -100200
    bot_message = {
        "message_id": 5,
        "date": int(time.time()),
        "chat": {"id": group, "type": "supergroup", "title": "A group"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Companion"},
        "text": "earlier",
    }
    mention = f"@{BOT_USERNAME}"
    async with running(rt, tg):
        tg.push_text(7, "just chatting among us", chat_id=group, chat_type="supergroup")
        tg.push(
            message=tg.message(
                7,
                f"{mention} hi there",
                chat_id=group,
                chat_type="supergroup",
                entities=[{"type": "mention", "offset": 0, "length": len(mention)}],
            )
        )
        tg.push(
            message=tg.message(
                7, "and this", chat_id=group, chat_type="supergroup", reply_to_message=bot_message
            )
        )
        await tg.wait_for(lambda: len(tg.sent("sendMessage", group)) == 2)
        await asyncio.sleep(0.3)
    assert tg.texts(group) == ["You said: hi there", "You said: and this"]
    assert len(fake_llm.chat_requests()) == 2
    assert len(tg.sent("sendChatAction", group)) == 2  # no "typing..." for group chatter


async def test_group_chatter_from_strangers_gets_no_refusal(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    settings = tg_settings(tmp_path, fake_llm, tg, allowed_users="42")
    runtime = await build_runtime(settings, clock=clock)
    try:
        async with running(runtime, tg):
            tg.push_text(7, "talking to my friends", chat_id=-5, chat_type="group")
            tg.push_text(7, "hello bot?")  # a stranger in a DM: one polite refusal
            tg.push_text(42, "hi")
            await tg.wait_for(lambda: tg.sent("sendMessage", 42) and tg.sent("sendMessage", 7))
            await asyncio.sleep(0.3)
        assert tg.sent("sendMessage", -5) == []
        assert "private" in tg.texts(7)[0] and len(tg.texts(7)) == 1
        assert tg.texts(42) == ["You said: hi"]
        assert await runtime.people.find(Identity("telegram", "7")) is None
    finally:
        await runtime.close()


async def test_blocked_bot_marks_the_person_unreachable(rt: Runtime, tg: FakeTelegram) -> None:
    async with running(rt, tg) as channel:
        tg.push_text(42, "hi")
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
        person = await rt.people.find(Identity("telegram", "42"))
        assert person is not None
        tg.fail("sendMessage", Fault(403, "Forbidden: bot was blocked by the user"))
        with pytest.raises(DeliveryError) as caught:
            await channel.send(Identity("telegram", "42"), OutgoingMessage(text="check-in"))
        assert caught.value.permanent
        [identity] = await rt.people.identities(person.id)
        assert identity.unreachable
        # Proactive sends now skip Telegram, until they write again.
        assert await rt.outbox.deliver(person.id, OutgoingMessage(text="again")) is None
        tg.push_text(42, "I'm back")
        await tg.wait_for(lambda: len(tg.sent("sendMessage", 42)) == 2)
        [identity] = await rt.people.identities(person.id)
        assert not identity.unreachable


async def test_voice_and_document_replies(rt: Runtime, tg: FakeTelegram) -> None:
    ogg = tiny_ogg_opus()

    async def export(turn: TurnInput, args: str) -> list[OutgoingMessage]:
        return [
            OutgoingMessage(text="Here you go", voice=ogg),
            OutgoingMessage(text="Your data", document=b'{"a": 1}', document_name="me.json"),
        ]

    rt.companion.commands.add(Command("files", "send files", export))
    async with running(rt, tg):
        tg.push_text(42, "/files")
        await tg.wait_for(lambda: tg.sent("sendDocument", 42))
    [voice] = tg.sent("sendVoice", 42)
    assert voice.files["voice"] == ogg and voice.params["caption"] == "Here you go"
    [document] = tg.sent("sendDocument", 42)
    assert document.files["document"] == b'{"a": 1}' and document.params["caption"] == "Your data"
    assert tg.sent("sendMessage", 42) == []


@asynccontextmanager
async def webhook_channel(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock, secret: str
) -> AsyncIterator[tuple[Runtime, TelegramChannel, asyncio.Task[None]]]:
    """The channel in webhook mode on a free local port, registered with the fake."""
    settings = tg_settings(
        tmp_path,
        fake_llm,
        tg,
        telegram_webhook_url="https://bot.example.org/tg/hook",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=0,
        telegram_webhook_secret=secret,
    )
    runtime = await build_runtime(settings, clock=clock)
    channel = TelegramChannel(runtime, tuning=FAST)
    task = asyncio.create_task(channel.start(runtime.companion.handle))
    try:
        await tg.wait_for(lambda: tg.webhook is not None)
        yield runtime, channel, task
    finally:
        await channel.stop()
        await task
        await runtime.close()


async def test_webhook_checks_the_secret_on_every_request(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    secret = "s3cret-token_value"
    async with webhook_channel(tmp_path, fake_llm, tg, clock, secret) as (runtime, channel, _):
        assert tg.webhook is not None
        assert tg.webhook["url"] == "https://bot.example.org/tg/hook"
        assert tg.webhook["secret_token"] == "s3cret-token_value"
        hook = f"http://127.0.0.1:{channel.webhook_port}/tg/hook"
        update = {"update_id": 501, "message": tg.message(42, "via webhook")}
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(hook, json=update, headers=headers) as response:
                    assert response.status == 403
            assert await runtime.inbox.status("telegram", "501") is None
            good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_value"}
            async with http.post(hook, json=update, headers=good) as response:
                assert response.status == 200
            assert await runtime.inbox.status("telegram", "501") is not None
            await tg.wait_for(lambda: tg.sent("sendMessage", 42))
            async with http.post(hook, json=update, headers=good) as response:
                assert response.status == 200  # a redelivery: acknowledged, not redone
        await asyncio.sleep(0.2)
        assert tg.texts(42) == ["You said: via webhook"]
        assert tg.sent("getUpdates") == []


async def test_token_never_reaches_the_logs(
    rt: Runtime, tg: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """Every log line, DEBUG included, through the redaction the app installs."""
    caplog.handler.addFilter(RedactSecrets(rt.settings.secrets()))
    tg.fail("sendMessage", Fault(500), Fault(403, "Forbidden: bot was blocked by the user"))
    with caplog.at_level(logging.DEBUG):
        async with running(rt, tg):
            tg.push_text(42, "one")
            tg.push_text(43, "two")
            # 500 (retried), 403, then the retry that gets through.
            await tg.wait_for(lambda: len([c for c in tg.calls if c.method == "sendmessage"]) >= 3)
            await asyncio.sleep(0.3)
    text = caplog.text
    assert "getUpdates" in text and "[redacted]" in text  # token-bearing lines were logged
    assert TOKEN not in text and TOKEN.split(":")[1] not in text


async def test_channel_is_configured_only_with_a_token(tmp_path: Path) -> None:
    runtime = await build_runtime(make_settings(tmp_path), model=None)
    try:
        assert configured_channels(runtime) == []
        runtime.settings.telegram_token = make_settings(
            tmp_path, telegram_token=TOKEN
        ).telegram_token
        [channel] = configured_channels(runtime)
        assert isinstance(channel, TelegramChannel)
    finally:
        await runtime.close()


@pytest.mark.slow  # two CLI processes
async def test_doctor_checks_the_token_against_the_bot_api(
    tmp_path: Path, tg: FakeTelegram
) -> None:
    from tests.test_cli import companion

    env = {
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_TELEGRAM_TOKEN": TOKEN,
        "COMPANION_TELEGRAM_API_URL": tg.base_url,
    }
    _code, out, err = await companion(["doctor"], env, cwd=tmp_path)
    assert f"[ok  ] telegram: @{BOT_USERNAME} answered (long polling)" in out, out + err
    env["COMPANION_TELEGRAM_TOKEN"] = "111111111:AAWrongTokenWrongTokenWrongToken000"
    code, out, err = await companion(["doctor"], env, cwd=tmp_path)
    assert code == 1 and "[FAIL] telegram: Telegram refused the bot token" in out
    assert "AAWrongTokenWrongToken" not in out + err


async def test_files_over_the_download_limit_are_not_fetched(rt: Runtime, tg: FakeTelegram) -> None:
    channel = TelegramChannel(rt, tuning=FAST)
    with pytest.raises(ValueError, match="20 MB"):
        await channel._fetch_file("big", 25 * 1024 * 1024)
    assert tg.sent("getFile") == []


async def _crashed_mid_send(rt: Runtime, tg: FakeTelegram, channel: TelegramChannel) -> int:
    """The state a kill -9 leaves when the core had answered with two messages and
    the first of them had gone out."""
    update = {"update_id": 900, "message": tg.message(42, "tell me two things")}
    entry = await rt.inbox.record(
        "telegram", "900", json.dumps(update), at=rt.clock.now(), user_key="42"
    )
    assert entry is not None
    # The crashed process was this deployment's single process: same worker id.
    assert await rt.inbox.claim(entry, rt.worker_id, at=rt.clock.now())
    parts = [OutgoingMessage(text="part one"), OutgoingMessage(text="part two")]
    await channel.replies.save(entry, parts, at=rt.clock.now())
    await channel.replies.mark_sent(entry, 1)
    return entry


async def test_restart_sends_only_the_unsent_rest_without_asking_the_core_again(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    probe = TelegramChannel(rt, tuning=FAST)
    entry = await _crashed_mid_send(rt, tg, probe)
    async with running(rt, tg):
        await tg.wait_for(lambda: tg.sent("sendMessage", 42))
        await asyncio.sleep(0.2)
    assert tg.texts(42) == ["part two"]
    assert fake_llm.chat_requests() == []
    assert await rt.inbox.status("telegram", "900") == "done"
    assert await probe.replies.get(entry) is None


async def test_unsent_replies_are_exported_and_erased(rt: Runtime, tg: FakeTelegram) -> None:
    channel = TelegramChannel(rt, tuning=FAST)
    person = await rt.people.resolve(Identity("telegram", "42"), now=rt.clock.now())
    entry = await _crashed_mid_send(rt, tg, channel)
    exported = await rt.export_person(person.id)
    assert exported["unsent_replies"] == [{"platform": "telegram", "unsent_replies": ["part two"]}]
    await rt.erase_person(person.id)
    assert await channel.replies.get(entry) is None
