"""When something is, from the words people use for it, relative to when they said it.

"Thursday at 10", "on the 3rd", "next week", "tomorrow evening", "am Donnerstag um 10",
"jeudi à 10h", "el jueves a las 10": rules, no model. dateparser reads such phrases
unreliably ("Thursday at 10" became 4 October in our checks, "on the 3rd" a March), so
the common forms are read here and dateparser is not used; what is not recognised
makes no follow-up, which is the safe side."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = {
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "de": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}
EXTRA_WEEKDAYS = {"sonnabend": 5, "miercoles": 2, "sabado": 5}
MONTHS = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}
SHORT_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12, "okt": 10, "dez": 12, "mär": 3,
    "janv": 1, "févr": 2, "avr": 4, "juil": 7, "déc": 12, "ene": 1, "abr": 4, "ago": 8,
    "dic": 12,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "sept": 7, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Moment:
    """A point or span in the person's local time, and where it was in the text."""

    day: date
    at: time | None  # None: the whole day (or week)
    precision: str  # time | part | day | weekend | week
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str  # day | time
    start: int
    end: int
    day: date | None = None
    at: time | None = None
    precision: str = "day"


def _month_number(name: str, lang: str) -> int | None:
    name = name.lower().rstrip(".")
    names = MONTHS[lang].split()
    if name in names:
        return names.index(name) + 1
    return SHORT_MONTHS.get(name)


def _next_date(today: date, month: int, day: int) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def _day_of_month(today: date, day: int) -> date | None:
    month, year = today.month, today.year
    for _ in range(3):
        try:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        except ValueError:
            pass
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return None


def _weekday(today: date, target: int, *, next_week: bool) -> date:
    ahead = (target - today.weekday()) % 7 or 7  # "Monday" said on a Monday: the next one
    found = today + timedelta(days=ahead)
    if next_week and found - timedelta(days=found.weekday()) == today - timedelta(
        days=today.weekday()
    ):
        found += timedelta(days=7)  # "next Thursday" said on Monday: the week after
    return found


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# ---------------------------------------------------------------- phrases per language

_NUM = r"(\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"


def _weekday_alternatives(lang: str) -> str:
    names = WEEKDAYS[lang] + [k for k, v in EXTRA_WEEKDAYS.items() if lang in ("de", "es")]
    return "|".join(names)


def _months_alternatives(lang: str) -> str:
    return "|".join(MONTHS[lang].split() + sorted(SHORT_MONTHS, key=len, reverse=True))


RELATIVE = {
    "en": [
        (r"\bthe\s+day\s+after\s+tomorrow\b", 2, None),
        (r"\btomorrow\s+(morning)\b", 1, "morning"),
        (r"\btomorrow\s+(afternoon)\b", 1, "afternoon"),
        (r"\btomorrow\s+(evening|night)\b", 1, "evening"),
        (r"\btomorrow\b", 1, None),
        (r"\btonight\b|\bthis\s+evening\b", 0, "evening"),
        (r"\bthis\s+afternoon\b", 0, "afternoon"),
        (r"\btoday\b", 0, None),
    ],
    "de": [
        (r"\bübermorgen\b", 2, None),
        (r"\bmorgen\s+(früh)\b", 1, "morning"),
        (r"\bmorgen\s+(nachmittag)\b", 1, "afternoon"),
        (r"\bmorgen\s+(abend)\b", 1, "evening"),
        (r"(?<!heute\s)(?<!\bam\s)(?<!jeden\s)(?<!guten\s)\bmorgen\b", 1, None),
        (r"\bheute\s+abend\b", 0, "evening"),
        (r"\bheute\s+nachmittag\b", 0, "afternoon"),
        (r"\bheute\b", 0, None),
    ],
    "fr": [
        (r"\baprès-demain\b", 2, None),
        (r"\bdemain\s+(matin)\b", 1, "morning"),
        (r"\bdemain\s+(après-midi)\b", 1, "afternoon"),
        (r"\bdemain\s+(soir)\b", 1, "evening"),
        (r"\bdemain\b", 1, None),
        (r"\bce\s+soir\b", 0, "evening"),
        (r"\bcet\s+après-midi\b", 0, "afternoon"),
        (r"\baujourd'hui\b", 0, None),
    ],
    "es": [
        (r"\bpasado\s+mañana\b", 2, None),
        (r"\bmañana\s+por\s+la\s+(mañana)\b", 1, "morning"),
        (r"\bmañana\s+por\s+la\s+(tarde)\b", 1, "afternoon"),
        (r"\bmañana\s+por\s+la\s+(noche)\b", 1, "evening"),
        (r"(?<!\bla\s)(?<!esta\s)(?<!\bde\s)(?<!por\s)\bmañana\b", 1, None),
        (r"\besta\s+noche\b", 0, "evening"),
        (r"\besta\s+tarde\b", 0, "afternoon"),
        (r"\bhoy\b", 0, None),
    ],
}
PARTS = {"morning": time(9, 0), "afternoon": time(14, 0), "evening": time(19, 0)}

