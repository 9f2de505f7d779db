"""Hostile and random input at the Telegram edge: raw update JSON as the webhook and
the inbox replay parse it (Update.de_json), the conversion to the core's message,
the core's answer, and rendering and splitting of what goes back. No crash, no
unhandled exception, and where a person is answered, a clear answer that Telegram
accepts (each piece within 4,096 UTF-16 units, balanced HTML)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Update

from adapters.telegram.convert import BotInfo, chat_id_of, to_incoming
from adapters.telegram.render import MESSAGE_LIMIT, split_text, to_html, to_plain, utf16_len
from bot.runtime import Runtime
from bot.types import IncomingMessage
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram
from tests.test_telegram import TOKEN, webhook_channel

BOT = BotInfo(777000111, "companion_test_bot", "mention")
SURROGATE = "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")

hostile_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.sampled_from(
        [
            "",
            " ",
            "\x00\x00",
            "\u202e\u200b\ufeff",
            SURROGATE * 3,
            "👩‍👩‍👧‍👦" * 50,
            "@companion_test_bot",
            "/start@companion_test_bot",
            "<b><i>" * 100 + "</b>",
            "**_`[x](javascript:1)`_**" * 20,
            "```" * 33,
            "a" * 5000,
        ]
    ),
)

ints = st.one_of(st.integers(-(2**63), 2**63), st.sampled_from([0, -1, 1, 42]))
junk: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), ints, st.floats(allow_nan=True), hostile_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def entities(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Entities with offsets that may point anywhere, including past the text."""
    kinds = st.sampled_from(["mention", "bot_command", "bold", "text_link", "url", "weird_new"])
    return draw(
        st.lists(
            st.fixed_dictionaries(
                {"type": kinds, "offset": st.integers(-5, 300), "length": st.integers(-5, 300)}
            ),
            max_size=4,
        )
    )


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(st.one_of(st.integers(1, 2**52), ints))
    chat_type = draw(st.sampled_from(["private", "group", "supergroup", "channel", "mystery"]))
    msg: dict[str, Any] = {
        "message_id": draw(ints),
        "date": draw(st.one_of(st.integers(0, 2**33), ints)),
        "chat": {"id": draw(ints), "type": chat_type, "first_name": draw(hostile_text)},
        "from": {"id": user, "is_bot": draw(st.booleans()), "first_name": draw(hostile_text)},
    }
    body = draw(st.sampled_from(["text", "caption", "voice", "photo", "document", "sticker", ""]))
    if body == "text":
        msg["text"] = draw(hostile_text)
        msg["entities"] = draw(entities())
    elif body == "caption":
        msg["caption"] = draw(hostile_text)
        msg["caption_entities"] = draw(entities())
        msg["photo"] = []
    elif body == "voice":
        msg["voice"] = {
            "file_id": draw(hostile_text),
            "file_unique_id": "u",
            "duration": draw(st.one_of(ints, st.floats(allow_nan=False, allow_infinity=False))),
            "file_size": draw(ints),
        }
    elif body == "photo":
        size = {"file_id": "p", "file_unique_id": "pu", "width": 1, "height": 1}
        msg["photo"] = draw(st.lists(st.just(size), max_size=3))
    elif body == "document":
        msg["document"] = {
            "file_id": "d",
            "file_unique_id": "du",
            "mime_type": draw(hostile_text),
            "file_name": draw(hostile_text),
        }
    elif body == "sticker":
        msg["sticker"] = {"file_id": "s", "file_unique_id": "su", "type": "regular"}
    if draw(st.booleans()):
        msg["reply_to_message"] = {
            "message_id": 1,
            "date": 0,
            "chat": msg["chat"],
            "from": {"id": BOT.id, "is_bot": True, "first_name": "C"},
        }
    msg.update(draw(st.dictionaries(st.text(max_size=12), junk, max_size=3)))  # unknown fields
    for key in draw(st.lists(st.sampled_from(sorted(msg)), max_size=2)):  # missing fields
        msg.pop(key, None)
    return msg


@st.composite
def updates(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["message", "callback", "edited", "junk", "not_a_dict"]))
    if kind == "not_a_dict":
        return draw(junk)
    update: dict[str, Any] = {"update_id": draw(ints)}
    if kind == "message":
        update["message"] = draw(messages())
    elif kind == "edited":
        update["edited_message"] = draw(messages())
    elif kind == "callback":
        update["callback_query"] = {
            "id": draw(hostile_text),
            "from": {"id": draw(ints), "is_bot": False, "first_name": draw(hostile_text)},
            "chat_instance": "c",
            "data": draw(st.one_of(st.none(), hostile_text)),
            "message": draw(st.one_of(st.none(), messages())),
        }
    else:
        update.update(draw(st.dictionaries(st.text(max_size=12), junk, max_size=4)))
    return update


def parse(raw: Any) -> Update | None:
    """What the webhook and the replay do: an update PTB cannot read is refused
    there (400, or set aside) — it must never raise past that point."""
    try:
        return Update.de_json(raw, None)  # type: ignore[arg-type]
    except Exception:
        return None


async def no_fetch(file_id: str, size: int | None) -> bytes:
    raise AssertionError("converting must not download anything")


