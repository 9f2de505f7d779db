"""Which goal did the person mean? A deterministic matcher for "ran 5k this morning"
against "Run a 10k by June": used when the model names a goal loosely (or not at all)
and by /goals, so progress lands on the right goal without a model."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bot.numbers import whole
from memory.goals import Goal

_WORD = re.compile(r"[a-zA-ZÀ-ÿ]+")
_STOP = {
    "a", "an", "the", "to", "my", "me", "i", "and", "or", "of", "for", "in", "on", "at",
    "this", "that", "it", "is", "was", "be", "by", "with", "more", "less", "some", "every",
    "each", "day", "daily", "week", "weekly", "times", "time", "per", "today", "morning",
    "evening", "night", "yesterday", "just", "did", "do", "done", "finally", "again", "get",
    "got", "go", "went", "start", "started", "keep", "want", "would", "like", "try", "am",
    "k", "km", "min", "mins", "minutes", "hour", "hours", "pages", "page", "so", "very",
}  # fmt: skip
# Irregular past forms and a few everyday synonyms, folded to one stem.
_IRREGULAR = {
    "ran": "run", "jog": "run", "jogged": "run", "jogging": "run", "swam": "swim",
    "wrote": "writ", "written": "writ", "read": "read", "ate": "eat", "eaten": "eat",
    "slept": "sleep", "spoke": "speak", "spoken": "speak", "drank": "drink", "drunk": "drink",
    "rode": "ride", "ridden": "ride", "cycled": "cycl", "biked": "cycl", "bike": "cycl",
    "biking": "cycl", "lifted": "lift", "gym": "workout", "workout": "workout",
    "exercised": "workout", "exercise": "workout", "practised": "practic", "practiced": "practic",
    "studied": "study", "learnt": "learn", "taught": "teach", "saved": "save", "called": "call",
}  # fmt: skip


def stem(word: str) -> str:
    """A tiny English stemmer: enough for run/running/ran and meditate/meditated."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # running -> runn -> run
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return _IRREGULAR.get(w, w)


def stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if w.lower() not in _STOP}


def score(goal: Goal, text: str) -> float:
    """0..1: shared word stems first, close spelling as a tiebreak."""
    query, title = stems(text), stems(goal.title)
    if not query or not title:
        return 0.0
    shared = len(query & title) / min(len(query), len(title))
    spelling = SequenceMatcher(None, text.lower(), goal.title.lower()).ratio()
    return 0.8 * shared + 0.2 * spelling


def match_goal(goals: list[Goal], ref: str) -> tuple[Goal | None, list[Goal]]:
    """Resolve ``ref`` (an id like "3" or "#3", a title, or words from a message) to
    one of ``goals``. Returns (match, candidates): candidates when it is ambiguous."""
    ref = ref.strip()
    if not ref or not goals:
        return None, []
    number = re.fullmatch(r"#?(\d+)", ref)
    if number:
        wanted = whole(number.group(1))
        found = next((g for g in goals if g.id == wanted), None)
        return found, []
    lowered = ref.lower()
    exact = [g for g in goals if g.title.lower() == lowered]
    if len(exact) == 1:
        return exact[0], []
    ranked = sorted(((score(g, ref), g) for g in goals), key=lambda p: -p[0])
    best_score, best = ranked[0]
    if best_score < 0.35:
        return None, []
    close = [g for s, g in ranked if best_score - s < 0.1]
    if len(close) > 1:
        return None, close
    return best, []