WEEKS = {
    "en": [
        (r"\bnext\s+weekend\b", 1, "weekend"),
        (r"\b(?:this|the|at\s+the|on\s+the|over\s+the)\s+weekend\b", 0, "weekend"),
        (r"\bnext\s+week\b", 1, "week"),
        (r"\b(?:later\s+)?this\s+week\b", 0, "week"),
    ],
    "de": [
        (r"\bnächstes\s+wochenende\b", 1, "weekend"),
        (r"\b(?:am|dieses|übers)\s+wochenende\b", 0, "weekend"),
        (r"\b(?:nächste|nächster|kommende|kommender)\s+woche\b", 1, "week"),
        (r"\b(?:diese|dieser)\s+woche\b", 0, "week"),
    ],
    "fr": [
        (r"\ble\s+week-?end\s+prochain\b", 1, "weekend"),
        (r"\b(?:ce|le)\s+week-?end\b", 0, "weekend"),
        (r"\b(?:la\s+)?semaine\s+prochaine\b", 1, "week"),
        (r"\bcette\s+semaine\b", 0, "week"),
    ],
    "es": [
        (r"\bel\s+próximo\s+fin\s+de\s+semana\b", 1, "weekend"),
        (r"\b(?:este|el)\s+fin\s+de\s+semana\b", 0, "weekend"),
        (r"\b(?:la\s+)?(?:próxima\s+semana|semana\s+que\s+viene)\b", 1, "week"),
        (r"\besta\s+semana\b", 0, "week"),
    ],
}

IN_DAYS = {
    "en": rf"\bin\s+{_NUM}\s+(days?|weeks?)\b",
    "de": rf"\bin\s+{_NUM}\s+(tag|tagen|woche|wochen)\b",
    "fr": rf"\bdans\s+{_NUM}\s+(jours?|semaines?)\b",
    "es": rf"\ben\s+{_NUM}\s+(días?|dias?|semanas?)\b",
}
DAY_OF_MONTH = {
    "en": r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b|\bon\s+(\d{1,2})(?:st|nd|rd|th)\b",
    "de": r"\bam\s+(\d{1,2})\.(?!\d)",
    "fr": r"\ble\s+(\d{1,2})(?:er)?\b(?!\s*(?:h\b|heures?|:|\d))",
    "es": r"\bel\s+(?:día\s+)?(\d{1,2})\b(?!\s*(?::|h\b|\d))",
}
MONTH_DAY = {
    "en": [
        r"\b({m})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b",
        r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({m})\b",
    ],
    "de": [r"\b(\d{{1,2}})\.\s*({m})\b"],
    "fr": [r"\b(\d{{1,2}})(?:er)?\s+({m})\b"],
    "es": [r"\b(\d{{1,2}})\s+de\s+({m})\b"],
}  # fmt: skip
WEEKDAY = {
    "en": r"\b(?:(next|coming|this|on)\s+)?({w})\b",
    "de": r"\b(?:(nächsten|nächster|kommenden|diesen|am)\s+)?({w})\b",
    "fr": r"\b({w})(?:\s+(prochain))?\b",
    "es": r"\b(?:(?:el\s+)?(próximo|este)\s+|el\s+)?({w})(?:\s+(que\s+viene|próximo))?\b",
}
NEXT_WORDS = {"next", "coming", "nächsten", "nächster", "kommenden", "prochain", "próximo"}
NEXT_WORDS |= {"que viene"}

