"""Downloads: only from the platform's file server, never from our own disk, and never
more than the core takes, whatever size the platform announced (or didn't).

Telegram through the real python-telegram-bot client against the fake Bot API, with
the real media feature and the fake vision model; Discord through its converter and
the real core, the file served by a small streaming server on loopback."""

from __future__ import annotations

import base64
import contextlib
import io
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import discord
import pytest
from aiohttp import web
from PIL import Image

from adapters.discord.convert import to_attachment
from adapters.telegram.files import UnsafeFilePath, server_path
from bot.runtime import Runtime, build_runtime
from bot.types import ChannelRef, Identity, IncomingMessage
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram
from tests.telegram_rig import TOKEN, running, telegram_settings

MB = 1024 * 1024


def png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(out, format="PNG")
    return out.getvalue()


def image_requests(fake_llm: FakeOpenAI) -> list[str]:
    return [
        block["image_url"]["url"]
        for body in fake_llm.all_chat_requests()
        for message in body["messages"]
        if isinstance(message.get("content"), list)
        for block in message["content"]
        if block.get("type") == "image_url"
    ]


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram(TOKEN).start()
    yield server
    await server.stop()


@pytest.fixture
async def rt(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> AsyncIterator[Runtime]:
    settings = telegram_settings(
        tmp_path,
        fake_llm,
        tg,
        vision_model="openai:fake-model",  # the chat model sees photos itself
        max_voice_bytes=2 * MB,
        max_image_bytes=2 * MB,
    )
    runtime = await build_runtime(settings, clock=clock)
    yield runtime
    await runtime.close()


async def test_get_file_paths_on_our_own_disk_are_never_read(
    rt: Runtime,
    tg: FakeTelegram,
    fake_llm: FakeOpenAI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png((255, 0, 0)))
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)  # "../secret.png" exists from here
    paths = [str(secret), "../secret.png", "photos/../../secret.png"]
    legit = tg.add_file(png((0, 0, 255)), "photos/file_7.png")
    async with running(rt, tg):
        for number, path in enumerate(paths):
            file_id = tg.add_file(b"never served", path)
            photo = [
                {"file_id": file_id, "file_unique_id": f"u{number}", "width": 16, "height": 16}
            ]
            tg.push(message=tg.message(42, photo=photo))
        photo = [{"file_id": legit, "file_unique_id": "ok", "width": 16, "height": 16}]
        tg.push(message=tg.message(42, photo=photo, caption="my blue square"))
        await tg.wait_for(lambda: len(tg.texts(42)) >= 4, within=20)
    texts = tg.texts(42)
    assert texts[:3] == ["I couldn't download that file. Could you send it again?"] * 3
    assert "my blue square" in texts[3]
    sent = image_requests(fake_llm)
    assert sent, "the legitimate photo reached the vision model"
    red = Image.new("RGB", (16, 16), (255, 0, 0))
    for url in sent:  # only the blue one: nothing of the file on our disk
        image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
        assert image.getpixel((8, 8)) != red.getpixel((8, 8))
        assert image.getpixel((8, 8))[2] > 200


def test_only_relative_paths_on_the_file_server_are_accepted() -> None:
    base = "http://127.0.0.1:1/file/bot123:abc"
    assert server_path(f"{base}/voice/file_12.oga", base) == "voice/file_12.oga"
    assert server_path(f"{base}/documents/a b.pdf", base) == "documents/a b.pdf"
    for bad in (
        "/etc/passwd",  # not prefixed: python-telegram-bot found it on our disk
        f"{base}//etc/passwd",
        f"{base}/../x",
        f"{base}/a/../../x",
        f"{base}/a/./b",
        f"{base}/a\\..\\b",
        f"{base}/C:/x",
        f"{base}/",
        None,
    ):
        with pytest.raises(UnsafeFilePath):
            server_path(bad, base)


async def test_a_voice_note_without_a_size_is_stopped_at_the_limit(
    rt: Runtime, tg: FakeTelegram, fake_llm: FakeOpenAI
) -> None:
    file_id = tg.add_stream(64 * MB, "voice/file_9.oga")
    voice = {"file_id": file_id, "file_unique_id": "v9", "duration": 3, "mime_type": "audio/ogg"}
    document = {"file_id": tg.add_stream(64 * MB, "documents/big.png"), "file_unique_id": "d"}
    document |= {"file_name": "big.png", "mime_type": "image/png"}
    async with running(rt, tg):
        tg.push(message=tg.message(42, voice=voice))
        await tg.wait_for(lambda: len(tg.texts(42)) == 1, within=20)
        voice_read = tg.streamed
        tg.push(message=tg.message(42, document=document))
        await tg.wait_for(lambda: len(tg.texts(42)) == 2, within=20)
    assert tg.texts(42) == [
        "That voice note is more than the 2.0 MB I can take. Could you send a smaller one?",
        "That photo is more than the 2.0 MB I can take. Could you send a smaller one?",
    ]
    # Stopped once past 2 MB: what was written is that plus the sockets' buffers.
    assert voice_read < 16 * MB, voice_read
    assert tg.streamed - voice_read < 16 * MB
    assert fake_llm.chat_requests() == []


@contextlib.asynccontextmanager
async def streaming_cdn(size: int) -> AsyncIterator[tuple[str, list[int]]]:
    """A CDN that makes a file up as it is read, with no Content-Length."""
    written = [0]

    async def serve(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = bytes(64 * 1024)
        with contextlib.suppress(ConnectionError, aiohttp.ClientConnectionResetError):
            while written[0] < size:
                await response.write(chunk)
                written[0] += len(chunk)
        return response

    app = web.Application()
    app.router.add_get("/attachments/{name}", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/attachments", written
    finally:
        await runner.cleanup()


@pytest.mark.parametrize(
    ("name", "mime", "what"),
    [("voice-message.ogg", "audio/ogg", "voice note"), ("shoes.png", "image/png", "photo")],
)
async def test_a_discord_attachment_larger_than_it_said_is_stopped_at_the_limit(
    rt: Runtime, name: str, mime: str, what: str
) -> None:
    async with streaming_cdn(64 * MB) as (cdn, written):
        data = {
            "id": "1369012346100000001",
            "filename": name,
            "size": 9876,  # what the payload claims
            "url": f"{cdn}/{name}",
            "proxy_url": f"{cdn}/{name}",
            "content_type": mime,
        }
        item = discord.Attachment(data=data, state=SimpleNamespace(http=None))  # type: ignore[arg-type]
        msg = IncomingMessage(
            Identity("discord", "412345678901234567"),
            ChannelRef("discord", "1369000000000000111"),
            attachments=(to_attachment(item),),
        )
        replies = await rt.companion.handle(msg)
    assert [r.text for r in replies] == [
        f"That {what} is more than the 2.0 MB I can take. Could you send a smaller one?"
    ]
    assert written[0] < 16 * MB, written[0]
