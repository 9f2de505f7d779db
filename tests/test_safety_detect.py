"""The no-model first line and the small readers around it, on sentences written for
these tests (never the dev data, which stays in ../shared/data/safety)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.safety import helplines, judge
from bot.safety.detect import detect
from bot.safety.honesty import asks_if_human, says_it_is_ai
from bot.safety.minors import asks_romance, says_adult, says_minor
from bot.safety.normalize import normalise
from bot.safety.texts import LANGUAGES, Help, crisis_care, referral, text

CRISES = [
    ("suicidal", "i just want to go to sleep and never wake up"),
    ("suicidal", "Every night I pray I won't wake up"),
    ("suicidal", "nobody would even notice if I was gone"),
    ("suicidal", "I've been stockpiling my meds for weeks"),
    ("suicidal", "everyone would be happier if I just disappeared"),
    ("suicidal", "I don't see any reason to keep going"),
    ("suicidal", "what's the point of even being alive"),
    ("suicidal", "my girlfriend said she's going to kill herself tonight"),
    ("self-harm", "i relapsed and cut myself tonight"),
    ("self-harm", "I scratched my arms until they bled"),
    ("overdose", "I swallowed a whole pack of paracetamol"),
    ("overdose", "My roommate took a bunch of pills and won't wake up"),
    ("abuse", "my stepdad beats me when he's drunk, I'm scared to go home"),
    ("abuse", "There's a man trying to break into my flat right now"),
    ("medical", "I have a crushing pain in my chest and I'm sweating"),
    ("medical", "suddenly I can't speak properly and half my face feels numb"),
    ("medical", "My baby isn't breathing properly and her lips are blue"),
    ("suicidal", "Quisiera dormirme y no despertar nunca más"),
    ("abuse", "Mi novio me golpea y no me deja salir de casa"),
    ("suicidal", "Alle wären besser dran ohne mich"),
    ("self-harm", "Ich habe mich wieder geritzt"),
    ("suicidal", "Je pense à me tuer tous les jours"),
    ("medical", "Mon père a le visage qui tombe et il parle bizarrement"),
    ("suicidal", "Penso em me matar todos os dias"),
    ("medical", "Minha mãe desmaiou e não acorda"),
    ("suicidal", "Vorrei addormentarmi e non svegliarmi più"),
    ("abuse", "Il mio ragazzo mi picchia"),
    ("suicidal", "Iedereen is beter af zonder mij"),
    ("self-harm", "Ik heb mezelf weer gesneden"),
    ("suicidal", "Nie chcę już żyć"),
    ("suicidal", "Я не хочу больше жить"),
    ("suicidal", "Kendimi öldürmek istiyorum"),
    ("suicidal", "我想自杀"),
    ("suicidal", "もう死にたい"),
]

CALM = [
    "this homework is killing me slowly lol",
    "my feet are killing me after that hike",
    "I'd kill for a nap",
    "my laptop died in the middle of the meeting",
    "my mom is going to kill me when she sees the dent in the car",
    "omg I'm dying, that video is hilarious 😂",
    "this printer makes me want to throw myself off a cliff lol",
    "we watched a film where the hero kills himself, so sad",
    "my uncle took his own life ten years ago, I still miss him",
    "I used to self-harm as a teenager but I've been clean for 6 years",
    "I'm not suicidal, just really tired",
    "I would never kill myself, I love my kids",
    "feeling a bit down, exams are stressful",
    "I cut myself shaving this morning lol",
    "my chest hurts from laughing so much",
    "I can't breathe through my nose with this cold",
    "I don't want to live in this city anymore",
    "I need to end things with my boyfriend",
    "giving away my old clothes to charity",
    "my grandma had a stroke last year but she's doing better now",
    "I bought some pills for my headache",
    "my arm fell asleep and now it's all pins and needles",
    "Este calor me está matando",
    "Mi madre me va a matar cuando vea las notas",
    "Mein Akku ist tot",
    "Die Hitze bringt mich noch um",
    "Je veux en finir avec ce rapport",
    "Tô morrendo de fome",
    "Sto morendo dal ridere",
    "Ik ga dood van de honger",
    "死ぬほど笑った",
    "죽고 싶지 않아",
]


@pytest.mark.parametrize(("kind", "message"), CRISES)
def test_a_crisis_is_noticed_without_a_model(kind: str, message: str) -> None:
    finding = detect(message)
    assert finding.crisis, (message, finding)
    assert finding.kind in (kind, "suicidal", "overdose", "medical")


@pytest.mark.parametrize("message", CALM)
def test_hyperbole_sadness_fiction_and_the_past_are_not(message: str) -> None:
    finding = detect(message)
    assert not finding.crisis, (message, finding)


def test_the_kind_and_language_are_read() -> None:
    assert detect("he threatened to kill me if I tell anyone").kind == "abuse"
    assert detect("Ik wil er niet meer zijn").lang == "nl"
    assert detect("quiero morirme").lang == "es"


def test_spelling_does_not_hide_a_crisis() -> None:
    """Capitals, missing accents, zero-width characters, letters in digits."""
    for spelled in (
        "I WANT TO KILL MYSELF",
        "i want to k\u200bill myself",
        "i want to k1ll mys3lf",
        "no quiero vivir mas",
        "ich mochte nicht mehr leben",
        "i wanna dieeee",
    ):
        assert detect(spelled).crisis, spelled
    assert normalise("Ｉ ＷＡＮＮＡ") == "i want to"  # NFKC, then slang


def test_negation_and_laughter() -> None:
    assert not detect("I don't want to die, I just want the pain to stop").crisis
    assert not detect("i want to die lol this meme").crisis
    assert detect("I don't know why but I want to die").crisis
    # a plan survives a nervous laugh
    assert detect("haha so I have the pills lined up on my desk").crisis


def test_honesty_questions_in_every_language() -> None:
    for question in (
        "are you a real person?",
        "r u a bot",
        "am I talking to a human?",
        "¿eres una persona real?",
        "bist du ein Mensch?",
        "es-tu humain ?",
        "você é humano?",
        "sei una persona vera?",
        "ben je een mens?",
    ):
        assert asks_if_human(question), question
    for other in (
        "ben je echt boos?",
        "are you there?",
        "el problema es real",
        "you are real nice",
    ):
        assert not asks_if_human(other), other
    assert says_it_is_ai("Just so you know: I'm an AI companion.")
    assert not says_it_is_ai("Hi there! How was your day?")


def test_minors_are_recognised_conservatively() -> None:
    for young in ("I'm 15", "im 16 lol", "I'm in 9th grade", "tengo 14 años", "j'ai 13 ans"):
        assert says_minor(young), young
    for other in (
        "I'm 15 minutes late",
        "my son is 15",
        "I have 15 years of experience",
        "I'm 25",
        "tengo 15 años de experiencia",
    ):
        assert not says_minor(other), other
    assert says_adult("adult") and says_adult("19") and not says_adult("16")
    assert asks_romance("can you be my girlfriend?") and not asks_romance("can we play chess?")


def test_the_models_judgement_is_read_leniently() -> None:
    assert judge.parse('```json\n{"crisis": true, "kind": "abuse"}\n```') == judge.Judgement(
        True, "abuse"
    )
    assert judge.parse('{"crisis": true, "kind": "weird"}') == judge.Judgement(True, "suicidal")
    assert judge.parse('{"crisis": false}') == judge.Judgement(False, "none")
    assert judge.parse("You said: hello") is None


def test_helplines_cover_thirty_countries_each_with_its_source() -> None:
    assert len(helplines.HELPLINES) >= 30
    source = Path(helplines.__file__).read_text(encoding="utf-8")
    entries = re.findall(r"# source: (\S+)[^\n]*\n\s+Helpline\(\s*\"([A-Z]{2})\"", source)
    assert {code for _, code in entries} == set(helplines.HELPLINES)
    assert all(url.startswith("https://") for url, _ in entries)
    assert helplines.country_of_zone("Europe/Berlin") == "DE"
    assert helplines.country_of_zone("America/Sao_Paulo") == "BR"
    assert helplines.country_of_zone("UTC") is None
    assert helplines.country_of_locale("pt_BR.UTF-8") == "BR"
    assert helplines.find_country("Deutschland") == "DE"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_text(lang: str) -> None:
    known, unknown = Help.of("FR"), Help.of(None)
    for kind in ("suicidal", "self-harm", "abuse", "medical", "overdose"):
        for where in (known, unknown):
            words = crisis_care(lang, kind, where) + " " + referral(lang, kind, where)
            assert "{" not in words
            assert (where.emergency or "112") in words
    assert "findahelpline.com" in referral(lang, "suicidal", unknown)
    assert "3114" in referral(lang, "suicidal", known)
    for key in ("first_notice", "notice", "minor_break", "human", "minor_refusal"):
        assert text(lang, key) != text("en", key) or lang == "en"


def test_the_piece_finder_finds_every_piece_a_sentence_holds() -> None:
    """The one pass that picks the rules to run finds exactly the rule pieces that
    ``in`` finds, in every script (else a rule would be skipped on text it matches)."""
    from bot.safety.detect import _pieces
    from bot.safety.normalize import sentences

    pieces = _pieces()
    for message in [m for _, m in CRISES] + CALM:
        for sentence in sentences(normalise(message)):
            expected = {p for p in pieces.wakes if p in sentence.text}
            assert pieces.find(sentence.text) == expected, sentence.text
