"""The first line: does this message need a friend to stop everything? No model.

Every language's rules run on every message (no language guess to get wrong).
A match counts for less when its sentence talks about the past, fiction or the
news, when the message laughs, or when a figure of speech covers it ("dying of
laughter", "my mom will kill me when she sees this"); not at all after a negation
("I would never kill myself"). Overlapping matches count once, the heaviest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from bot.safety import concepts as concept_rules
from bot.safety.lexicon import concepts_all, de, en, es, fr, it, more, nl, pt
from bot.safety.normalize import Sentence, fold, normalise, sentences
from bot.safety.rules import CRISIS_KINDS, HINT_KINDS, CompiledLexicon, Lexicon, Rule

THRESHOLD = 1.0
LAUGHTER = 0.5
PAST = 0.4
FICTION = 0.4
FIGURATIVE = 0.2
NEGATION_WINDOW = 3  # words before a match that may negate it
SECOND_KIND = 0.5  # what a second kind of danger adds
SYMPTOM_CLUSTER = 3  # symptoms that make a medical emergency without a named one


@dataclass(frozen=True, slots=True)
class Signal:
    """One rule that matched, and what it counts for after its context."""

    kind: str
    lang: str
    weight: float
    rule: str


@dataclass(frozen=True, slots=True)
class Finding:
    crisis: bool
    kind: str | None  # suicidal | self-harm | overdose | abuse | medical
    lang: str | None  # the language of the strongest signal
    score: float
    signals: tuple[Signal, ...] = ()


NONE = Finding(False, None, None, 0.0)


def _written() -> list[Lexicon]:
    written = [en.LEXICON, es.LEXICON, de.LEXICON, fr.LEXICON, pt.LEXICON, it.LEXICON]
    return [*written, nl.LEXICON, *more.MORE, *more.RAW]


@cache
def lexicons() -> tuple[CompiledLexicon, ...]:
    return tuple(lex.compile() for lex in _written())


@cache
def concept_lexicons() -> tuple[tuple[CompiledLexicon, CompiledLexicon], ...]:
    """Each language's concepts, read with the context words of its phrase rules."""
    base = {lex.lang: lex for lex in _written()}
    return tuple(concept_rules.compile_concepts(c, base.get(c.lang)) for c in concepts_all.CONCEPTS)


@dataclass(frozen=True, slots=True)
class _Pieces:
    """Every lexicon's anchor pieces, so one pass over a sentence tells which rules can
    match it: a piece is looked for only in text that holds three characters of it
    (its key), and the shorter ones (two ideographs) only in text with such characters."""

    starts: dict[str, tuple[str, ...]]  # key -> the pieces
    keys: frozenset[str]
    short: tuple[str, ...]
    floor: str  # a text whose every character is below this holds no short piece
    # piece -> (lexicon number, the numbers of its rules the piece wakes), per lexicon
    wakes: dict[str, tuple[tuple[int, tuple[int, ...]], ...]]

    def find(self, text: str) -> set[str]:
        keys = self.keys.intersection(_trigrams(text))
        found = {piece for key in keys for piece in self.starts[key] if piece in text}
        if self.short and max(text) >= self.floor:
            found.update(piece for piece in self.short if piece in text)
        return found

    def woken(self, text: str) -> dict[int, list[tuple[int, ...]]]:
        """Per lexicon number, the groups of rule numbers woken by pieces in ``text``."""
        out: dict[int, list[tuple[int, ...]]] = {}
        for piece in self.find(text):
            for number, rules in self.wakes[piece]:
                out.setdefault(number, []).append(rules)
        return out


def _all_lexicons() -> list[CompiledLexicon]:
    """Phrase lexicons, then each language's concept cores and rest, numbered so."""
    return [*lexicons(), *(lex for pair in concept_lexicons() for lex in pair)]


