"""How a language's crisis vocabulary is written down and compiled.

A language is a ``Lexicon``: rules (a kind, a weight, a pattern over normalised
text) and the context words that change what a match means: negations before it,
laughter, the past, fiction and news, figures of speech. Patterns are plain regular
expressions over single-spaced, lower-case, accent-free sentences, with a few macros:

- ``{g}``: up to three words that are not a negation ("I really just want to...");
  ``{g1}`` up to one, ``{g6}`` up to six.
- ``{neg}``: this language's negations, for rules that contain one.

Weights: 1.5 says it plainly and is enough alone; 1.0 is enough unless something
softens it (a joke, the past, fiction); 0.3-0.7 is a sign that needs another.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.safety.normalize import fold_pattern

# Kinds a finding can have; the others only add to one of these.
CRISIS_KINDS = ("suicidal", "self-harm", "overdose", "abuse", "medical")
# distress adds to suicidal; danger to abuse; symptom to medical (when present).
HINT_KINDS = {"distress": "suicidal", "danger": "abuse", "symptom": "medical"}


@dataclass(frozen=True, slots=True)
class Rule:
    lang: str
    kind: str
    weight: float
    regex: re.Pattern[str]
    source: str  # the pattern as written, for explanations and tests
    # Literal pieces of which every match contains at least one: a rule whose pieces
    # are all absent from a sentence cannot match it, and is not run.
    anchors: frozenset[str] | None = None


@dataclass(slots=True)
class Lexicon:
    """One language's vocabulary, as written in its module."""

    lang: str
    rules: list[tuple[str, float, str]]
    negators: list[str]
    laughter: list[str] = field(default_factory=list)
    past: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)
    fiction: list[str] = field(default_factory=list)
    # Said to be over or harmless now ("I'm doing great now", "nothing serious"): unlike
    # the past, a "today" in the same sentence does not undo it.
    settled: list[str] = field(default_factory=list)
    # Figures of speech and harmless uses that cancel a rule matched in the same
    # sentence ("dying OF laughter", "cut my hair"): each entry is a pattern.
    figurative: list[str] = field(default_factory=list)
    raw: bool = False  # scripts without spaces between words: no word boundaries

    def compile(self) -> CompiledLexicon:
        neg = "|".join(self.negators) or "(?!)"
        macros = {
            "{g}": rf"(?: (?!(?:{neg})\b)[\w']+){{0,3}}",
            "{g1}": rf"(?: (?!(?:{neg})\b)[\w']+)?",
            "{g6}": rf"(?: (?!(?:{neg})\b)[\w']+){{0,6}}",
            "{neg}": f"(?:{neg})",
        }

        def build(pattern: str) -> re.Pattern[str]:
            for macro, body in macros.items():
                pattern = pattern.replace(macro, body)
            pattern = fold_pattern(pattern)
            if not self.raw:
                pattern = rf"(?<![\w'])(?:{pattern})(?![\w'])"
            return re.compile(pattern)

        def any_of(patterns: Iterable[str]) -> re.Pattern[str] | None:
            patterns = list(patterns)
            return build("|".join(f"(?:{p})" for p in patterns)) if patterns else None

        rules = []
        for kind, weight, source in self.rules:
            regex = build(source)
            rules.append(Rule(self.lang, kind, weight, regex, source, anchors(regex.pattern)))
        wakes: dict[str, list[int]] = {}
        for number, rule in enumerate(rules):
            for piece in rule.anchors or ():
                wakes.setdefault(piece, []).append(number)
        return CompiledLexicon(
            lang=self.lang,
            rules=rules,
            wakes={piece: tuple(numbers) for piece, numbers in wakes.items()},
            always=tuple(n for n, rule in enumerate(rules) if rule.anchors is None),
            negation=any_of(self.negators),
            laughter=any_of(self.laughter),
            past=any_of(self.past),
            recent=any_of(self.recent),
            fiction=any_of(self.fiction),
            settled=any_of(self.settled),
            figurative=any_of(self.figurative),
            raw=self.raw,
        )


@dataclass(frozen=True, slots=True)
class CompiledLexicon:
    lang: str
    rules: list[Rule]
    # Most sentences contain none of a lexicon's pieces: the rules each piece can match
    # (their numbers, in order) say which few to run; ``always`` have no piece.
    wakes: dict[str, tuple[int, ...]]
    always: tuple[int, ...]
    negation: re.Pattern[str] | None
    laughter: re.Pattern[str] | None
    past: re.Pattern[str] | None
    recent: re.Pattern[str] | None
    fiction: re.Pattern[str] | None
    settled: re.Pattern[str] | None
    figurative: re.Pattern[str] | None
    raw: bool

    def waking(self, woken: list[tuple[int, ...]]) -> list[Rule]:
        """The rules to run on a sentence, in their order: those whose pieces it holds
        (``woken``: the numbers in ``wakes`` of each piece found) and those without."""
        if not woken:
            return [self.rules[n] for n in self.always]
        if len(woken) == 1 and not self.always:
            return [self.rules[n] for n in woken[0]]
        numbers = {n for group in woken for n in group}
        numbers.update(self.always)
        return [self.rules[n] for n in sorted(numbers)]


def anchors(pattern: str) -> frozenset[str] | None:
    """Literal strings of which every match of ``pattern`` contains one, or None when
    the pattern has no such pieces (then it always has to run)."""
    return _anchors(sre_parse.parse(pattern))


def _anchors(items: Any) -> frozenset[str] | None:
    found: list[frozenset[str]] = []
    run = ""

    def close() -> None:
        nonlocal run
        # Three letters, or two ideographs/syllables (自杀, 자살) in scripts without spaces.
        if len(run) >= 3 or (len(run) == 2 and all(ord(ch) >= 0x2E80 for ch in run)):
            found.append(frozenset([run]))
        run = ""

    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if op is sre.BRANCH and run:
            # The parser pulls a common prefix out of alternatives ("od'd|oded" is
            # "od" then "'d|ed"): put it back in front of each.
            joined = {run + _leading(branch) for branch in av[1]}
            if all(len(piece) >= 3 for piece in joined):
                found.append(frozenset(joined))
        close()
        if op is sre.SUBPATTERN:
            inner = _anchors(av[3])
            if inner:
                found.append(inner)
        elif op is sre.BRANCH:
            branches = [_anchors(branch) for branch in av[1]]
            if all(branches):
                found.append(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            inner = _anchors(av[2])
            if inner:
                found.append(inner)
    close()
    if not found:
        return None
    # The most selective: long pieces, few of them.
    return max(found, key=lambda f: (min(len(x) for x in f), -len(f)))


def _leading(items: Any) -> str:
    """The literal characters an alternative starts with."""
    lead = ""
    for op, av in items:
        if op is not sre.LITERAL:
            break
        lead += chr(av)
    return lead
