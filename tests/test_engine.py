"""The conversation core through the real langchain-openai client and a fake server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.tools import Tool, ToolContext
from bot.types import ChannelRef, Identity, IncomingMessage
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI, Reply, last_user_text


@pytest.fixture
async def runtime(settings: Settings, clock: ManualClock) -> AsyncIterator[Runtime]:
    """The core alone: features (memory extraction, their tools) add model calls of
    their own, which these tests of the engine's exact requests must not see."""
    rt = await build_runtime(settings, clock=clock, with_features=False)
    yield rt
    await rt.close()


def dm(text: str, user: str = "42", platform: str = "telegram", **kw: object) -> IncomingMessage:
    return IncomingMessage(
        identity=Identity(platform, user),
        channel=ChannelRef(platform, user),
        text=text,
        display_name=f"user{user}",
        **kw,  # type: ignore[arg-type]
    )


async def reply_text(runtime: Runtime, msg: IncomingMessage) -> str:
    return "\n".join(m.text for m in await runtime.companion.handle(msg))


async def test_text_round_trip_keeps_both_turns(runtime: Runtime, fake_llm: FakeOpenAI) -> None:
    fake_llm.say("Hello! How was the run?")
    assert await reply_text(runtime, dm("I went for a run")) == "Hello! How was the run?"
    person = await runtime.people.find(Identity("telegram", "42"))
    assert person is not None
    turns = await runtime.turns.all(person.id)
    assert [(t.role, t.content) for t in turns] == [
        ("user", "I went for a run"),
        ("assistant", "Hello! How was the run?"),
    ]
    body = fake_llm.chat_requests()[0]
    assert body["messages"][0]["role"] == "system"
    assert "companion" in body["messages"][0]["content"].lower()


