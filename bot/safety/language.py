"""Which of the supported languages a message is in: enough to answer in it.

Counts common short words; a tie or too little text gives None (the caller falls
back to the person's locale, then English)."""

from __future__ import annotations

import re

from bot.safety.normalize import fold

_WORDS: dict[str, set[str]] = {
    "en": set(
        "i you the and is are my me to it that this was not "
        "what do so but have just im i'm dont don't can't of a an".split()
    ),
    "es": set(
        "yo tu el la que de y no me mi es en lo "
        "por una un muy pero estoy tengo ya mas como esta soy quiero eres".split()
    ),
    "de": set(
        "ich du und nicht der die das ist mir mich mein ein "
        "eine zu es bin hat er sie gerade auch noch bist habe will".split()
    ),
    "fr": set(
        "je tu et le la les pas ne de est suis mon ma "
        "un une me c'est il elle plus j'ai t'es es vous avec pour".split()
    ),
    "pt": set(
        "eu voce nao que de e o a meu minha um "
        "uma mais estou com para me isso ta to sou quero esta".split()
    ),
    "it": set(
        "io tu non che di e il la mi sono un "
        "una ho per ma piu mio mia sei questo sto voglio anche".split()
    ),
    "nl": set(
        "ik je jij en de het een niet is van mijn "
        "me dat ben heb op te wil maar ook nog wat zijn".split()
    ),
}
_TOKEN = re.compile(r"[\w']+")


def guess(text: str) -> str | None:
    words = _TOKEN.findall(fold(text))
    if not words:
        return None
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    top = scores[best]
    if top == 0 or sum(1 for s in scores.values() if s == top) > 1:
        return None
    return best


def from_locale(locale: str | None) -> str | None:
    if not locale:
        return None
    lang = locale.replace("_", "-").split("-")[0].lower()
    return lang if lang in _WORDS else None
