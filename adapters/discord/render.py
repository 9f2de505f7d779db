"""Core text -> Discord messages.

The core speaks a small Markdown subset (**bold**, _italic_, `code`, [links](url),
paragraphs); Discord renders all of it natively, so rendering is mostly about what
Discord would read differently (headings and quotes at a line start) and about
splitting under the 2,000-character limit at paragraph, line or sentence
boundaries without breaking a code block or a bold span in two."""

from __future__ import annotations

import re

MAX_LENGTH = 2000

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
# At a line start Discord reads "# ", "-# " and "> " as headings, subtext and quotes.
_LINE_START_MARKUP = re.compile(r"^(\s*)(#{1,3} |-# |>>> |> )", re.MULTILINE)


def to_discord(text: str) -> str:
    """Render core Markdown for Discord: links kept as masked links (no preview
    card), stray line-start markup escaped, runs of blank lines collapsed."""
    text = text.replace("\r\n", "\n").strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = _LINK.sub(lambda m: f"[{m.group(1)}](<{m.group(2)}>)", text)
    return _LINE_START_MARKUP.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def split(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """Chunks of at most ``limit`` characters, cut at the best boundary available."""
    chunks: list[str] = []
    rest = text.strip()
    carry = ""  # markup reopened at the start of the next chunk
    while rest:
        rest = carry + rest
        carry = ""
        if len(rest) <= limit:
            chunks.append(rest)
            break
        budget = limit - 4  # room to close a code fence or a bold span
        cut = _best_cut(rest, budget)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head.count("```") % 2 == 1:
            head += "\n```"
            carry = "```\n"
        elif _open_bold(head):
            head += "**"
            carry = "**"
        chunks.append(head)
    return [c for c in chunks if c.strip()]


def _best_cut(text: str, budget: int) -> int:
    window = text[:budget]
    floor = budget // 3  # never cut so early that chunks become tiny
    for sep in ("\n\n", "\n"):
        at = window.rfind(sep)
        if at >= floor:
            return at + len(sep)
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() >= floor]
    if ends:
        return ends[-1]
    at = window.rfind(" ")
    if at >= floor:
        return at + 1
    return budget


def _open_bold(text: str) -> bool:
    outside_code = re.sub(r"`[^`]*`", "", text)
    return outside_code.count("**") % 2 == 1


def render(text: str) -> list[str]:
    return split(to_discord(text))