async def test_history_is_sent_and_reset_sets_it_aside(
    runtime: Runtime, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    await reply_text(runtime, dm("my sister is called Anna"))
    clock.advance(minutes=1)
    await reply_text(runtime, dm("what is she called?"))
    second = fake_llm.chat_requests()[-1]["messages"]
    assert any("Anna" in str(m.get("content")) for m in second[1:-1])

    clock.advance(minutes=1)
    assert "Fresh start" in await reply_text(runtime, dm("/reset"))
    clock.advance(minutes=1)
    await reply_text(runtime, dm("hello again"))
    third = fake_llm.chat_requests()[-1]["messages"]
    assert [m["role"] for m in third] == ["system", "user"]
    # Reset is not erasure: the turns are still stored.
    person = await runtime.people.find(Identity("telegram", "42"))
    assert person is not None
    assert len(await runtime.turns.all(person.id)) == 6


async def test_without_model_commands_work_and_turn_is_kept(tmp_path: Path) -> None:
    rt = await build_runtime(make_settings(tmp_path), clock=ManualClock())
    try:
        text = await reply_text(rt, dm("hi there"))
        assert "no chat model is configured" in text
        assert "COMPANION_MODEL" in text
        assert "/help" in await reply_text(rt, dm("/help"))
        person = await rt.people.find(Identity("telegram", "42"))
        assert person is not None
        assert [t.content for t in await rt.turns.all(person.id)] == ["hi there"]
    finally:
        await rt.close()


async def test_provider_errors_get_a_kind_answer_and_keep_the_turn(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    fake_llm.push(
        Reply(status=500, error="boom"),
        Reply(status=429, error="slow down", headers={"retry-after": "0"}),
        Reply(status=401, error="Incorrect API key provided"),
    )
    first = await reply_text(runtime, dm("one"))
    assert "returned an error" in first and "kept your message" in first
    assert "rate limiting" in await reply_text(runtime, dm("two"))
    assert "API key" in await reply_text(runtime, dm("three"))
    # The bot is still fine afterwards.
    assert await reply_text(runtime, dm("four")) == "You said: four"
    person = await runtime.people.find(Identity("telegram", "42"))
    assert person is not None
    users = [t.content for t in await runtime.turns.all(person.id) if t.role == "user"]
    assert users == ["one", "two", "three", "four"]


async def test_timeout_is_reported_not_raised(tmp_path: Path, fake_llm: FakeOpenAI) -> None:
    settings = make_settings(
        tmp_path,
        model="openai:fake",
        model_base_url=fake_llm.base_url,
        model_api_key="x" * 10,
        model_timeout=0.5,
    )
    rt = await build_runtime(settings, clock=ManualClock())
    try:
        fake_llm.push(Reply(text="too late", delay=3))
        started = time.monotonic()
        text = await reply_text(rt, dm("are you there?"))
        assert "timed out" in text
        assert time.monotonic() - started < 3
    finally:
        await rt.close()


async def test_unknown_command_and_help(runtime: Runtime) -> None:
    assert "don't know the command /frobnicate" in await reply_text(runtime, dm("/frobnicate x"))
    help_text = await reply_text(runtime, dm("/help"))
    for name in ("/start", "/help", "/reset"):
        assert name in help_text
    start = await reply_text(runtime, dm("/start@CompanionBot"))
    assert "Hi user42" in start


class EchoArgs(BaseModel):
    note: str


async def test_tool_calls_run_scoped_to_the_person(runtime: Runtime, fake_llm: FakeOpenAI) -> None:
    seen: list[tuple[int, str]] = []

    async def jot(ctx: ToolContext, args: EchoArgs) -> str:
        seen.append((ctx.person_id, args.note))
        return "noted"

    runtime.companion.tools.add(Tool("jot", "write a note", EchoArgs, jot))
    fake_llm.push(
        Reply(tool_calls=[("jot", {"note": "buy milk"}), ("nope", {})]),
        Reply(text="Done, I noted it."),
    )
    assert await reply_text(runtime, dm("note: buy milk")) == "Done, I noted it."
    person = await runtime.people.find(Identity("telegram", "42"))
    assert person is not None
    assert seen == [(person.id, "buy milk")]
    first, second = fake_llm.chat_requests()
    assert "jot" in [t["function"]["name"] for t in first["tools"]]  # features add theirs
    tool_messages = [m for m in second["messages"] if m["role"] == "tool"]
    assert tool_messages[0]["content"] == "noted"
    assert "no tool named" in tool_messages[1]["content"]


async def test_one_persons_messages_stay_in_order_others_run_alongside(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    order: list[str] = []

    def slow(body: dict[str, object]) -> Reply:
        text = last_user_text(body)  # type: ignore[arg-type]
        order.append(text)
        return Reply(text=f"re {text}", delay=0.3)

    fake_llm.responder = slow
    started = time.monotonic()
    results = await asyncio.gather(
        reply_text(runtime, dm("a1", user="1")),
        reply_text(runtime, dm("a2", user="1")),
        reply_text(runtime, dm("b1", user="2")),
    )
    elapsed = time.monotonic() - started
    assert results == ["re a1", "re a2", "re b1"]
    assert order.index("a1") < order.index("a2")
    # Person 1's two turns run one after the other (>= 0.6 s); person 2 alongside.
    assert 0.6 <= elapsed < 0.9 + 0.5
    a2_prompt = next(r for r in fake_llm.chat_requests() if last_user_text(r) == "a2")
    assert any(m.get("content") == "re a1" for m in a2_prompt["messages"])


async def test_model_waits_do_not_hold_the_work_gate(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    """One place in the gate, three people, a model taking 0.4 s: their waits overlap
    (a turn steps out while the model thinks), so it is not three times as long."""
    settings = make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
        turn_concurrency=1,
    )
    rt = await build_runtime(settings, clock=clock, with_features=False)
    try:
        fake_llm.responder = lambda body: Reply(text="re " + last_user_text(body), delay=0.4)
        await reply_text(rt, dm("warm up", user="9"))  # client and tables ready
        started = time.monotonic()
        results = await asyncio.gather(
            *(reply_text(rt, dm(f"m{n}", user=str(n))) for n in range(3))
        )
        elapsed = time.monotonic() - started
    finally:
        await rt.close()
    assert results == ["re m0", "re m1", "re m2"]
    assert elapsed < 1.1  # held through the model calls, it would take 1.2 s or more


async def test_a_message_handled_again_is_stored_and_sent_once(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    """After a crash an adapter hands over the same message again (``replayed``):
    the person's words are not stored twice, nor shown twice to the model."""
    await reply_text(runtime, dm("first words", message_id="10"))
    await reply_text(runtime, dm("my cat is ill", message_id="11"))
    await reply_text(runtime, dm("my cat is ill", message_id="11", replayed=True))
    person = await runtime.people.find(Identity("telegram", "42"))
    assert person is not None
    users = [t.content for t in await runtime.turns.all(person.id) if t.role == "user"]
    assert users == ["first words", "my cat is ill"]
    sent = fake_llm.chat_requests()[-1]["messages"]
    assert [m["content"] for m in sent if m["role"] == "user"] == ["first words", "my cat is ill"]
    # A new message with the same text is new words, replayed or not.
    await reply_text(runtime, dm("my cat is ill", message_id="12", replayed=True))
    users = [t.content for t in await runtime.turns.all(person.id) if t.role == "user"]
    assert users.count("my cat is ill") == 2


async def test_allowed_users_refuse_once_and_store_nothing(tmp_path: Path) -> None:
    rt = await build_runtime(make_settings(tmp_path, allowed_users="1001"), clock=ManualClock())
    try:
        first = await reply_text(rt, dm("hi", user="666"))
        assert "private" in first
        assert await reply_text(rt, dm("hi again", user="666")) == ""
        assert await rt.people.find(Identity("telegram", "666")) is None
        assert "no chat model" in await reply_text(rt, dm("hi", user="1001"))
    finally:
        await rt.close()


async def test_group_messages_answered_only_when_addressed(
    runtime: Runtime, fake_llm: FakeOpenAI
) -> None:
    group = ChannelRef("telegram", "-100", is_private=False)
    quiet = IncomingMessage(Identity("telegram", "7"), group, text="chatter", addressed=False)
    assert await runtime.companion.handle(quiet) == []
    assert fake_llm.chat_requests() == []
    await reply_text(runtime, dm("my secret is pineapple", user="7"))
    asked = IncomingMessage(Identity("telegram", "7"), group, text="@bot hello", addressed=True)
    assert await reply_text(runtime, asked) == "You said: @bot hello"
    group_prompt = fake_llm.chat_requests()[-1]
    assert "pineapple" not in str(group_prompt)
    assert "group chat" in group_prompt["messages"][0]["content"]


async def test_long_history_is_trimmed_to_the_budget(
    tmp_path: Path, fake_llm: FakeOpenAI, clock: ManualClock
) -> None:
    settings = make_settings(
        tmp_path,
        model="openai:fake",
        model_base_url=fake_llm.base_url,
        model_api_key="x" * 10,
        context_tokens=1500,
    )
    rt = await build_runtime(settings, clock=clock)
    try:
        for i in range(30):
            clock.advance(seconds=10)
            await reply_text(rt, dm(f"message {i} " + "words " * 40))
        messages = fake_llm.chat_requests()[-1]["messages"]
        assert 2 < len(messages) < 30
        assert "message 29" in messages[-1]["content"]
        assert "message 28" in messages[-3]["content"]  # newest history kept first
    finally:
        await rt.close()


async def test_persona_file_is_editable(tmp_path: Path, fake_llm: FakeOpenAI) -> None:
    persona = tmp_path / "persona.md"
    persona.write_text("You are Pip, a terse companion.")
    settings = make_settings(
        tmp_path,
        model="openai:fake",
        model_base_url=fake_llm.base_url,
        model_api_key="x" * 10,
        persona_file=persona,
    )
    rt = await build_runtime(settings, clock=ManualClock())
    try:
        await reply_text(rt, dm("hi"))
        assert fake_llm.chat_requests()[-1]["messages"][0]["content"].startswith("You are Pip")
    finally:
        await rt.close()


async def test_export_and_erase_cover_core_data(runtime: Runtime, fake_llm: FakeOpenAI) -> None:
    await reply_text(runtime, dm("marker-zebra-771", user="5"))
    await reply_text(runtime, dm("other person", user="6"))
    person = await runtime.people.find(Identity("telegram", "5"))
    assert person is not None
    await runtime.inbox.record(
        "telegram", "u1", '{"text": "marker-zebra-771"}', at=runtime.clock.now(), user_key="5"
    )
    exported = await runtime.export_person(person.id)
    assert "marker-zebra-771" in str(exported["turns"])
    assert "other person" not in str(exported)
    await runtime.erase_person(person.id)
    assert await runtime.people.find(Identity("telegram", "5")) is None
    assert await runtime.turns.all(person.id) == []
    assert await runtime.inbox.pending("telegram") == []
    assert await runtime.people.find(Identity("telegram", "6")) is not None
