"""Numbers people type into commands, read one way everywhere and bounded.

Python reads any number of digits, but nothing behind it does: SQLite and PostgreSQL
take 64 bits, a timedelta about 2.7 million years, and ``int()`` refuses more than
4,300 digits. "/forget 99999999999999999999" used to fail deep in a store ("Sorry,
/forget failed on my side" and a traceback). Here a number beyond anything real is
refused up front with ``NumberTooLarge``, whose text is a kind answer: the engine
sends it as the reply to whichever command raised it."""

from __future__ import annotations

import re

MAX_WHOLE = 10**15  # ids, pages, goal numbers: beyond any real one, inside 64 bits
MAX_AMOUNT = 10**9  # amounts and durations: callers pass their own, smaller bound
_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?")


class NumberTooLarge(Exception):
    """A number beyond anything real; ``str(exc)`` is what the person is told. Not a
    ValueError: commands that answer their own ValueErrors let this one through to
    the engine, which sends it as it is."""


def whole(text: str, *, limit: int = MAX_WHOLE, too_large: str | None = None) -> int | None:
    """ "12", "#12", " 12 " -> 12; None when ``text`` is not a whole number.
    Raises NumberTooLarge above ``limit``."""
    digits = text.strip().removeprefix("#")
    if not digits.isdecimal():  # unlike isdigit(), only what int() reads ("²" is not)
        return None
    significant = digits.lstrip("0") or "0"
    if len(significant) > len(str(limit)) or int(significant) > limit:
        raise NumberTooLarge(too_large or _too_large(digits))
    return int(significant)


def amount(text: str, *, limit: float = MAX_AMOUNT, too_large: str | None = None) -> float | None:
    """ "3", "2.5", "2,5" -> a float; None when ``text`` is not such a number (no
    exponents, no "inf"). Raises NumberTooLarge above ``limit``."""
    text = text.strip()
    if not _AMOUNT.fullmatch(text):
        return None
    integral = text.replace(",", ".").partition(".")[0].lstrip("0")
    if len(integral) > len(str(int(limit))):
        raise NumberTooLarge(too_large or _too_large(text))
    value = float(text.replace(",", "."))
    if value > limit:
        raise NumberTooLarge(too_large or _too_large(text))
    return value


def _too_large(text: str) -> str:
    shown = text if len(text) <= 12 else f"{text[:12]}…"
    return f"{shown} is far too large a number for me. Could you try a smaller one?"
