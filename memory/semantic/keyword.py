"""The keyword half of memory: BM25 over a person's memories, in process.

Dense vectors miss names and rare words ("Anna", "Kyoto"); BM25 finds them. The
index is rebuilt from the relational rows when they change, per person."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    """a an and are as at be been but by did do does for from had has have he her hers
    him his how i i'm if in into is it its it's me my of on or our she so than that the
    their them then there these they this to was we were what when where which who whom
    why will with would you your yours about just also very really can could should""".split()
)


def stem(word: str) -> str:
    """A light suffix stripper: enough to match "runs"/"running"/"run"."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return [stem(w.removesuffix("'s")) for w in words if w not in STOPWORDS]


class BM25:
    def __init__(self, docs: list[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.lengths: list[int] = []
        for index, doc in enumerate(docs):
            counts = Counter(terms(doc))
            self.lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                self.postings[term].append((index, tf))
        self.size = len(docs)
        self.avg_len = (sum(self.lengths) / self.size) if self.size else 0.0

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> dict[int, float]:
        out: dict[int, float] = defaultdict(float)
        if not self.size:
            return out
        for term in set(terms(query)):
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.idf(term)
            for index, tf in postings:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / (self.avg_len or 1))
                out[index] += idf * tf * (self.k1 + 1) / (tf + norm)
        return out

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        ranked = sorted(self.scores(query).items(), key=lambda kv: -kv[1])
        return ranked[:k]
