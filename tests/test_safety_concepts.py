"""The concept reading of the no-model first line (bot/safety/concepts.py), on sentences
written for these tests after the concepts were: none of them is in the lexicon, the
dev data or the fixtures. And the fresh evaluation set itself, as a floor."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot.safety import concepts
from bot.safety import detect as detect_module
from bot.safety.concepts import Hit, weigh
from bot.safety.detect import detect
from bot.safety.normalize import Sentence

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# No phrase rule reads these; the concepts do (an ending, the means, hoarding, a time,
# goodbyes, the blow and the threat, collapse and breath).
BY_CONCEPT = [
    ("suicidal", "the world would honestly be lighter without me in it"),
    ("suicidal", "been stashing my antidepressants in a sock for a month now"),
    ("self-harm", "burned my wrist with the lighter again, nobody knows"),
    ("abuse", "he smashed my head against the wall and says he'll find me wherever i go"),
    ("suicidal", "Ich habe seit Wochen Tabletten versteckt, heute Abend ist Schluss"),
    ("suicidal", "j'ai caché des cachets depuis des semaines, ce soir je les prends tous"),
    ("suicidal", "tô juntando calmantes faz um mês, já sei o que vou fazer"),
    ("suicidal", "ho scritto una lettera per mia sorella, stanotte la faccio finita"),
    ("suicidal", "ik heb al weken slaappillen verstopt en vanavond neem ik ze allemaal"),
    ("suicidal", "я уже месяц прячу таблетки, сегодня выпью все"),
    ("suicidal", "haftalardır hapları saklıyorum, bu gece hepsini içeceğim"),
    ("suicidal", "睡眠薬を貯めてある、今夜全部飲む"),
]
# The same concepts where a friend would not stop everything.
NOT_A_CRISIS = [
    "I'd never take all my pills at once, don't worry",
    "in my novel the heroine hoards pills and plans to end it in chapter 9",
    "years ago i was hoarding pills. i'm doing great now",
    "if this meeting runs over i'm swallowing everything in the snack cupboard lol",
    "I've been saving up for a new phone",
    "I bought rope for the climbing trip this weekend",
    "said goodbye to my flatmate today, she's moving to Leeds",
    "happy to help, happiness is free",
    "we'll end it with a party tonight",
    "ich habe meine alten Tabletten zur Apotheke gebracht, nichts schlimmes",
    "no aguanto más este calor, me voy a la playa",
]


@pytest.mark.parametrize(("kind", "message"), BY_CONCEPT)
def test_concepts_notice_what_no_phrase_says(
    kind: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    finding = detect(message)
    assert finding.crisis, (message, finding)
    assert finding.kind == kind, finding
    assert any(s.rule.startswith("concepts: ") for s in finding.signals), finding
    monkeypatch.setattr(detect_module, "_concept_matches", lambda *_: [])
    assert not detect(message).crisis  # the phrase rules alone miss it


@pytest.mark.parametrize("message", NOT_A_CRISIS)
def test_the_same_concepts_in_harmless_sentences_are_not(message: str) -> None:
    finding = detect(message)
    assert not finding.crisis, (message, finding)


def test_a_guard_changes_the_verdict_on_the_same_words() -> None:
    """Each pair differs only in what the guard reads: negation, someone else, the
    past, laughter."""
    pairs = [
        ("i'm going to take all my pills tonight", "i'm not going to take all my pills tonight"),
        ("i've been saving up my sleeping pills", "she's been saving up her sleeping pills"),
        ("i've been hoarding pills for weeks", "years ago i was hoarding pills, all good now"),
        ("i'm going to swallow everything in the cabinet", "i'm going to swallow everything lol"),
    ]
    for crisis, calm in pairs:
        assert detect(crisis).crisis, crisis
        assert not detect(calm).crisis, calm


def _hit(concept: str, sentence: int = 0, start: int = 0) -> Hit:
    return Hit(concept, sentence, start, start + 3, concepts.WEIGHTS.get(concept, 0.0))


def _score(hits: list[Hit], kind: str = "suicidal") -> float:
    parts = [Sentence("x" * 40), Sentence("y" * 40)]
    return next((f.weight for f in weigh("en", hits, parts) if f.kind == kind), 0.0)


def test_concepts_add_up_and_one_alone_is_not_enough() -> None:
    assert _score([_hit("end")]) < 1.0
    assert _score([_hit("want")]) == 0.0  # a booster without a core counts for nothing
    assert _score([_hit("end"), _hit("want", start=10)]) >= 1.0
    # in another sentence, a concept counts half
    assert _score([_hit("end"), _hit("want", 1)]) == pytest.approx(0.8)
    # despair with the preparations made stands for a plan
    assert _score([_hit("hopeless"), _hit("decided", start=10)]) >= 0.8
    assert _score([_hit("hopeless")]) == 0.0


def test_someone_else_softens_and_means_count_once() -> None:
    alone = _score([_hit("end"), _hit("want", start=10)])
    about_her = _score([_hit("end"), _hit("want", start=10), _hit("other", start=20)])
    assert about_her == pytest.approx(alone * concepts.ABOUT_SOMEONE_ELSE)
    mine = _score([_hit("end"), _hit("want", start=10), _hit("other", start=20), _hit("me")])
    assert mine == pytest.approx(alone)
    # "on the bridge": a place and a means on the same words count as the heavier
    same_words = _score([Hit("place", 0, 0, 12, 0.6), Hit("means", 0, 7, 12, 0.4)])
    assert same_words == pytest.approx(0.6)


def _load(name: str) -> list[dict[str, object]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_the_fresh_set_is_large_varied_and_split_by_id() -> None:
    items = _load("safety_fresh.json")
    crises = [i for i in items if i["crisis"]]
    assert len(crises) >= 150 and len(items) - len(crises) >= 150
    assert len({i["id"] for i in items}) == len(items) == len({i["text"] for i in items})
    assert {i["lang"] for i in items} >= {
        "en", "de", "fr", "es", "pt", "it", "nl", "pl", "tr", "ru", "ja"
    }  # fmt: skip
    halves = Counter((int(i["id"]) % 2, i["crisis"]) for i in items)  # type: ignore[call-overload]
    assert all(n >= 75 for n in halves.values()), halves


def _scores(items: list[dict[str, object]]) -> tuple[float, float]:
    crises = [i for i in items if i["crisis"]]
    calm = [i for i in items if not i["crisis"]]
    recall = sum(detect(str(i["text"])).crisis for i in crises) / len(crises)
    alarms = sum(detect(str(i["text"])).crisis for i in calm) / len(calm)
    return recall, alarms


def test_floor_on_the_data_the_rules_were_tuned_on() -> None:
    """Not a measure of how well the rules generalise (the README has those, from the
    check half): a floor, so a change that loses what was won is noticed."""
    tune = [i for i in _load("safety_fresh.json") if int(i["id"]) % 2 == 1]  # type: ignore[call-overload]
    recall, alarms = _scores(tune)
    assert recall >= 0.9 and alarms <= 0.05, (recall, alarms)
    recall, alarms = _scores(_load("safety_late.json"))
    assert recall >= 0.85 and alarms <= 0.05, (recall, alarms)
