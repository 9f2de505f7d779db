"""The kinds of things worth a "how did it go?" afterwards, in four languages: the
words that name them, the question asked when no model writes it, and how long they
usually take.

English questions name the word the person used ("How did the job interview go?");
the other languages have one fixed question per kind (their articles depend on the
word). Add a kind: one entry here, nothing else."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LANGS = ("en", "de", "fr", "es")


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    words: dict[str, str]  # language -> regex alternatives naming it
    questions: dict[str, str]  # language -> the question ("{word}" in English)
    hours: float = 2.0  # how long it usually takes, when its time is known
    evening: bool = False  # usually in the evening: a date without a time means that night
    english_word: dict[str, str] = field(default_factory=dict)  # "flying" -> "flight"


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "interview",
        {
            "en": r"(?:job\s+)?interview",
            "de": r"vorstellungsgespräch\w*|bewerbungsgespräch\w*|interview",
            "fr": r"entretien(?:\s+d'embauche)?",
            "es": r"entrevista(?:\s+de\s+trabajo)?",
        },
        {
            "en": "How did the {word} go?",
            "de": "Wie lief das Gespräch?",
            "fr": "Comment s'est passé l'entretien ?",
            "es": "¿Qué tal fue la entrevista?",
        },
        hours=1.5,
    ),
    Concept(
        "exam",
        {
            "en": r"exams?|midterms?|finals|(?:driving|blood|maths?|chemistry|biology|physics"
            r"|history|english|french|german|spanish)\s+test|(?<=my\s)test|(?<=\ba\s)test",
            "de": r"prüfung\w*|klausur\w*|examen|führerscheinprüfung",
            "fr": r"examens?|partiels?|concours|permis",
            "es": r"exámen(?:es)?|examen",
        },
        {
            "en": "How did the {word} go?",
            "de": "Wie lief die Prüfung?",
            "fr": "Comment s'est passé l'examen ?",
            "es": "¿Qué tal te fue en el examen?",
        },
        hours=3,
        english_word={"exams": "exams", "midterms": "midterms", "finals": "finals"},
    ),
    Concept(
        "surgery",
        {
            "en": r"surgery|operation",
            "de": r"operation|\bop\b",
            "fr": r"opération|chirurgie",
            "es": r"operación|cirugía",
        },
        {
            "en": "How are you feeling after the {word}?",
            "de": "Wie geht es dir nach der Operation?",
            "fr": "Comment te sens-tu après l'opération ?",
            "es": "¿Cómo te encuentras después de la operación?",
        },
        hours=5,
    ),
    Concept(
        "appointment",
        {
            "en": r"(?:doctor'?s?|dentist'?s?|gp|hospital|vet)?\s*appointment|dentist|doctor"
            r"|check-?up|therapy\s+session|therapist",
            "de": r"arzttermin|zahnarzt\w*|arzt\b|termin\b|therapie\w*|untersuchung",
            "fr": r"rendez-vous|rdv|médecin|dentiste|toubib",
            "es": r"cita(?:\s+médica)?|médico|dentista|consulta",
        },
        {
            "en": "How did the {word} go?",
            "de": "Wie war der Termin?",
            "fr": "Comment s'est passé le rendez-vous ?",
            "es": "¿Qué tal fue la cita?",
        },
        hours=1.5,
        english_word={
            "doctor": "doctor's appointment",
            "dentist": "dentist appointment",
            "therapist": "therapy session",
        },
    ),
    Concept(
        "flight",
        {
            "en": r"flight|flying|fly(?:ing)?\s+(?:to|out|home|back)",
            "de": r"flug\b|fliege\w*|fliegen",
            "fr": r"\bvol\b|prends\s+l'avion|prendre\s+l'avion",
            "es": r"vuelo|vuelo\s+a|vuelo\s+para",
        },
        {
            "en": "Did you get there all right? How was the flight?",
            "de": "Bist du gut angekommen? Wie war der Flug?",
            "fr": "Tu es bien arrivé·e ? Comment s'est passé le vol ?",
            "es": "¿Llegaste bien? ¿Qué tal el vuelo?",
        },
        hours=4,
    ),
    Concept(
        "trip",
        {
            "en": r"trip|travel(?:l?ing)?|vacation|holiday",
            "de": r"reise\w*|urlaub\w*|ausflug",
            "fr": r"voyage|vacances",
            "es": r"viaje|vacaciones",
        },
        {
            "en": "How is the {word} going so far?",
            "de": "Wie läuft die Reise bisher?",
            "fr": "Comment se passe le voyage pour l'instant ?",
            "es": "¿Qué tal va el viaje hasta ahora?",
        },
        hours=6,
        english_word={"travel": "trip", "traveling": "trip", "travelling": "trip"},
    ),
    Concept(
        "presentation",
        {
            "en": r"presentation|pitch|speech|keynote|demo\s+day|defen[cs]e",
            "de": r"präsentation|vortrag|referat|rede\b|verteidigung",
            "fr": r"présentation|exposé|soutenance|discours",
            "es": r"presentación|charla|discurso|exposición|defensa",
        },
        {
            "en": "How did the {word} go?",
            "de": "Wie lief dein Vortrag?",
            "fr": "Comment s'est passée ta présentation ?",
            "es": "¿Qué tal salió la presentación?",
        },
        hours=2,
    ),
    Concept(
        "competition",
        {
            "en": r"(?:half\s+)?marathon|race|tournament|competition|match"
            r"|(?<=\ba\s)\d+k|(?<=\bmy\s)\d+k|(?<=\bthe\s)\d+k",
            "de": r"wettkampf|marathon|turnier|halbmarathon|lauf\b|rennen",
            "fr": r"marathon|tournoi|compétition|match",
            "es": r"maratón|torneo|competición|partido",
        },
        {
            "en": "How did the {word} go?",
            "de": "Wie lief der Wettkampf?",
            "fr": "Comment s'est passée la compétition ?",
            "es": "¿Qué tal fue la competición?",
        },
        hours=4,
    ),
    Concept(
        "celebration",
        {
            "en": r"wedding|party|concert|gig|birthday\s+party|festival",
            "de": r"hochzeit|party|feier|konzert|geburtstagsfeier|festival",
            "fr": r"mariage|fête|soirée|concert|festival",
            "es": r"boda|fiesta|concierto|festival",
        },
        {
            "en": "How was the {word}?",
            "de": "Wie war die Feier?",
            "fr": "C'était comment, la soirée ?",
            "es": "¿Qué tal la fiesta?",
        },
        hours=4,
        evening=True,
    ),
    Concept(
        "date",
        {
            "en": r"first\s+date|a\s+date\s+with|date\s+night|blind\s+date",
            "de": r"erstes?\s+date|date\s+mit|verabredung",
            "fr": r"premier\s+rendez-vous|rencard|date\s+avec",
            "es": r"primera\s+cita|cita\s+con",
        },
        {
            "en": "How did the date go?",
            "de": "Wie war das Date?",
            "fr": "Alors, ce rencard ?",
            "es": "¿Qué tal la cita?",
        },
        hours=3,
        evening=True,
    ),
    Concept(
        "move",
        {
            "en": r"moving\s+(?:house|out|flat|apartment|day)|the\s+move|moving\s+day",
            "de": r"umzug|ziehe\s+um|umziehen",
            "fr": r"déménagement|déménage",
            "es": r"mudanza|me\s+mudo",
        },
        {
            "en": "How did the move go?",
            "de": "Wie lief der Umzug?",
            "fr": "Comment s'est passé le déménagement ?",
            "es": "¿Qué tal fue la mudanza?",
        },
        hours=8,
    ),
)

BY_NAME = {c.name: c for c in CONCEPTS}

# A generic kind for dated events the memory extractor hands over without a known word.
GENERIC = Concept(
    "event",
    {},
    {
        "en": "How did it go?",
        "de": "Wie ist es gelaufen?",
        "fr": "Comment ça s'est passé ?",
        "es": "¿Qué tal fue?",
    },
)


def _compile(lang: str) -> re.Pattern[str]:
    parts = [f"(?P<{c.name}>{c.words[lang]})" for c in CONCEPTS if lang in c.words]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


PATTERNS = {lang: _compile(lang) for lang in LANGS}
# One pass over every language's words: the cheap test run on every message.
ANY_WORD = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(c.words[lang] for c in CONCEPTS for lang in LANGS if lang in c.words)
    + r")(?![\w-])",
    re.IGNORECASE,
)


def question(concept: Concept, lang: str, word: str) -> str:
    """The templated follow-up question, in the language the person used."""
    template = concept.questions.get(lang) or concept.questions["en"]
    if "{word}" not in template:
        return template
    spoken = " ".join(word.lower().split())
    spoken = concept.english_word.get(spoken, spoken)
    return template.format(word=spoken)
