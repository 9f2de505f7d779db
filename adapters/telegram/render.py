"""The core's small Markdown subset as Telegram HTML, and long replies split.

Telegram rejects a whole message over 4,096 characters (1,024 for a caption),
counted in UTF-16 units after the markup is parsed. We split the source text at
paragraph, then sentence, then word boundaries, and measure each piece as rendered
HTML, which is never shorter than what Telegram counts, so every piece fits."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024

_FENCE = re.compile(r"```(?:[\w+-]*\n)?(.*?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n\x00]+)`")
_LINK = re.compile(r"\[([^\]\n\x00]+)\]\(([^)\s\x00]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])[_*](?=\S)([^_*\n]+?)(?<=\S)[_*](?![\w*])")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-*][ \t]+", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_HOLE = "\x00{}\x00"
_TAG = re.compile(r"(<[^>]*>)")  # holes (code, links) are atoms inside the text


def utf16_len(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def to_html(text: str) -> str:
    """Render **bold**, _italic_, `code`, fenced code, [links](url), headings and
    bullets; everything else is escaped, so no input can break the markup."""
    holes: list[str] = []

    def keep(rendered: str) -> str:
        holes.append(rendered)
        return _HOLE.format(len(holes) - 1)

    text = text.replace("\x00", "")
    text = _FENCE.sub(lambda m: keep(f"<pre>{html.escape(m.group(1).strip(chr(10)))}</pre>"), text)
    text = _CODE.sub(lambda m: keep(f"<code>{html.escape(m.group(1))}</code>"), text)
    text = _LINK.sub(lambda m: keep(_link(m.group(1), m.group(2))), text)
    text = html.escape(text, quote=False)
    text = _HEADING.sub(r"<b>\1</b>", text)
    text = _BULLET.sub("• ", text)
    text = _between_tags(text, lambda part: _BOLD.sub(r"<b>\1</b>", part))
    text = _between_tags(text, lambda part: _ITALIC.sub(r"<i>\1</i>", part))
    return re.sub("\x00(\\d+)\x00", lambda m: holes[int(m.group(1))], text)


def _between_tags(text: str, render: Callable[[str], str]) -> str:
    """Apply ``render`` to the text between tags only, so spans never cross."""
    return "".join(
        part if part.startswith("<") else render(part) for part in _TAG.split(text) if part
    )


def _link(label: str, url: str) -> str:
    if not re.match(r"^(https?|tg|mailto):", url, re.IGNORECASE):
        return html.escape(f"{label} ({url})", quote=False)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(label, quote=False)}</a>'


def to_plain(text: str) -> str:
    """The fallback when Telegram rejects our markup: the same words, no markers."""
    text = _FENCE.sub(lambda m: m.group(1).strip("\n"), text)
    text = _CODE.sub(r"\1", text)
    text = _LINK.sub(r"\1 (\2)", text)
    text = _HEADING.sub(r"\1", text)
    text = _BULLET.sub("• ", text)
    text = _BOLD.sub(r"\1", text)
    return _ITALIC.sub(r"\1", text)


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pieces of ``text`` whose rendered HTML fits ``limit``: whole paragraphs where
    possible, then sentences, then words, and only as a last resort mid-word."""

    def fits(piece: str) -> bool:
        return utf16_len(to_html(piece)) <= limit

    text = text.strip()
    if not text:
        return []
    if fits(text):
        return [text]
    units = _units(text, fits)
    pieces: list[str] = []
    start = 0
    while start < len(units):
        end = _furthest_fit(units, start, fits)
        pieces.append(_joined(units, start, end))
        start = end
    return [p.strip() for p in pieces if p.strip()]


def _joined(units: list[_Unit], start: int, end: int) -> str:
    """units[start:end] as one piece (the first unit's separator is where it breaks)."""
    return units[start].text + "".join(u.sep + u.text for u in units[start + 1 : end])


def _furthest_fit(units: list[_Unit], start: int, fits: Callable[[str], bool]) -> int:
    """The largest ``end`` such that units[start:end] fit in one piece (at least one
    unit: each fits alone). Galloping, then halving: a long reply costs a few renders
    per piece instead of one per word (a 300 KB reply took 18 s that way)."""
    good, step = start + 1, 1
    bad = None
    while good < len(units):
        trial = min(good + step, len(units))
        if fits(_joined(units, start, trial)):
            good, step = trial, step * 2
        else:
            bad = trial
            break
    if bad is None:
        return good
    while bad - good > 1:
        middle = (good + bad) // 2
        if fits(_joined(units, start, middle)):
            good = middle
        else:
            bad = middle
    return good


class _Unit:
    __slots__ = ("sep", "text")

    def __init__(self, text: str, sep: str) -> None:
        self.text, self.sep = text, sep


def _units(text: str, check: Callable[[str], bool]) -> list[_Unit]:
    """Break ``text`` into the largest units that each fit, remembering the separator
    that joined them so packing can put them back together faithfully."""
    units: list[_Unit] = []
    for p_index, paragraph in enumerate(re.split(r"\n\s*\n", text)):
        sep = "\n\n" if p_index else ""
        if check(paragraph):
            units.append(_Unit(paragraph, sep))
            continue
        for s_index, sentence in enumerate(_SENTENCE_END.split(paragraph)):
            s_sep = sep if s_index == 0 else " "
            if check(sentence):
                units.append(_Unit(sentence, s_sep))
                continue
            for w_index, word in enumerate(sentence.split(" ")):
                w_sep = s_sep if w_index == 0 else " "
                while not check(word):
                    cut = _longest_prefix(word, check)
                    units.append(_Unit(word[:cut], w_sep))
                    word, w_sep = word[cut:], ""
                units.append(_Unit(word, w_sep))
    return units


def _longest_prefix(word: str, check: Callable[[str], bool]) -> int:
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if check(word[:mid]):
            low = mid
        else:
            high = mid - 1
    return low