@cache
def _pieces() -> _Pieces:
    wakes: dict[str, list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
    for number, lex in enumerate(_all_lexicons()):
        for piece, rules in lex.wakes.items():
            wakes[piece].append((number, rules))
    short = [piece for piece in wakes if len(piece) < 3]
    common = Counter(gram for piece in wakes for gram in set(_trigrams(piece)))
    starts: dict[str, list[str]] = defaultdict(list)
    for piece in wakes:
        if len(piece) >= 3:
            # Any three characters of a piece will do; the rarest among the pieces,
            # without a space, leave the fewest pieces to look for (" me" is everywhere).
            key = min(_trigrams(piece), key=lambda gram: (" " in gram, common[gram], gram))
            starts[key].append(piece)
    return _Pieces(
        starts={key: tuple(pieces) for key, pieces in starts.items()},
        keys=frozenset(starts),
        short=tuple(short),
        floor=min((max(piece) for piece in short), default=""),
        wakes={piece: tuple(found) for piece, found in wakes.items()},
    )


def _trigrams(text: str) -> list[str]:
    return [text[i : i + 3] for i in range(len(text) - 2)]


class _Laughing:
    """Whether the message laughs, read for a lexicon the first time a match needs it."""

    __slots__ = ("folded", "lex", "normal", "value")

    def __init__(self, lex: CompiledLexicon, normal: str, folded: str) -> None:
        self.lex, self.normal, self.folded = lex, normal, folded
        self.value: bool | None = None

    def __call__(self) -> bool:
        if self.value is None:
            self.value = _laughing(self.lex, self.normal, self.folded)
        return self.value


@dataclass(slots=True)
class _Match:
    sentence: int
    start: int
    end: int
    weight: float
    rule: Rule


def detect(text: str) -> Finding:
    """The rules' judgement of one message."""
    if not text or not text.strip():
        return NONE
    normal = normalise(text)
    folded = fold(text)
    parts = sentences(normal)
    if not parts:
        return NONE
    pieces = _pieces()
    woken = [pieces.woken(sentence.text) for sentence in parts]
    found: list[_Match] = []
    for number, lex in enumerate(lexicons()):
        laughing: _Laughing | None = None
        for index, sentence in enumerate(parts):
            groups = woken[index].get(number)
            if groups is None and not lex.always:
                continue
            rules = lex.waking(groups or [])
            if laughing is None:
                laughing = _Laughing(lex, normal, folded)
            found.extend(_matches(lex, index, sentence, rules, laughing))
    found.extend(_concept_matches(parts, normal, folded, woken))
    if not found:
        return NONE
    return _weigh(_without_overlaps(found))


def _concept_matches(
    parts: list[Sentence], normal: str, folded: str, woken: list[dict[int, list[tuple[int, ...]]]]
) -> list[_Match]:
    """Each language's concepts added up; per kind, only the language that reads the
    most into the message counts (a Turkish stem inside an English word must not add
    to an English concept)."""
    best: dict[str, concept_rules.ConceptFinding] = {}
    number = len(lexicons())  # the concept lexicons' numbers in _pieces, in pairs
    for cores, rest in concept_lexicons():
        laughing = _Laughing(cores, normal, folded)
        hits = _concept_hits(cores, number, parts, woken, laughing)
        if hits:  # nothing to add up without a core concept
            hits += _concept_hits(rest, number + 1, parts, woken, laughing)
            for finding in concept_rules.weigh(cores.lang, hits, parts):
                current = best.get(finding.kind)
                if finding.weight > 0 and (current is None or finding.weight > current.weight):
                    best[finding.kind] = finding
        number += 2
    return [
        _Match(f.sentence, f.start, f.end, f.weight, concept_rules.as_rule(f))
        for f in best.values()
    ]


def _concept_hits(
    lex: CompiledLexicon,
    number: int,
    parts: list[Sentence],
    woken: list[dict[int, list[tuple[int, ...]]]],
    laughing: _Laughing,
) -> list[concept_rules.Hit]:
    hits = []
    for index, sentence in enumerate(parts):
        groups = woken[index].get(number)
        if groups is None and not lex.always:
            continue
        for m in _matches(lex, index, sentence, lex.waking(groups or []), laughing):
            hits.append(concept_rules.Hit(m.rule.kind, index, m.start, m.end, m.weight))
    return hits


def _laughing(lex: CompiledLexicon, normal: str, folded: str) -> bool:
    if lex.laughter is None:
        return False
    return bool(lex.laughter.search(normal) or lex.laughter.search(folded))


def _matches(
    lex: CompiledLexicon, index: int, sentence: Sentence, rules: list[Rule], laughing: _Laughing
) -> list[_Match]:
    out: list[_Match] = []
    factor = None
    text = sentence.text
    for rule in rules:
        for match in rule.regex.finditer(text):
            if _negated(lex, sentence, match.start()):
                continue
            if factor is None:
                factor = _sentence_factor(lex, sentence.text) * (LAUGHTER if laughing() else 1.0)
            weight = rule.weight * factor
            if _figurative(lex, sentence.text, match.start(), match.end()):
                weight *= FIGURATIVE
            out.append(_Match(index, match.start(), match.end(), weight, rule))
            break  # one match per rule and sentence is enough
    return out


def _negated(lex: CompiledLexicon, sentence: Sentence, start: int) -> bool:
    if lex.negation is None:
        return False
    clause = sentence.clause_before(start)
    if lex.raw:
        window = clause[-3:]
    else:
        window = " ".join(clause.split()[-NEGATION_WINDOW:])
    return bool(window and lex.negation.search(window))


def _sentence_factor(lex: CompiledLexicon, sentence: str) -> float:
    factor = 1.0
    recent = lex.recent is not None and lex.recent.search(sentence)
    if lex.past is not None and not recent and lex.past.search(sentence):
        factor *= PAST
    if lex.fiction is not None and lex.fiction.search(sentence):
        factor *= FICTION
    if lex.settled is not None and lex.settled.search(sentence):
        factor *= PAST
    return factor


def _figurative(lex: CompiledLexicon, sentence: str, start: int, end: int) -> bool:
    """A figure of speech touching the match ("kill me when she sees this")."""
    if lex.figurative is None:
        return False
    for figure in lex.figurative.finditer(sentence):
        if figure.start() <= end + 1 and start <= figure.end() + 1:
            return True
    return False


def _without_overlaps(found: list[_Match]) -> list[_Match]:
    """Rules of one family that matched the same words are one signal: keep the
    heaviest."""
    kept: list[_Match] = []
    for match in sorted(found, key=lambda m: -m.weight):
        clash = any(
            k.sentence == match.sentence
            and k.start < match.end
            and match.start < k.end
            and _family(k.rule.kind) == _family(match.rule.kind)
            for k in kept
        )
        if not clash:
            kept.append(match)
    return kept


def _family(kind: str) -> str:
    """Hints belong with what they support: "tonight" as danger does not hide
    "I've decided tonight" as distress."""
    return HINT_KINDS.get(kind, kind)


def _weigh(found: list[_Match]) -> Finding:
    best_per_rule: dict[int, _Match] = {}
    for match in found:  # a rule matching in two sentences counts once
        key = id(match.rule)
        if key not in best_per_rule or best_per_rule[key].weight < match.weight:
            best_per_rule[key] = match
    scores: dict[str, float] = defaultdict(float)
    hints: dict[str, float] = defaultdict(float)
    strongest: dict[str, tuple[float, str]] = {}
    symptoms = 0
    for match in best_per_rule.values():
        kind = match.rule.kind
        if kind in HINT_KINDS:
            hints[kind] += match.weight
            symptoms += kind == "symptom" and match.weight >= 0.45
            continue
        scores[kind] += match.weight
        if match.weight > strongest.get(kind, (0.0, ""))[0]:
            strongest[kind] = (match.weight, match.rule.lang)
    if hints["danger"] and scores["abuse"]:
        scores["abuse"] += hints["danger"]
    if hints["symptom"] and scores["medical"]:
        scores["medical"] += hints["symptom"]
    elif symptoms >= SYMPTOM_CLUSTER:  # chest, arm, breath, sweat: together they say it
        scores["medical"] = hints["symptom"]
    if hints["distress"]:
        inner = [k for k in ("suicidal", "self-harm", "overdose") if scores[k]]
        target = max(inner, key=lambda k: scores[k]) if inner else "suicidal"
        scores[target] += hints["distress"]
    kinds = [k for k in CRISIS_KINDS if scores[k] > 0]
    signals = tuple(
        Signal(m.rule.kind, m.rule.lang, round(m.weight, 3), m.rule.source)
        for m in sorted(best_per_rule.values(), key=lambda m: -m.weight)
    )
    if not kinds:
        return Finding(False, None, None, 0.0, signals)
    ranked = sorted(kinds, key=lambda k: -scores[k])
    kind = ranked[0]
    # Two kinds of danger at once (starving oneself and fainting) add up, at half weight.
    score = scores[kind] + (SECOND_KIND * scores[ranked[1]] if len(ranked) > 1 else 0.0)
    lang = strongest.get(kind, (0.0, None))[1] or _hint_lang(best_per_rule.values())
    return Finding(score >= THRESHOLD, kind, lang, round(score, 3), signals)


def _hint_lang(matches: object) -> str | None:
    for match in matches:  # type: ignore[attr-defined]
        return str(match.rule.lang)
    return None
