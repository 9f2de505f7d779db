"""Hostile and random text through the command parser and the whole core: no crash,
always a clear answer."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import parse_command
from bot.runtime import Runtime
from bot.types import ChannelRef, Identity, IncomingMessage

hostile = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50).map(lambda t: "/" + t),
    st.sampled_from(
        [
            "/",
            "//",
            "/ help",
            "/help@",
            "/help@@bot",
            "/" + "a" * 500,
            "/start\x00",
            "/remind\u202e tomorrow",
            "*" * 1000 + "_" * 1000,
            "<b><i>" * 200,
            "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        ]
    ),
)


@given(hostile)
def test_parse_command_never_raises(text: str) -> None:
    parsed = parse_command(text)
    if parsed is not None:
        name, args = parsed
        assert name.isascii() and name == name.lower() and 1 <= len(name) <= 32
        assert isinstance(args, str)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile)
async def test_core_answers_every_hostile_text(runtime: Runtime, text: str) -> None:
    msg = IncomingMessage(Identity("telegram", "31337"), ChannelRef("telegram", "31337"), text=text)
    replies = await runtime.companion.handle(msg)
    assert replies, f"no answer to {text!r}"
    assert all(r.text.strip() for r in replies)


async def test_huge_text_is_cut_and_answered(runtime: Runtime) -> None:
    msg = IncomingMessage(
        Identity("telegram", "1"), ChannelRef("telegram", "1"), text="word " * 200_000
    )
    replies = await runtime.companion.handle(msg)
    assert replies and replies[0].text.startswith("You said:")
    assert len(replies[0].text) < 20_000


async def test_lone_surrogates_are_replaced_not_fatal(runtime: Runtime) -> None:
    msg = IncomingMessage(
        Identity("telegram", "2"), ChannelRef("telegram", "2"), text="hi \ud800 there"
    )
    replies = await runtime.companion.handle(msg)
    assert replies[0].text == "You said: hi \ufffd there"  # U+FFFD, the replacement character
