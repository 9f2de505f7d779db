"""Token estimates for the context budget.

An estimate, not a tokenizer: exact tokenizers (tiktoken) download their tables at
run time, and the budget only needs to be roughly right and never too small.
"""

from __future__ import annotations

import re

_WORDISH = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def count_tokens(text: str) -> int:
    """Roughly the BPE token count: words and punctuation, long words split in parts."""
    if not text:
        return 0
    total = 0
    for piece in _WORDISH.findall(text):
        total += 1 + len(piece) // 6
    return total


def truncate_to_tokens(text: str, budget: int) -> str:
    """The longest prefix of ``text`` that fits in ``budget`` tokens (on word edges)."""
    return fit_to_tokens(text, budget)[0]


def fit_to_tokens(text: str, budget: int, cost: int | None = None) -> tuple[str, int]:
    """:func:`truncate_to_tokens` and the count of what it gives: the prompt counts
    every section, and counting a long one twice cost more than building it.
    ``cost``: ``count_tokens(text)`` when the caller knows it already."""
    if cost is None:
        cost = count_tokens(text)
    if cost <= budget:
        return text, cost
    cut = _truncated(text, budget)
    return cut, count_tokens(cut)


def _truncated(text: str, budget: int) -> str:
    words = text.split()
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_tokens(" ".join(words[:mid])) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo]) + " …"
