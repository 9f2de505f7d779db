"""Core text -> Discord messages: markup kept, line-start markup escaped, long text
split under 2,000 characters at the best boundary without breaking markup."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.render import MAX_LENGTH, render, split, to_discord


def test_core_markup_is_kept_and_links_do_not_unfurl() -> None:
    text = "**Well done**, _really_. Try `stretch`: [guide](https://example.org/s)"
    assert to_discord(text) == (
        "**Well done**, _really_. Try `stretch`: [guide](<https://example.org/s>)"
    )


def test_line_start_markup_is_escaped_and_blank_runs_collapse() -> None:
    text = "# not a heading\n> not a quote\n-# not subtext\n\n\n\nend"
    assert to_discord(text) == "\\# not a heading\n\\> not a quote\n\\-# not subtext\n\nend"


def test_short_text_is_one_message() -> None:
    assert render("Hello there.") == ["Hello there."]
    assert render("   ") == []


def test_split_prefers_paragraphs_then_sentences() -> None:
    para = "A" * 1200 + "."
    chunks = split(f"{para}\n\n{para}\n\n{para}")
    assert chunks == [para, para, para]
    sentences = " ".join(f"Sentence number {i} ends here." for i in range(150))
    chunks = split(sentences)
    assert all(len(c) <= MAX_LENGTH for c in chunks)
    assert all(c.endswith("ends here.") for c in chunks)


def test_code_blocks_and_bold_survive_a_split() -> None:
    code = "```\n" + "\n".join(f"line {i}" for i in range(400)) + "\n```"
    chunks = split(code)
    assert len(chunks) >= 2
    assert all(c.count("```") % 2 == 0 for c in chunks)
    assert all(len(c) <= MAX_LENGTH for c in chunks)
    bold = "**" + " ".join(["word"] * 900) + "**"
    chunks = split(bold)
    assert all(c.startswith("**") and c.endswith("**") for c in chunks)


def test_unbreakable_text_is_cut_hard() -> None:
    chunks = split("x" * 4500)
    assert [len(c) for c in chunks] == [1996, 1996, 508]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .!?\n*`_"), max_size=7000))
def test_split_never_exceeds_the_limit_or_loses_words(text: str) -> None:
    chunks = split(text)
    assert all(len(c) <= MAX_LENGTH for c in chunks)
    words = [w.strip("*`") for w in text.split()]
    got = [w.strip("*`") for w in " ".join(chunks).split()]
    assert [w for w in got if w] == [w for w in words if w]
