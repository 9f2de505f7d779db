"""Photos through the whole core: the vision model really receives the image (the
fake OpenAI-compatible server decodes what arrived), the description lands in the
turn text and in memory; no vision configured, failures and bad images answered."""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.runtime import Runtime, build_runtime
from bot.types import AttachmentKind
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text
from tests.media_support import Counting, attachment, message, png

Build = Callable[..., Awaitable[Runtime]]


class MemoryRecorder:
    """Stands in for the memory feature as media reaches it (``bot.interfaces.Remembering``)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def remember(
        self,
        person_id: int,
        text: str,
        *,
        kind: str = "fact",
        source_turn_ids: list[int] | None = None,
        platform: str | None = None,
        refers_to: datetime | None = None,
    ) -> str:
        self.calls.append(
            dict(
                person_id=person_id,
                text=text,
                kind=kind,
                source_turn_ids=source_turn_ids,
                platform=platform,
                refers_to=refers_to,
            )
        )
        return f"m{len(self.calls)}"

    async def recall(self, person_id: int, query: str, k: int = 10) -> list[str]:
        return []


@pytest.fixture
async def build(tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock) -> AsyncIterator[Build]:
    built: list[Runtime] = []

    async def make(**overrides: object) -> Runtime:
        settings = make_settings(
            tmp_path,
            model="openai:fake-model",
            model_base_url=fake_llm.base_url,
            model_api_key="sk-test-not-a-real-key-000000",
            **overrides,
        )
        rt = await build_runtime(settings, clock=clock)
        rt.services.memory = MemoryRecorder()
        built.append(rt)
        return rt

    yield make
    for rt in built:
        await rt.close()


def photo(data: bytes | None = None, **kwargs: Any) -> Any:
    return attachment(png(3000, 2000) if data is None else data, AttachmentKind.IMAGE, **kwargs)


def images_in(request: dict[str, Any]) -> list[Image.Image]:
    found = []
    for m in request["messages"]:
        if isinstance(m.get("content"), list):
            for block in m["content"]:
                if block.get("type") == "image_url":
                    url = block["image_url"]["url"]
                    assert url.startswith("data:image/jpeg;base64,")
                    raw = base64.b64decode(url.split(",", 1)[1])
                    found.append(Image.open(io.BytesIO(raw)))
    return found


async def test_the_chat_model_sees_the_photo_and_remembers_it(
    build: Build, fake_llm: FakeOpenAI
) -> None:
    rt = await build(vision_model="openai:fake-model")
    fake_llm.say("A photo of a red bicycle leaning on a fence.", "What a great bike!")
    replies = await rt.companion.handle(message(photo(), text="my new bike!"))
    assert [r.text for r in replies] == ["What a great bike!"]
    describe, turn = fake_llm.chat_requests()
    # 1. The description request: the image arrived, checked and downscaled.
    assert "describe photos" in describe["messages"][0]["content"]
    [seen] = images_in(describe)
    assert seen.format == "JPEG" and seen.size == (1568, 1045)
    assert seen.getpixel((10, 10)) == pytest.approx((200, 30, 30), abs=3)
    # 2. The conversation turn: the model sees the photo and reads the description.
    [again] = images_in(turn)
    assert again.size == (1568, 1045)
    text = last_user_text(turn)
    assert "[photo of a red bicycle leaning on a fence]" in text and "my new bike!" in text
    # 3. History keeps the description; memory keeps what was seen.
    person = await rt.people.find(message().identity)
    assert person is not None
    user_turn = next(t for t in await rt.turns.all(person.id) if t.role == "user")
    assert "red bicycle" in user_turn.content
    await rt.companion.drain()
    [memory] = rt.services.memory.calls
    assert memory == {
        "person_id": person.id,
        "text": "photo of a red bicycle leaning on a fence on 2026-05-04",
        "kind": "event",
        "source_turn_ids": [user_turn.id],
        "platform": "telegram",
        "refers_to": datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
    }


async def test_the_memory_date_is_the_persons_local_day(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(vision_model="openai:fake-model")
    await rt.companion.handle(message(text="hi"))
    person = await rt.people.find(message().identity)
    assert person is not None
    await rt.people.update(person.id, timezone="America/Los_Angeles")
    fake_llm.say("a sunset over the bay", "Beautiful.")
    late = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # still May 3rd in California
    await rt.companion.handle(message(photo(png(64, 64)), sent_at=late))
    await rt.companion.drain()
    assert rt.services.memory.calls[-1]["text"] == "photo of a sunset over the bay on 2026-05-03"


async def test_a_separate_vision_model_describes_for_a_blind_chat_model(
    build: Build, fake_llm: FakeOpenAI
) -> None:
    rt = await build(vision_model="openai:vision-model")
    fake_llm.say("two cats asleep on a sofa", "Cute!")
    await rt.companion.handle(message(photo(png(800, 600))))
    describe, turn = fake_llm.chat_requests()
    assert describe["model"] == "vision-model" and len(images_in(describe)) == 1
    assert turn["model"] == "fake-model" and images_in(turn) == []
    assert last_user_text(turn) == "[photo of two cats asleep on a sofa]"


async def test_without_vision_the_person_is_told_how_to_set_it_up(
    build: Build, fake_llm: FakeOpenAI
) -> None:
    rt = await build()
    picture = photo()
    [reply] = await rt.companion.handle(message(picture))
    assert "can't see photos" in reply.text and "COMPANION_VISION_MODEL" in reply.text
    assert fake_llm.chat_requests() == [] and picture.fetcher.calls == 0
    # With a caption the words still get an answer, after the explanation.
    explain, answer = await rt.companion.handle(message(photo(), text="look at my garden"))
    assert "COMPANION_VISION_MODEL" in explain.text
    [turn] = fake_llm.chat_requests()
    assert images_in(turn) == []
    assert "look at my garden" in answer.text and "cannot see" in last_user_text(turn)
    await rt.companion.drain()
    assert rt.services.memory.calls == []


@pytest.mark.parametrize(
    ("picture", "expected", "fetched"),
    [
        (lambda: photo(size=30 * 2**20), "30 MB", 0),
        (lambda: photo(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "damaged", 1),
        (lambda: photo(b""), "empty", 1),
        (lambda: photo(png(9000, 8000)), "9000×8000", 1),
    ],
    ids=["too-large", "corrupt", "empty", "too-many-pixels"],
)
async def test_bad_photos_get_a_kind_answer(
    build: Build,
    fake_llm: FakeOpenAI,
    picture: Callable[[], Any],
    expected: str,
    fetched: int,
) -> None:
    rt = await build(vision_model="openai:fake-model")
    sent = picture()
    [reply] = await rt.companion.handle(message(sent))
    assert expected in reply.text
    assert sent.fetcher.calls == fetched
    assert fake_llm.chat_requests() == []


async def test_a_failing_vision_model_is_said_plainly(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(vision_model="openai:fake-model")
    fake_llm.push(Reply(status=500, error="boom"))
    [reply] = await rt.companion.handle(message(photo(png(64, 64))))
    assert "couldn't look at your photo" in reply.text
    # A caption still gets its answer, with the problem said first.
    fake_llm.push(Reply(status=500, error="boom"))
    first, second = await rt.companion.handle(message(photo(png(64, 64)), text="and this?"))
    assert "couldn't look" in first.text and second.text == "You said: and this?"


async def test_group_photos_are_not_kept_in_memory(build: Build, fake_llm: FakeOpenAI) -> None:
    rt = await build(vision_model="openai:fake-model")
    fake_llm.say("a birthday cake", "Happy birthday!")
    await rt.companion.handle(message(photo(png(64, 64)), private=False))
    await rt.companion.drain()
    assert rt.services.memory.calls == []


async def test_without_the_memory_feature_a_photo_is_answered_and_nothing_fails(
    build: Build, fake_llm: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    rt = await build(vision_model="openai:fake-model")
    rt.services.memory = None  # the slot of a feature that is not installed
    fake_llm.say("a red bicycle", "What a great bike!")
    replies = await rt.companion.handle(message(photo(png(64, 64)), text="my new bike!"))
    await rt.companion.drain()
    assert [r.text for r in replies] == ["What a great bike!"]
    # (only the core's own log: a client an earlier test left may complain on collection)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name[:4] == "bot."]


async def test_a_photo_download_failure(build: Build) -> None:
    rt = await build(vision_model="openai:fake-model")
    broken = photo(fetcher=Counting(b"", error=TimeoutError()))
    [reply] = await rt.companion.handle(message(broken))
    assert "couldn't download" in reply.text
