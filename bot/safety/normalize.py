"""Text as the safety rules read it: one spelling for many ways of typing the same words.

People in distress type fast, on phones, in any script: capitals, missing accents,
curly apostrophes, zero-width characters pasted from elsewhere, "sooo", "su1cide".
Every rule is written against the normalised form, so none of that changes a match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Invisible characters that split words without showing (zero-width space, joiners,
# word joiner, soft hyphen, byte-order mark, Mongolian vowel separator...).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f"), None
)
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u02bb`\u00b4\u2032\uff07"})
# Letters that carry no combining mark to strip but are "accented" all the same.
_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ς": "σ"}
)
# Latin/Greek/Cyrillic diacritics and Arabic/Hebrew vowel points. Japanese voicing
# marks (U+3099) are not in these ranges, so "が" stays "が".
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u05b0-\u05c7]")
_ARABIC_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_REPEATS = re.compile(r"([^\W\d])\1{2,}")  # "sooo" -> "so", "dieee" -> "die"
# Digits typed for letters inside a word: "su1c1de", "k1ll", "s3lf". A token must
# start with a letter, so "20min" and "15yo" keep their numbers.
_LEET_TOKEN = re.compile(r"\b[a-z][a-z0-9@$]*[0-9@$][a-z0-9@$]*[a-z]\b")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_SLANG = [
    (re.compile(r"\bwanna\b"), "want to"),
    (re.compile(r"\bgonna\b"), "going to"),
    (re.compile(r"\bgotta\b"), "got to"),
    (re.compile(r"\b(?:2nite|2night|tonite)\b"), "tonight"),
    (re.compile(r"\brn\b"), "right now"),
    (re.compile(r"\bu\b"), "you"),
    (re.compile(r"\bur\b"), "your"),
    (re.compile(r"\bcuz\b|\bcos\b|\bbc\b"), "because"),
]
_ANY_SLANG = re.compile("|".join(pattern.pattern for pattern, _ in _SLANG))
_LEET_CHAR = re.compile("[0-9@$]")  # a _LEET_TOKEN holds one
_SENTENCE_END = re.compile(r"[.!?;\n\u2026。！？]+")
# Not letters: but the vowel signs of Indic and South-East Asian scripts are marks,
# not \w, and must stay inside their words.
_NOT_WORD = re.compile(r"[^\w',\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+")
_COMMA = re.compile(r"\s*,\s*")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC, invisible characters out, case folded, accents stripped, one apostrophe."""
    if text.isascii():  # every step below leaves ASCII as it is but these two
        return text.lower().replace("`", "'")
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.casefold().translate(_APOSTROPHES).translate(_LETTERS)
    text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text).translate(_ARABIC_ALEF)


def fold_pattern(pattern: str) -> str:
    """A rule's regular expression in the same form as the text. Case is left alone
    (folding would turn ``\\W`` into ``\\w``): rules are written in lower case."""
    pattern = unicodedata.normalize("NFKC", pattern).translate(_LETTERS).replace("ß", "ss")
    pattern = _MARKS.sub("", unicodedata.normalize("NFD", pattern))
    return unicodedata.normalize("NFC", pattern).translate(_ARABIC_ALEF)


def _unleet(match: re.Match[str]) -> str:
    return match.group(0).translate(_LEET)


@lru_cache(maxsize=32)
def normalise(text: str) -> str:
    """The whole message folded, with repeated letters, digit-for-letter spellings and
    a little chat slang undone. Punctuation and emoji stay (laughter is read there).
    Remembered for a few messages: each is read by several checks (crisis, age, "are
    you human?")."""
    text = _REPEATS.sub(r"\1", fold(text))
    if _LEET_CHAR.search(text):
        text = _LEET_TOKEN.sub(_unleet, text)
    if _ANY_SLANG.search(text):  # one look instead of eight for most messages
        for pattern, replacement in _SLANG:
            text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True, slots=True)
class Sentence:
    """Words, apostrophes and single spaces only; ``breaks`` are where commas were
    (a negation before a comma does not reach past it)."""

    text: str
    breaks: tuple[int, ...] = ()

    def clause_before(self, position: int) -> str:
        start = max((b for b in self.breaks if b <= position), default=0)
        return self.text[start:position]


def sentences(normalised: str) -> list[Sentence]:
    """The message cut into sentences that rules can match with plain spaces."""
    out = []
    for part in _SENTENCE_END.split(normalised):
        words = _SPACES.sub(" ", _NOT_WORD.sub(" ", part)).strip(" ,")
        if not words:
            continue
        text, breaks = "", []
        for piece in _COMMA.split(words):
            piece = piece.strip()
            if not piece:
                continue
            if text:
                text += " "
                breaks.append(len(text))
            text += piece
        if text:
            out.append(Sentence(text, tuple(breaks)))
    return out
