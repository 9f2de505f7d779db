"""Rendering the core's Markdown as Telegram HTML, splitting, and the send limiter."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.telegram.adapter import file_url_for
from adapters.telegram.limits import Limits, RateLimiter
from adapters.telegram.render import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    split_text,
    to_html,
    to_plain,
    utf16_len,
)


def test_markdown_subset_becomes_html() -> None:
    assert to_html("**bold** and _soft_ and `x<y`") == (
        "<b>bold</b> and <i>soft</i> and <code>x&lt;y</code>"
    )
    assert to_html("[site](https://a.b/?q=1&r=2)") == '<a href="https://a.b/?q=1&amp;r=2">site</a>'
    assert to_html("## Plan\n- one\n- two") == "<b>Plan</b>\n• one\n• two"
    assert to_html("**a _b** c_") == "<b>a _b</b> c_"  # spans never cross
    assert to_html("_a **b_ c**") == "_a <b>b_ c</b>"
    assert to_html("**a [l](https://x) b**") == '<b>a <a href="https://x">l</a> b</b>'
    assert to_html("```\nif a < b:\n    **no**\n```") == "<pre>if a &lt; b:\n    **no**</pre>"


def test_everything_else_is_escaped() -> None:
    assert to_html("<script>alert(1)</script> & co") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    )
    assert to_html("snake_case_name and 2*3*4") == "snake_case_name and 2*3*4"
    assert to_html("[x](javascript:alert(1))").startswith("x (javascript:")
    assert "<a" not in to_html("[x](javascript:alert(1))")


def test_plain_fallback_keeps_the_words() -> None:
    assert to_plain("**Hi** _there_, see [docs](https://d.example)") == (
        "Hi there, see docs (https://d.example)"
    )


_TAGS = re.compile(r"</?(b|i|code|pre|a)( [^>]*)?>")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab *_`[]()<>&\n#-", "https://x", "**", "```"]), max_size=60).map(
        "".join
    )
)
@example("`a```&````")  # a code span around a fenced block once leaked a placeholder
@example("**a _b** c_")
def test_rendered_html_is_always_balanced(text: str) -> None:
    """Whatever the model writes, the markup we send is well formed."""
    rendered = to_html(text)
    stack: list[str] = []
    for match in _TAGS.finditer(rendered):
        tag = match.group(1)
        if match.group(0).startswith("</"):
            assert stack and stack.pop() == tag
        else:
            stack.append(tag)
    assert not stack
    without_tags = _TAGS.sub("", rendered)
    assert "<" not in without_tags and ">" not in without_tags
    assert html.unescape(without_tags).replace("•", "-").count("&") == text.count("&")


def test_split_prefers_paragraphs_then_sentences() -> None:
    paragraph = "One sentence here. " * 150  # ~2,850 characters
    text = "\n\n".join([paragraph.strip()] * 3)
    pieces = split_text(text)
    assert len(pieces) == 3 and all(p == paragraph.strip() for p in pieces)

    huge = " ".join(f"Sentence {i} is fine." for i in range(900))  # one ~18k paragraph
    pieces = split_text(huge)
    assert all(utf16_len(to_html(p)) <= MESSAGE_LIMIT for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == huge


def test_split_counts_utf16_and_markup() -> None:
    emoji = "🙂" * 3000  # 6,000 UTF-16 units
    pieces = split_text(emoji)
    assert "".join(pieces) == emoji
    assert all(utf16_len(p) <= MESSAGE_LIMIT for p in pieces)
    escaped = "<" * 5000  # 4 characters each once escaped
    assert all(len(to_html(p)) <= MESSAGE_LIMIT for p in split_text(escaped))
    assert split_text("short", CAPTION_LIMIT) == ["short"]
    assert split_text("   ") == []


def test_file_url_follows_the_api_url() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://10.0.0.2:8081/bot") == "http://10.0.0.2:8081/file/bot"


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


async def test_one_message_per_second_per_chat() -> None:
    clock = FakeTime()
    limiter = RateLimiter(Limits(), now=clock.now, sleep=clock.sleep)
    start = clock.t
    for _ in range(4):
        await limiter.acquire("42")
    assert clock.t - start == pytest.approx(3.0)
    await limiter.acquire("43")  # another chat is not held back by the first
    assert clock.t - start == pytest.approx(3.0)


async def test_a_send_that_waited_for_a_connection_spaces_the_next_from_itself() -> None:
    """Telegram measures one second between messages as they arrive: a reply that
    waited 0.3 s for a free connection after taking its turn must push the next one
    back by as much (the load bench saw dozens of 429s without this)."""
    clock = FakeTime()
    limiter = RateLimiter(Limits(), now=clock.now, sleep=clock.sleep)
    await limiter.acquire("42")
    clock.t += 0.3  # waiting for one of the sending connections
    limiter.sent("42")
    sent_at = clock.t
    clock.t += 0.2
    await limiter.acquire("42")
    assert clock.t - sent_at == pytest.approx(1.0)
    limiter.sent("43")  # a chat with no turn taken: nothing to move


async def test_overall_and_group_limits() -> None:
    clock = FakeTime()
    limiter = RateLimiter(Limits(), now=clock.now, sleep=clock.sleep)
    for chat in range(60):  # 60 different chats: 30/s overall
        await limiter.acquire(str(chat))
    assert clock.t - 1000.0 == pytest.approx(1.0, abs=0.05)

    clock2 = FakeTime()
    group = RateLimiter(Limits(per_chat_rate=100, per_chat_burst=100), now=clock2.now)
    group.sleep = clock2.sleep
    for _ in range(21):
        await group.acquire("-100", group=True)
    assert clock2.t - 1000.0 == pytest.approx(3.0, abs=0.05)  # the 21st waits for a slot


async def test_retry_after_pauses_the_chat() -> None:
    clock = FakeTime()
    limiter = RateLimiter(Limits(), now=clock.now, sleep=clock.sleep)
    await limiter.acquire("42")
    limiter.pause("42", 7)
    await limiter.acquire("42")
    assert clock.t - 1000.0 == pytest.approx(7.0)


def test_a_long_reply_is_packed_with_few_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packing gallops instead of re-rendering the growing piece once per word: the
    old way rendered a 300 KB reply about 60,000 times (seconds of CPU per reply)."""
    import adapters.telegram.render as render

    calls = 0
    real = render.to_html

    def counting(text: str) -> str:
        nonlocal calls
        calls += 1
        return real(text)

    monkeypatch.setattr(render, "to_html", counting)
    text = "word " * 60_000
    pieces = render.split_text(text)
    assert "".join(p.replace(" ", "") for p in pieces) == "word" * 60_000
    assert all(render.utf16_len(real(p)) <= render.MESSAGE_LIMIT for p in pieces)
    # One render per word to cut the units, plus a few dozen per piece to pack them.
    assert calls < 60_000 + 40 * len(pieces)