TIMES = {
    "en": [
        (r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?!\w)", "ampm"),
        (
            r"\b(?:at|@|around|by)\s*(\d{1,2})(?::(\d{2}))?\b(?!\s*(?:%|k\b|km|kg|st\b|nd\b|rd\b"
            r"|th\b|minutes?|mins?|hours?|people|years?|of\b|percent|pounds?|euros?|dollars?))",
            "bare",
        ),
        (r"\b(noon|midday)\b", "noon"),
    ],
    "de": [
        (r"\bum\s+(\d{1,2})(?:[:.](\d{2}))?(?:\s*uhr)?\b", "bare"),
        (r"\b(\d{1,2})(?:[:.](\d{2}))?\s*uhr\b", "h24"),
        (r"\b(mittags?)\b", "noon"),
    ],
    "fr": [
        (r"\b(?:à\s+)?(\d{1,2})\s*h(?:eures?)?\s*(\d{2})?\b", "h24"),
        (r"\b(midi)\b", "noon"),
    ],
    "es": [
        (r"\ba\s+las?\s+(\d{1,2})(?::(\d{2}))?\b", "bare"),
        (r"\b(mediodía)\b", "noon"),
    ],
}
TIME_PARTS = {
    "en": [
        (r"\bin\s+the\s+morning\b", "morning"),
        (r"\bin\s+the\s+afternoon\b", "afternoon"),
        (r"\bin\s+the\s+evening\b|\bat\s+night\b", "evening"),
        (r"\bmorning\b", "morning"),
        (r"\bafternoon\b", "afternoon"),
        (r"\b(?:evening|night)\b", "evening"),
    ],
    "de": [
        (r"\b(?:früh|morgens|vormittags?|am\s+morgen)\b", "morning"),
        (r"\b(?:nachmittags?|am\s+nachmittag)\b", "afternoon"),
        (r"\b(?:abends|am\s+abend|abend)\b", "evening"),
    ],
    "fr": [
        (r"\b(?:le\s+)?matin\b", "morning"),
        (r"\b(?:l')?après-midi\b", "afternoon"),
        (r"\b(?:le\s+)?soir\b", "evening"),
    ],
    "es": [
        (r"\b(?:por|de)\s+la\s+mañana\b", "morning"),
        (r"\b(?:por|de)\s+la\s+tarde\b", "afternoon"),
        (r"\b(?:por|de)\s+la\s+noche\b", "evening"),
    ],
}
CLOCK = r"\b([01]?\d|2[0-3]):([0-5]\d)\b"
ISO_DATE = r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b"


def _hour(raw_h: str, raw_m: str | None, style: str, suffix: str | None = None) -> time | None:
    h, m = int(raw_h), int(raw_m or 0)
    if m > 59:
        return None
    if style == "ampm":
        if not 1 <= h <= 12:
            return None
        pm = (suffix or "").lower().startswith("p")
        h = (h % 12) + (12 if pm else 0)
    elif style == "bare" and 1 <= h <= 7:
        h += 12  # "at 3" for an appointment is three in the afternoon
    if h > 23:
        return None
    return time(h, m)


def _finditer(pattern: str, text: str) -> list[re.Match[str]]:
    return list(re.finditer(pattern, text, re.IGNORECASE))


