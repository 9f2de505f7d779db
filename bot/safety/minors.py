"""Noticing that someone is under 18, from plain statements only ("I'm 15", "I'm in
9th grade", "tengo 14 años"), and noticing requests for romantic or sexual role-play.

Conservative by design: "I'm 15 minutes late", "my son is 15" or "15 years of
experience" say nothing about the writer's age; a wrong guess is corrected with
/safety adult."""

from __future__ import annotations

import re

from bot.safety.normalize import normalise

_AGE = r"(?:1[0-7]|[89])"  # 8-17: younger writers say it the same way
_END = r"(?=\s*(?:$|[.,!?;:)]|and\b|but\b|so\b|lol\b|haha|btw\b|y\b|e\b|und\b|et\b|en\b|ma\b|pero\b|mas\b|aber\b|anos?\b|ans\b|anni\b|jahre?\b|jaar\b|years?\b|yrs?\b|yo\b|y/o\b))"
_NOT_AFTER = r"(?!\s*(?:minutes?|mins?|hours?|seconds?|days?|weeks?|months?|percent|%|euros?|dollars?|pounds?|km|miles?|kg|lbs?|times?|de experiencia|d'experience|di esperienza|anos de|jahre (?:lang|erfahrung)|jaar (?:ervaring|getrouwd)|years? (?:of|in|into|married|clean|sober|ago)|steps?|floors?|people|kids))"

_MINOR = re.compile(
    "|".join(
        [
            # English
            rf"\b(?:i'?m|im|i am) (?:only |just |barely )?{_AGE}{_NOT_AFTER}{_END}",
            rf"\b(?:i'?m|im|i am) (?:only |just )?{_AGE} (?:years|yrs|year) old\b",
            r"\b(?:i just turned|i turned|i'?ll be|i will be|i'?m turning|im turning) (?:1[0-7])\b(?! (?:in|minutes|years ago))",
            rf"\bmy age is {_AGE}\b|\bage {_AGE}\b(?= here| btw|$)",
            r"\b(?:i'?m|im|i am) in (?:(?:the )?(?:[5-9]|1[01])(?:st|nd|rd|th) grade|(?:fifth|sixth|seventh|eighth|ninth|tenth|eleventh) grade|middle school|junior high|high school|year (?:[7-9]|1[0-2]))\b",
            r"\b(?:i'?m|im|i am) a (?:high school |hs )?(?:freshman|sophomore|junior) in high school\b|\b(?:i'?m|im|i am) a (?:middle|high) schooler\b",
            rf"\b{_AGE} ?(?:yo|y/o|year old) (?:here|girl|boy|kid)\b",
            # Spanish / Portuguese / Italian / French / German / Dutch
            rf"\btengo (?:solo )?{_AGE} anos\b(?! de)|\btengo (?:solo )?{_AGE}{_END}(?! (?:anos de|euros))",
            rf"\btenho (?:so |apenas )?{_AGE} anos\b(?! de)",
            rf"\bho (?:solo )?{_AGE} anni\b(?! di)",
            rf"\bj'?ai (?:seulement |que )?{_AGE} ans\b(?! d'?experience| de)",
            rf"\bich bin (?:erst |nur )?{_AGE}(?: jahre(?: alt)?)?{_END}(?! jahre (?:lang|verheiratet))",
            rf"\bik ben (?:pas |maar |nog maar )?{_AGE}(?: jaar(?: oud)?)?{_END}",
            r"\bvoy a (?:la )?secundaria\b|\bestoy en (?:la )?secundaria\b|\bich gehe (?:noch )?in die (?:[5-9]|1[01])\.? klasse\b|\bje suis (?:au college|en (?:6e|5e|4e|3e|seconde|premiere|sixieme|cinquieme|quatrieme|troisieme))\b",
            r"\bik zit (?:in groep [5-8]|in de brugklas|in (?:de )?(?:eerste|tweede|derde|vierde) klas|op de middelbare)\b",
        ]
    )
)

_ADULT = re.compile(r"^\s*(?:adult|18\+?|over 18|(?:1[89]|[2-9]\d|1\d\d))\s*$")

# Explicit requests for romance or sex: a minor gets a kind, fixed "no" before any model.
_ROMANTIC = re.compile(
    "|".join(
        [
            r"\b(?:be|become|act as|pretend (?:to be|you'?re|you are)|roleplay as|rp as|play) (?:my |a )?(?:girlfriend|boyfriend|gf|bf|wife|husband|lover|partner|crush|date|sugar daddy|waifu|husbando)\b",
            r"\b(?:let'?s|can we|could we|want to|wanna|will you|would you) (?:roleplay|role play|rp|pretend)(?: \w+){0,4} (?:dating|couple|lovers|romance|romantic|kiss|kissing|make out|sex|sexy|naughty|in love|married)\b",
            r"\b(?:kiss|make out with|date|marry|sleep with|have sex with|sext|flirt with|cuddle with|touch) me\b",
            r"\b(?:talk|be|get) (?:dirty|naughty|sexy|spicy|horny|kinky)\b|\bsext(?:ing)?\b|\bnudes?\b|\bnsfw\b|\berotic\b|\bhorny\b|\bsex chat\b|\bsexting\b",
            r"\b(?:do you|would you) (?:love|want to kiss|want to date|have a crush on) me\b",
            r"\b(?:se|seas|serias) mi (?:novia|novio|pareja|esposa|esposo)\b|\bbesame\b|\bhablemos sucio\b|\bsexo\b",
            r"\b(?:sei|sii|sarai) (?:la mia ragazza|il mio ragazzo|la mia fidanzata|il mio fidanzato)\b|\bbaciami\b|\bsesso\b",
            r"\bsois ma (?:copine|petite amie)|\bsois mon (?:copain|petit ami)\b|\bembrasse[- ]moi\b|\bsexe\b",
            r"\bseja (?:minha namorada|meu namorado)\b|\bme beija\b|\bsexo\b",
            r"\bsei (?:meine feste freundin|mein fester freund)\b|\bkuss mich\b|\bsex\b|\bflirte mit mir\b",
            r"\bwees (?:mijn vriendinnetje|mijn vriendje)\b|\bkus me\b|\bseks\b|\bflirt met me\b",
        ]
    )
)


def says_minor(text: str) -> bool:
    return bool(_MINOR.search(normalise(text)))


def says_adult(value: str) -> bool:
    """For /safety: "adult", "18+", "25"."""
    return bool(_ADULT.match(value.strip().lower()))


def asks_romance(text: str) -> bool:
    return bool(_ROMANTIC.search(normalise(text)))
