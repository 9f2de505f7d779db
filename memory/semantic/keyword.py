"""The keyword half of memory: BM25 over a person's facts and conversation, in process.

Dense vectors miss names and rare words ("Anna", "Kyoto"); BM25 finds them. The index
is incremental (a turn or a fact is added or removed without a rebuild) and scores
with numpy, so a person with tens of thousands of windows is searched in a few ms.
Words are Unicode words (so "Neukölln" and "Sevilla" are words); scripts written
without spaces (Chinese, Japanese) are indexed by character pairs."""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from bot.background import import_heavy

if TYPE_CHECKING:
    import numpy as np

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
STOPWORDS = frozenset(
    """a an and are as at be been but by did do does for from had has have he her hers
    him his how i i'm if in into is it its it's me my of on or our she so than that the
    their them then there these they this to was we were what when where which who whom
    why will with would you your yours about just also very really can could should""".split()
)


# Words of the asking, not of what is asked about ("what kind of music...", "how many
# times...", "recently"): a recall query leaves them out (documents keep them).
QUESTION_WORDS = frozenset(
    "kind sort type many much often recently lately ever usually currently".split()
)


def stem(word: str) -> str:
    """A light English suffix stripper: enough to match "runs"/"running"/"run"."""
    if not word.isascii():
        return word
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
    text = unicodedata.normalize("NFKC", text or "").casefold().replace("’", "'")
    out: list[str] = []
    for word in _WORD.findall(text):
        if _CJK.search(word):
            for run in _CJK.findall(word):
                out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
            word = _CJK.sub(" ", word).strip()
            if not word:
                continue
        if word in STOPWORDS:
            continue
        out.append(stem(word.removesuffix("'s")))
    return out


QUESTION_STEMS = frozenset(stem(w) for w in QUESTION_WORDS)


@dataclass(frozen=True, slots=True)
class Asking:
    """How a recall question is read: without the words of asking, and without words
    so common in this person's memory (more than ``common`` of the documents: their
    own name in every other reply) that they say nothing about where to look."""

    skip: frozenset[str] = QUESTION_STEMS
    common: float = 1 / 3


PLAIN = Asking(frozenset(), 1.0)  # plain BM25
MIN_DOCUMENTS = 20  # below this, how common a word is says little


class BM25:
    """A fixed BM25 over a list of texts (used where the set is built once)."""

    def __init__(self, docs: list[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.index: KeywordIndex[int] = KeywordIndex(k1=k1, b=b)
        for i, doc in enumerate(docs):
            self.index.add(i, doc)

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        return self.index.top(query, k)


K = TypeVar("K", bound=Hashable)


class KeywordIndex(Generic[K]):
    """BM25 over documents keyed by K, with add, replace and remove in O(words).

    Removed documents leave a dead slot until a third of the slots are dead; then the
    index is compacted. Scores use the live documents' statistics."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._keys: list[K | None] = []
        self._slot: dict[K, int] = {}
        self._terms: list[tuple[tuple[str, int], ...]] = []
        self._lengths = array("f")
        self._alive = bytearray()
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._df: Counter[str] = Counter()
        self._total = 0.0
        self._dead = 0

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, key: object) -> bool:
        return key in self._slot

    def keys(self) -> Iterable[K]:
        return self._slot.keys()

    def add(self, key: K, text: str) -> None:
        """Index ``text`` under ``key``, replacing what the key had."""
        self.add_counts(key, Counter(terms(text)))

    def add_counts(self, key: K, counts: Mapping[str, int]) -> None:
        """Index a document given as its terms' counts (``Counter(terms(text))``), for
        a caller that keeps them: a window's are the sum of its turns'."""
        if key in self._slot:
            self.remove(key)
        self._append(key, tuple(counts.items()))

    def _append(self, key: K, pairs: tuple[tuple[str, int], ...]) -> None:
        """A new slot for ``key`` with its (term, count) pairs, in every posting."""
        slot = len(self._keys)
        self._keys.append(key)
        self._slot[key] = slot
        self._terms.append(pairs)
        length = float(sum(tf for _t, tf in pairs))
        self._lengths.append(length)
        self._alive.append(1)
        self._total += length
        for term, tf in pairs:
            posting = self._postings.get(term)
            if posting is None:
                posting = self._postings[term] = (array("i"), array("f"))
            posting[0].append(slot)
            posting[1].append(float(tf))
            self._df[term] += 1

    def remove(self, key: K) -> bool:
        slot = self._slot.pop(key, None)
        if slot is None:
            return False
        self._keys[slot] = None
        self._alive[slot] = 0
        self._total -= self._lengths[slot]
        for term, _tf in self._terms[slot]:
            self._df[term] -= 1
        self._terms[slot] = ()
        self._dead += 1
        if self._dead > 256 and self._dead * 3 > len(self._keys):
            self._compact()
        return True

    def _compact(self) -> None:
        live = [(k, s) for k, s in self._slot.items()]
        old_terms = self._terms
        self.__init__(k1=self.k1, b=self.b)  # type: ignore[misc]
        for key, slot in sorted(live, key=lambda kv: kv[1]):
            self._append(key, old_terms[slot])

    def scores(self, query: str, asking: Asking = PLAIN) -> tuple[np.ndarray, list[K | None]]:
        """BM25 score per slot (0 where nothing matched) and the slot keys."""
        np = import_heavy("numpy")  # not needed until the first search (start-up time)

        size = len(self._keys)
        out = np.zeros(size, dtype=np.float32)
        alive = len(self._slot)
        if not alive:
            return out, self._keys
        avg = (self._total / alive) or 1.0
        lengths = np.frombuffer(self._lengths, dtype=np.float32, count=size)
        asked = [t for t in set(terms(query)) - asking.skip if self._df.get(t, 0) > 0]
        rare = [t for t in asked if self._df[t] <= asking.common * alive]
        # A common word is left out only when a rarer one of the question remains (a
        # person who mostly talks of their job still finds "job").
        for term in rare if rare and alive >= MIN_DOCUMENTS else asked:
            posting = self._postings.get(term)
            df = self._df.get(term, 0)
            if posting is None or df <= 0:
                continue
            slots = np.frombuffer(posting[0], dtype=np.int32)
            tf = np.frombuffer(posting[1], dtype=np.float32)
            idf = math.log(1 + (alive - df + 0.5) / (df + 0.5))
            norm = self.k1 * (1 - self.b + self.b * lengths[slots] / avg)
            out[slots] += idf * tf * (self.k1 + 1) / (tf + norm)
        if self._dead:
            out *= np.frombuffer(self._alive, dtype=np.uint8, count=size)
        return out, self._keys

    def top(self, query: str, k: int, asking: Asking = PLAIN) -> list[tuple[K, float]]:
        """The k best documents with a positive score, best first."""
        np = import_heavy("numpy")

        scores, keys = self.scores(query, asking)
        if not len(scores) or k <= 0:
            return []
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        best = best[np.argsort(-scores[best], kind="stable")]
        out: list[tuple[K, float]] = []
        for slot in best:
            score = float(scores[slot])
            key = keys[slot]
            if score <= 0:
                break
            if key is not None:
                out.append((key, score))
        return out