def _hits(text: str, lang: str, today: date) -> list[_Hit]:
    hits: list[_Hit] = []
    for pattern, offset, part in RELATIVE[lang]:
        for m in _finditer(pattern, text):
            day = today + timedelta(days=offset)
            if part is None:
                hits.append(_Hit("day", m.start(), m.end(), day=day))
            else:
                hits.append(
                    _Hit("day", m.start(), m.end(), day=day, at=PARTS[part], precision="part")
                )
    for pattern, weeks, kind in WEEKS[lang]:
        for m in _finditer(pattern, text):
            start = _week_start(today) + timedelta(days=7 * weeks)
            if kind == "weekend":
                hits.append(_Hit("day", m.start(), m.end(), day=start + timedelta(days=5),
                                 precision="weekend"))  # fmt: skip
            else:
                hits.append(
                    _Hit("day", m.start(), m.end(), day=max(start, today), precision="week")
                )
    for m in _finditer(IN_DAYS[lang], text):
        raw = m.group(1).lower()
        count = int(raw) if raw.isdigit() else NUMBERS.get(raw, 0)
        unit = m.group(2).lower()
        days = count * (7 if unit.startswith(("week", "woche", "semaine", "semana")) else 1)
        if 0 < days <= 120:
            hits.append(_Hit("day", m.start(), m.end(), day=today + timedelta(days=days)))
    for m in _finditer(DAY_OF_MONTH[lang], text):
        raw = next(g for g in m.groups() if g)
        found = _day_of_month(today, int(raw))
        if found is not None:
            hits.append(_Hit("day", m.start(), m.end(), day=found))
    months = _months_alternatives(lang)
    for pattern in MONTH_DAY[lang]:
        for m in _finditer(pattern.format(m=months), text):
            a, b = m.group(1), m.group(2)
            name, num = (a, b) if not a.isdigit() else (b, a)
            month = _month_number(name, lang)
            found = _next_date(today, month, int(num)) if month else None
            if found is not None:
                hits.append(_Hit("day", m.start(), m.end(), day=found))
    for m in _finditer(ISO_DATE, text):
        try:
            found_iso = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        hits.append(_Hit("day", m.start(), m.end(), day=found_iso))
    names = WEEKDAYS[lang]
    for m in _finditer(WEEKDAY[lang].format(w=_weekday_alternatives(lang)), text):
        groups = [g.lower() for g in m.groups() if g]
        name = next(g for g in groups if g in names or g in EXTRA_WEEKDAYS)
        target = names.index(name) if name in names else EXTRA_WEEKDAYS[name]
        nxt = any(g in NEXT_WORDS for g in groups)
        hits.append(_Hit("day", m.start(), m.end(), day=_weekday(today, target, next_week=nxt)))
    for pattern, style in TIMES[lang]:
        for m in _finditer(pattern, text):
            if style == "noon":
                at: time | None = time(12, 0)
            else:
                suffix = m.group(3) if style == "ampm" else None
                at = _hour(m.group(1), m.group(2), style, suffix)
            if at is not None:
                hits.append(_Hit("time", m.start(), m.end(), at=at, precision="time"))
    for m in _finditer(CLOCK, text):
        hits.append(
            _Hit("time", m.start(), m.end(), at=time(int(m.group(1)), int(m.group(2))),
                 precision="time")
        )  # fmt: skip
    for pattern, part in TIME_PARTS[lang]:
        for m in _finditer(pattern, text):
            hits.append(_Hit("time", m.start(), m.end(), at=PARTS[part], precision="part"))
    return _without_overlaps(hits)


def _without_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Longer phrases win: "tomorrow evening" over "tomorrow", "10:30" in "at 10:30"."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def moment_near(text: str, lang: str, position: int, said_local: datetime) -> Moment | None:
    """The date (and time) closest to ``position`` in ``text`` (the word for the
    event), read relative to ``said_local``; None when there is none."""
    today = said_local.date()
    hits = _hits(text, lang, today)
    days = [h for h in hits if h.kind == "day"]
    times = [h for h in hits if h.kind == "time"]

    def distance(h: _Hit) -> int:
        if h.start <= position < h.end:
            return 0
        return min(abs(h.start - position), abs(h.end - position))

    day = min(days, key=distance, default=None)
    if day is not None and distance(day) > 80:
        day = None
    anchor = day.start if day is not None else position

    def gap(a: _Hit, b: _Hit) -> int:
        return max(0, a.start - b.end, b.start - a.end)

    # A time goes with the date nearest to it ("Thursday at 10 and the dentist on
    # Friday": 10 is Thursday's), and only if close.
    near = [
        h
        for h in times
        if (day is None and gap(h, _Hit("x", position, position + 1)) <= 40)
        or (day is not None and gap(h, day) <= 40 and min(days, key=lambda d: gap(h, d)) is day)
    ]
    clock = min(near, key=lambda h: abs(h.start - anchor), default=None)
    if day is None and clock is None:
        return None
    if day is None:
        assert clock is not None and clock.at is not None
        when_today = datetime.combine(today, clock.at)
        found = today if when_today > said_local.replace(tzinfo=None) else today + timedelta(1)
        return Moment(found, clock.at, clock.precision, clock.start, clock.end)
    assert day.day is not None
    start, end = (
        min(day.start, clock.start if clock else day.start),
        max(day.end, clock.end if clock else day.end),
    )
    if clock is not None and day.precision in ("day", "part"):
        at = clock.at
        assert at is not None
        if day.precision == "part" and day.at is not None and day.at.hour >= 14 and at.hour < 12:
            at = at.replace(hour=at.hour + 12)  # "tomorrow evening at 7"
        return Moment(day.day, at, clock.precision, start, end)
    return Moment(day.day, day.at, day.precision, start, end)
