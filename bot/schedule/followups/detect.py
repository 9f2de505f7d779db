"""Things a person mentions with a time, found by rules: "interview Thursday at 10",
"flying to Lisbon on the 3rd", "exam next week", "Prüfung am Freitag", "entretien
jeudi à 10h", "entrevista el jueves a las 10".

A message costs one regular-expression test unless it names such a thing; then its
sentence is read for a date and for cues that it is already over ("went", "had") or
moved or called off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.schedule.followups.concepts import ANY_WORD, BY_NAME, LANGS, PATTERNS, Concept
from bot.schedule.followups.dates import Moment, moment_near
from bot.schedule.when import localize

STOPWORDS = {
    "en": "the and is at on my i i'm have to a an next tomorrow with of in it this week".split(),
    "de": "der die das und ich habe am um mein meine nächste morgen ist mit ein eine den "
    "woche uhr".split(),
    "fr": "le les et je j'ai mon ma à demain est avec un une du des semaine prochaine "
    "s'est".split(),
    "es": "el los y yo tengo mi las mañana es con una del semana próxima que fue".split(),
}
PAST = {
    "en": r"\b(?:had|went|was|were|did|passed|failed|finished|nailed|bombed|aced|survived"
    r"|is\s+over|went\s+(?:well|badly|fine|ok|okay)|got\s+back)\b",
    "de": r"\b(?:hatte|war|waren|lief|ging|bestanden|geschafft|vorbei|überstanden|gehabt)\b",
    "fr": r"\b(?:j'ai\s+eu|était|s'est|a\s+été|réussi|raté|fini|terminé)\b",
    "es": r"\b(?:tuve|fue|estuvo|aprobé|suspendí|terminé|salió|pasó)\b",
}
MOVED = {
    "en": r"\b(?:cancel(?:l?ed)?|called\s+off|postponed|moved|rescheduled|now|instead|actually)\b",
    "de": r"\b(?:abgesagt|verschoben|fällt\s+aus|storniert|jetzt|doch|stattdessen)\b",
    "fr": r"\b(?:annulée?s?|reportée?s?|décalée?s?|finalement|maintenant)\b",
    "es": r"\b(?:cancelad[oa]s?|aplazad[oa]s?|pospuest[oa]s?|ahora|al\s+final)\b",
}
CALLED_OFF = {
    "en": r"\b(?:cancel(?:l?ed)?|called\s+off)\b",
    "de": r"\b(?:abgesagt|fällt\s+aus|storniert)\b",
    "fr": r"\bannulée?s?\b",
    "es": r"\bcancelad[oa]s?\b",
}
_SENTENCES = re.compile(r"[^.!?\n;]+[.!?\n;]*")
# Clauses: "dentist tomorrow at 9, interview on Wednesday" pairs each with its own date.
_CLAUSE_BREAK = re.compile(
    r",|\b(?:and|but|then|und|aber|dann|et|mais|puis|y|pero|luego)\b", re.IGNORECASE
)
MAX_AHEAD = timedelta(days=180)


@dataclass(frozen=True, slots=True)
class Mention:
    """One event named in a message."""

    concept: Concept
    lang: str
    word: str  # as written ("job interview")
    sentence: str
    moment: Moment | None
    past: bool  # told as over ("the interview went well")
    moved: bool  # moved, or "now"/"instead"
    called_off: bool


@dataclass(frozen=True, slots=True)
class Timing:
    event_at: datetime
    due_at: datetime
    expires_at: datetime


def guess_language(text: str) -> list[str]:
    """Languages to try, likeliest first, by a count of common words."""
    words = re.findall(r"[\w']+", text.lower())
    scores = {lang: sum(w in STOPWORDS[lang] for w in words) for lang in LANGS}
    return sorted(LANGS, key=lambda lang: -scores[lang])


def mentions(text: str, said_local: datetime) -> list[Mention]:
    """Every event named in ``text`` with its date (or None), read in the language its
    words are in, relative to ``said_local`` (the person's local time when they said it)."""
    if not text or not ANY_WORD.search(text):
        return []
    order = guess_language(text)
    out: list[Mention] = []
    for sentence_match in _SENTENCES.finditer(text):
        sentence = sentence_match.group().strip()
        if not ANY_WORD.search(sentence):
            continue
        seen: set[str] = set()
        for lang in order:
            for m in PATTERNS[lang].finditer(sentence):
                name = m.lastgroup
                if name is None or name in seen:
                    continue
                seen.add(name)
                # The event word may be shared ("examen"), so its date is read in the
                # likeliest language first, then in the others.
                moment = None
                for date_lang in [lang, *(x for x in order if x != lang)]:
                    moment = _moment(sentence, date_lang, m.start(), said_local)
                    if moment is not None:
                        break
                out.append(
                    Mention(
                        concept=BY_NAME[name],
                        lang=lang,
                        word=" ".join(m.group().split()),
                        sentence=sentence,
                        moment=moment,
                        past=_any(PAST, sentence),
                        moved=_any(MOVED, sentence),
                        called_off=_any(CALLED_OFF, sentence),
                    )
                )
    return out


def _any(cues: dict[str, str], sentence: str) -> bool:
    """A cue in any language: people mix them, and short messages defy guessing."""
    return any(re.search(pattern, sentence, re.IGNORECASE) for pattern in cues.values())


def _moment(sentence: str, lang: str, position: int, said_local: datetime) -> Moment | None:
    """The date in the word's own clause if it has one, else the nearest in the sentence."""
    start, end = 0, len(sentence)
    for brk in _CLAUSE_BREAK.finditer(sentence):
        if brk.end() <= position:
            start = brk.end()
        elif brk.start() > position:
            end = brk.start()
            break
    clause = sentence[start:end].lower()
    found = moment_near(clause, lang, position - start, said_local)
    if found is not None:
        return found
    return moment_near(sentence.lower(), lang, position, said_local)


def timing(concept: Concept, moment: Moment, tz: ZoneInfo, *, expire_after: timedelta) -> Timing:
    """When the event is, and when to ask about it: after it ends ("time"), that
    evening ("day"; the next morning for evening things), Sunday for a weekend, Friday
    for "next week"."""
    day = moment.day
    if moment.precision in ("time", "part") and moment.at is not None:
        event = localize(datetime.combine(day, moment.at), tz)
        due = event + timedelta(hours=concept.hours)
    elif moment.precision == "weekend":
        event = localize(datetime.combine(day, time(0)), tz)
        due = localize(datetime.combine(day + timedelta(days=1), time(17)), tz)
    elif moment.precision == "week":
        event = localize(datetime.combine(day, time(0)), tz)
        friday = day + timedelta(days=4 - day.weekday())
        if friday < day:
            friday = day + timedelta(days=6 - day.weekday())
        due = localize(datetime.combine(friday, time(17)), tz)
    else:
        event = localize(datetime.combine(day, time(0)), tz)
        if concept.evening:
            due = localize(datetime.combine(day + timedelta(days=1), time(9, 30)), tz)
        else:
            due = localize(datetime.combine(day, time(17)), tz)
    return Timing(event, due, due + expire_after)


def worth_following(mention: Mention, when: Timing, said_at: datetime) -> bool:
    """A future event told as future: not "I had my interview today", not a year away."""
    if mention.moment is None:
        return False
    if when.due_at <= said_at + timedelta(minutes=30):
        return False
    if when.event_at - said_at > MAX_AHEAD:
        return False
    told_today = mention.moment.day <= said_at.astimezone(when.event_at.tzinfo).date()
    return not (mention.past and told_today)