@settings(max_examples=400, deadline=None)
@given(updates())
@example({"update_id": 1, "message": None})
@example({"update_id": 1})
@example([])
@example(  # a mention whose UTF-16 length cuts a surrogate pair (found by this test)
    {
        "update_id": 0,
        "message": {
            "message_id": 0,
            "date": 0,
            "chat": {"id": 0, "type": "group", "first_name": ""},
            "from": {"id": 1, "is_bot": False, "first_name": ""},
            "text": "\U00010000",
            "entities": [{"type": "mention", "offset": 0, "length": 1}],
        },
    }
)
def test_any_update_converts_or_is_ignored(raw: Any) -> None:
    # Round-trip through JSON text as the inbox stores it (floats and all).
    try:
        text = json.dumps(raw)
    except ValueError:
        return
    update = parse(json.loads(text))
    if update is None:
        return
    chat_id_of(update)
    msg = to_incoming(update, BOT, no_fetch)
    if msg is not None:
        assert isinstance(msg, IncomingMessage)
        assert isinstance(msg.text, str)
        assert msg.identity.platform == "telegram" and msg.identity.platform_user_id
        # What the adapter stores is its own JSON: it must be readable again.
        again = parse(json.loads(update.to_json()))
        assert again is not None and again.update_id == update.update_id


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(updates())
async def test_the_core_answers_every_private_update_clearly(runtime: Runtime, raw: Any) -> None:
    update = parse(raw)
    if update is None:
        return
    msg = to_incoming(update, BOT, no_fetch)
    if msg is None or not msg.channel.is_private:
        return
    replies = await runtime.companion.handle(msg)
    if msg.callback_data is None:
        assert replies, f"no answer to {raw!r}"
    for reply in replies:
        assert reply.text.strip()
        for piece in split_text(reply.text):
            assert utf16_len(to_html(piece)) <= MESSAGE_LIMIT


_TAG = re.compile(r"<(/?)(b|i|code|pre|a)\b[^>]*>")


def balanced(rendered: str) -> bool:
    stack: list[str] = []
    for closing, name in _TAG.findall(rendered):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


any_unicode = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
markup_soup = st.lists(
    st.sampled_from([*"*_`[]()<>&\n# -.!?", "**", "```", "https://e.x", "é", "😀", "\u0301"]),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_unicode, markup_soup, hostile_text))
def test_render_and_split_never_fail_and_always_fit(text: str) -> None:
    assert balanced(to_html(text))
    to_plain(text)
    pieces = split_text(text, limit=200)
    for piece in pieces:
        assert piece.strip()
        assert utf16_len(to_html(piece)) <= 200
    # Nothing said is dropped: only whitespace may change between pieces.
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text.replace("\x00", "\x00"))


@pytest.mark.parametrize(
    "text",
    [
        "word " * 20_000,
        "x" * 100_000,
        "😀" * 30_000,
        "**" * 20_000,
        "<&>" * 20_000,
        ("[l](https://e.x) " * 3000),
        SURROGATE * 10_000,
    ],
    ids=["words", "one-word", "emoji", "stars", "html", "links", "broken-unicode"],
)
def test_huge_replies_split_into_pieces_telegram_accepts(text: str) -> None:
    pieces = split_text(text)
    assert pieces
    for piece in pieces:
        rendered = to_html(piece)
        assert utf16_len(rendered) <= MESSAGE_LIMIT
        assert balanced(rendered)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram(TOKEN).start()
    yield server
    await server.stop()


HOSTILE_BODIES: list[bytes] = [
    b"",
    b"not json at all",
    b"[]",
    b'"a string"',
    b"null",
    b'{"update_id": "abc"}',
    b'{"message": {"text": "no update id"}}',
    b'{"update_id": 9001, "message": {"message_id": 1, "date": 0, "text": "no chat"}}',
    b"[" * 5000 + b"]" * 5000,
    b'{"update_id": 9002, "message": {"message_id": 1, "date": 0, "chat": {"id": 42, '
    b'"type": "private"}, "from": {"id": 42, "is_bot": false, "first_name": "\\ud800"}, '
    b'"text": "\\ud800\\udfff broken \\udc00 surrogates"}}',
    b"\xff\xfe\x00garbage",
]


async def test_webhook_survives_hostile_bodies_and_answers_the_next_person(
    tmp_path: Path, fake_llm: FakeOpenAI, tg: FakeTelegram, clock: ManualClock
) -> None:
    import aiohttp

    async with webhook_channel(tmp_path, fake_llm, tg, clock, "s3cret") as (_, channel, task):
        hook = f"http://127.0.0.1:{channel.webhook_port}/tg/hook"
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        async with aiohttp.ClientSession() as http:
            for body in HOSTILE_BODIES:
                async with http.post(hook, data=body, headers=headers) as response:
                    # 400: refused as not an update; 200: recorded (or ignored). A 500
                    # would make Telegram resend the same junk forever.
                    assert response.status in (200, 400), (body[:60], response.status)
            huge = {"update_id": 9100, "message": tg.message(43, "word " * 200_000)}
            async with http.post(hook, json=huge, headers=headers) as response:
                assert response.status == 200
            fine = {"update_id": 9101, "message": tg.message(44, "still there?")}
            async with http.post(hook, json=fine, headers=headers) as response:
                assert response.status == 200
        await tg.wait_for(lambda: tg.sent("sendMessage", 44) and tg.sent("sendMessage", 43), 20)
        assert not task.done()
        assert tg.texts(44) == ["You said: still there?"]
        for piece in tg.texts(43):
            assert utf16_len(piece) <= MESSAGE_LIMIT
        # Lone surrogates (a JSON "\\ud800") cannot be stored as they are: the core
        # replaces them, and the person gets one clear answer.
        broken = tg.texts(42)
        assert len(broken) == 1 and broken[0].strip()
