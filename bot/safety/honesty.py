"""Honest about what it is: noticing "are you a real person?" in any supported
language, and noticing whether a reply already says it is an AI."""

from __future__ import annotations

import re

from bot.safety.normalize import normalise

# Questions about the companion's nature. After normalising: no accents, lower case,
# "r u" is already "are you".
# "real"/"echt"/"vrai" only count at the end of the question: "ben je echt boos?"
# ("are you really angry?") is not about what the companion is.
_END = r"(?=\s*(?:$|[?!.,]|or\b|oder\b|ou\b|o\b|of\b|lol\b))"
_REAL = rf"(?:real|reale|vero|vera|vrai|vraie|reel|reelle|echt|alive|sentient){_END}"
_ASKED = re.compile(
    r"|".join(
        [
            # English
            rf"\b(?:are|r) you (?:a |an |actually |really |even |just |like )*(?:human|person|real person|"
            rf"actual person|bot|robot|ai|a\.i\.|machine|computer|program|chatbot|chat bot|a guy|a girl|a man|a woman|{_REAL})\b",
            r"\b(?:is this|am i (?:talking|chatting|speaking|texting) (?:to|with)) (?:a |an )?(?:real |actual )?"
            r"(?:person|human|bot|robot|ai|machine|computer|people|someone real)\b",
            r"\b(?:is there|are there) (?:a |an )?(?:real )?(?:person|human|someone|people) (?:behind|on the other|typing|answering|reading)",
            r"\bwho am i (?:talking|speaking|chatting) (?:to|with)\b",
            # Spanish
            rf"\b(?:eres|es usted|sos) (?:un |una )?(?:persona|humano|humana|persona real|bot|robot|ia|inteligencia artificial|maquina|programa|{_REAL})\b",
            r"\b(?:hablo|estoy hablando|estoy chateando) con (?:un |una )?(?:persona|humano|bot|robot|ia|maquina)\b",
            r"\bhay (?:una )?persona (?:real )?(?:detras|ahi)\b",
            # German
            rf"\b(?:bist du|sind sie) (?:ein |eine |wirklich )*(?:mensch|echter mensch|bot|roboter|ki|maschine|programm|person|{_REAL})\b",
            r"\b(?:rede|schreibe|spreche|chatte) ich (?:gerade )?mit (?:einem |einer )?(?:mensch|menschen|bot|roboter|ki|maschine|person)\b",
            # French
            rf"\b(?:es[ -]tu|t'?es|tu es|etes[ -]vous|vous etes) (?:un |une |vraiment )*(?:humain|humaine|personne|vraie personne|bot|robot|ia|intelligence artificielle|machine|programme|{_REAL})\b",
            r"\bje (?:parle|discute) (?:a|avec) (?:un |une )?(?:humain|personne|bot|robot|ia|machine)\b",
            # Portuguese
            rf"\b(?:voce e|vc e|e voce) (?:um |uma )?(?:pessoa|humano|humana|pessoa real|bot|robo|ia|inteligencia artificial|maquina|programa|{_REAL})\b",
            r"\b(?:estou falando|to falando|tou falando|falo) com (?:um |uma )?(?:pessoa|humano|bot|robo|ia|maquina)\b",
            # Italian
            rf"\b(?:sei|e lei) (?:un |una |un'|davvero )*(?:persona|umano|umana|persona vera|persona reale|bot|robot|ia|intelligenza artificiale|macchina|programma|{_REAL})\b",
            r"\bsto (?:parlando|chattando|scrivendo) con (?:un |una |un')?(?:persona|umano|bot|robot|ia|macchina)\b",
            # Dutch
            rf"\b(?:ben je|bent u|ben jij) (?:een |wel )*(?:mens|echte persoon|persoon|bot|robot|ai|machine|computer|programma|{_REAL})\b",
            r"\b(?:praat|chat|spreek) ik (?:nu )?(?:met|tegen) (?:een )?(?:mens|persoon|bot|robot|ai|machine|computer)\b",
        ]
    )
)

# A reply that already says so: "I'm an AI", "AI companion", "KI", "une IA"...
_SAYS_AI = re.compile(
    r"\b(?:an? ai|ai companion|an? artificial intelligence|a computer program|a language model|"
    r"not a (?:real )?(?:person|human)|a bot|una ia|un(?:e|a)? ia|un'ia|uma ia|eine ki|ki-begleiter|"
    r"een ai|ai-maatje|no soy (?:una persona|humano)|kein mensch|pas une personne|nao sou uma pessoa|"
    r"non sono una persona|geen mens|compagno ia|companheiro de ia|companero de ia|compagnon ia)\b"
)


def asks_if_human(text: str) -> bool:
    return bool(_ASKED.search(normalise(text)))


def says_it_is_ai(text: str) -> bool:
    return bool(_SAYS_AI.search(normalise(text)))
