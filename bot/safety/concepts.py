"""The second way the rules read a message: by concept, not by phrase.

A phrase list notices "I want to kill myself" and misses "I looked up how many of my
sleeping tablets it would take". People in a crisis rarely use the words a list was
written with, but what they say falls into a few concepts (see the language files in
``bot/safety/lexicon/concepts_*.py``): an ending (death, dying, disappearing for good),
the means (pills, rope, a bridge), wanting or planning it, when, having decided,
hoarding pills, goodbyes and giving things away, being a burden, hopelessness; for
self-harm the act and the blood; for violence the blow, the threat, being shut in;
for a medical emergency collapse, breath, stroke signs and their companions.

No concept is enough on its own unless it says it plainly; together they add up.
Each concept match goes through the same guards as a phrase rule of its language
(negation just before it, the past, fiction and the news, laughter, figures of
speech), and a sentence about someone else (a "he" or "the character" with no "I")
counts for little for suicide and self-harm.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.safety.normalize import Sentence
from bot.safety.rules import CompiledLexicon, Lexicon, Rule

# What each concept counts for; a crisis takes 1.0 (the rules' threshold).
WEIGHTS = {
    # suicide
    "end": 0.6,
    "means": 0.4,
    "lethal": 0.6,  # a means that is rarely bought for anything else at such a time
    "method": 1.0,  # an unmistakable method in progress (the car running in the garage)
    "hoard": 1.0,  # pills gathered and kept: a plan, whatever words come with it
    "farewell": 0.5,
    "giving": 0.6,
    "burden": 0.8,
    "without": 1.0,  # "better off without me": said plainly enough alone
    "place": 0.6,
    # self-harm
    "harm": 0.6,
    "blood": 0.4,
    "feel": 0.4,  # hurting to feel something, or on purpose
    "habit": 0.4,  # again, can't stop, nobody knows, it helps
    # shared boosters: count only beside a core concept of the same kind
    "want": 0.4,
    "seek": 0.4,
    "when": 0.3,
    "decided": 0.4,
    "hopeless": 0.4,
    "ominous": 0.5,
    # violence from someone else
    "violence": 0.7,
    "threat": 0.7,
    "confine": 0.6,
    "perpetrator": 0.3,
    "fear": 0.3,
    # medical emergency
    "collapse": 0.6,
    "unresponsive": 0.6,
    "breath": 0.7,
    "numbside": 0.5,
    "speech": 0.5,
    "seizure": 0.8,
    "anaphylaxis": 0.8,
    "chest": 0.5,
    "sweat": 0.3,
    "radiate": 0.3,
    "cause": 0.3,
    "ingest": 0.4,  # swallowed something, took pills
}
# Which concepts make which kind: (core concepts, boosters).
KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "suicidal": (
        frozenset(
            {
                "end",
                "means",
                "lethal",
                "method",
                "hoard",
                "farewell",
                "giving",
                "burden",
                "without",
                "place",
            }
        ),
        frozenset({"want", "seek", "when", "decided", "hopeless", "ominous"}),
    ),
    "self-harm": (
        frozenset({"harm"}),
        frozenset({"blood", "feel", "habit", "means", "want", "when", "decided", "hopeless"}),
    ),
    "abuse": (
        frozenset({"violence", "threat", "confine"}),
        frozenset({"perpetrator", "fear", "when"}),
    ),
    "medical": (
        frozenset(
            {
                "collapse",
                "unresponsive",
                "breath",
                "numbside",
                "speech",
                "seizure",
                "anaphylaxis",
                "chest",
            }
        ),
        frozenset({"sweat", "radiate", "cause", "ingest", "fear"}),
    ),
}
# Boosters that together stand for a core concept: despair with the preparations
# made ("I can't go on, everything is ready for tonight") is a plan without its words.
PAIRS: dict[str, tuple[frozenset[str], ...]] = {
    "suicidal": (frozenset({"hopeless", "decided"}), frozenset({"hopeless", "ominous"})),
}
INNER = ("suicidal", "self-harm")
MEANS = frozenset(
    {"means", "lethal", "method", "place", "hoard"}
)  # what "someone else" talk softens
ABOUT_SOMEONE_ELSE = 0.3
ELSEWHERE = 0.5  # a concept in another sentence of the message counts half


@dataclass(frozen=True, slots=True)
class Concepts:
    """One language's concepts: patterns per concept over normalised text (the same
    macros as phrase rules), who "I" and "someone else" are, and extra guards."""

    lang: str
    cues: dict[str, str]
    me: str = ""
    other: str = ""
    past: tuple[str, ...] = ()
    fiction: tuple[str, ...] = ()
    figurative: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    concept: str
    sentence: int
    start: int
    end: int
    weight: float


@dataclass(frozen=True, slots=True)
class ConceptFinding:
    """What the concepts of one language add up to for one kind."""

    kind: str
    lang: str
    weight: float
    sentence: int
    start: int
    end: int
    concepts: tuple[str, ...]


# Read first: concepts that can start a finding (a core, or one of a pair).
CORES = frozenset().union(
    *(core for core, _ in KINDS.values()), *(p for pairs in PAIRS.values() for p in pairs)
)


def compile_concepts(
    concepts: Concepts, base: Lexicon | None
) -> tuple[CompiledLexicon, CompiledLexicon]:
    """The concepts as two lexicons of rules (one rule per concept), with the context
    words of the language's phrase lexicon plus the concepts' own: the core concepts,
    and the rest (boosters, "me", "someone else"), which only need reading when a core
    concept matched. Most messages match no core concept and cost one quick look."""
    cores = [(n, WEIGHTS[n], p) for n, p in concepts.cues.items() if n in CORES]
    rest = [(n, WEIGHTS[n], p) for n, p in concepts.cues.items() if n not in CORES]
    if concepts.me:
        rest.append(("me", 0.0, concepts.me))
    if concepts.other:
        rest.append(("other", 0.0, concepts.other))

    def lexicon(rules: list[tuple[str, float, str]]) -> CompiledLexicon:
        return Lexicon(
            lang=concepts.lang,
            rules=rules,
            negators=list(base.negators) if base else [],
            laughter=list(base.laughter) if base else [],
            past=[*(base.past if base else []), *concepts.past],
            recent=list(base.recent) if base else [],
            fiction=[*(base.fiction if base else []), *concepts.fiction],
            settled=list(base.settled) if base else [],
            figurative=[*(base.figurative if base else []), *concepts.figurative],
            raw=base.raw if base else False,
        ).compile()

    return lexicon(cores), lexicon(rest)


def weigh(lang: str, hits: Iterable[Hit], sentences: list[Sentence]) -> list[ConceptFinding]:
    """Add up one language's concept hits into at most one finding per kind."""
    per_sentence: dict[int, dict[str, Hit]] = {}
    kept: list[Hit] = []
    # The same words read as two kinds of means ("on the bridge": a place and a
    # means; "saving pills": hoarding and a means) count once, as the heavier.
    for hit in sorted(hits, key=lambda h: -WEIGHTS.get(h.concept, 0.0)):
        if hit.concept in MEANS:
            if any(
                k.sentence == hit.sentence and k.start < hit.end and hit.start < k.end for k in kept
            ):
                continue
            kept.append(hit)
        seen = per_sentence.setdefault(hit.sentence, {})
        if hit.concept not in seen or seen[hit.concept].weight < hit.weight:
            seen[hit.concept] = hit
    out = []
    everywhere = {c for found in per_sentence.values() for c in found}
    for kind, (core, boost) in KINDS.items():
        for pair in PAIRS.get(kind, ()):
            if pair <= everywhere:
                core = core | pair
        best: tuple[float, int] | None = None
        for index, found in per_sentence.items():
            if not core & found.keys():
                continue
            score = sum(h.weight for c, h in found.items() if c in core or c in boost)
            if kind in INNER and "other" in found and "me" not in found:
                score *= ABOUT_SOMEONE_ELSE
            if best is None or score > best[0]:
                best = (score, index)
        if best is None:
            continue
        score, index = best
        here = per_sentence[index]
        elsewhere: dict[str, float] = {}
        for other_index, found in per_sentence.items():
            if other_index == index:
                continue
            for concept, hit in found.items():
                # Said again in another sentence still adds (three goodbyes are
                # more than one), at half weight and once per concept.
                if concept in core or concept in boost:
                    elsewhere[concept] = max(elsewhere.get(concept, 0.0), hit.weight)
        score += ELSEWHERE * sum(elsewhere.values())
        mine = [h for c, h in here.items() if c in core or c in boost]
        out.append(
            ConceptFinding(
                kind,
                lang,
                round(score, 3),
                index,
                min(h.start for h in mine),
                max(h.end for h in mine),
                tuple(sorted({*(c for c in here if c in core or c in boost), *elsewhere})),
            )
        )
    return out


def as_rule(finding: ConceptFinding) -> Rule:
    """A finding dressed as a rule, so it is weighed with the phrase rules (and one
    reading of the same words counts once)."""
    return _rule(finding.kind, finding.lang, "concepts: " + "+".join(finding.concepts))


@cache
def _rule(kind: str, lang: str, source: str) -> Rule:
    return Rule(lang, kind, 0.0, _NEVER, source)


_NEVER = re.compile("(?!)")
