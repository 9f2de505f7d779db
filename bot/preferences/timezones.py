"""Timezones from what people say: an IANA name ("Europe/Berlin"), an offset ("UTC+2"),
or a place ("I live in Lisbon"). A small table of cities and one-zone countries covers
the common cases without a model; the rest can be asked of the model, and every answer
is checked against zoneinfo and confirmed by the person before it is used."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

PLACES: dict[str, str] = {
    # Europe
    "london": "Europe/London", "manchester": "Europe/London", "edinburgh": "Europe/London",
    "uk": "Europe/London", "england": "Europe/London", "scotland": "Europe/London",
    "dublin": "Europe/Dublin", "ireland": "Europe/Dublin", "lisbon": "Europe/Lisbon",
    "porto": "Europe/Lisbon", "portugal": "Europe/Lisbon", "madrid": "Europe/Madrid",
    "barcelona": "Europe/Madrid", "spain": "Europe/Madrid", "paris": "Europe/Paris",
    "lyon": "Europe/Paris", "france": "Europe/Paris", "brussels": "Europe/Brussels",
    "belgium": "Europe/Brussels", "amsterdam": "Europe/Amsterdam",
    "netherlands": "Europe/Amsterdam", "berlin": "Europe/Berlin", "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin", "cologne": "Europe/Berlin", "frankfurt": "Europe/Berlin",
    "germany": "Europe/Berlin", "zurich": "Europe/Zurich", "geneva": "Europe/Zurich",
    "switzerland": "Europe/Zurich", "vienna": "Europe/Vienna", "austria": "Europe/Vienna",
    "rome": "Europe/Rome", "milan": "Europe/Rome", "italy": "Europe/Rome",
    "copenhagen": "Europe/Copenhagen", "denmark": "Europe/Copenhagen",
    "stockholm": "Europe/Stockholm", "sweden": "Europe/Stockholm", "oslo": "Europe/Oslo",
    "norway": "Europe/Oslo", "helsinki": "Europe/Helsinki", "finland": "Europe/Helsinki",
    "warsaw": "Europe/Warsaw", "krakow": "Europe/Warsaw", "poland": "Europe/Warsaw",
    "prague": "Europe/Prague", "budapest": "Europe/Budapest", "athens": "Europe/Athens",
    "greece": "Europe/Athens", "bucharest": "Europe/Bucharest", "sofia": "Europe/Sofia",
    "kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv", "ukraine": "Europe/Kyiv",
    "istanbul": "Europe/Istanbul", "turkey": "Europe/Istanbul", "moscow": "Europe/Moscow",
    "reykjavik": "Atlantic/Reykjavik", "iceland": "Atlantic/Reykjavik",
    # Americas
    "new york": "America/New_York", "nyc": "America/New_York", "boston": "America/New_York",
    "washington": "America/New_York", "philadelphia": "America/New_York",
    "miami": "America/New_York", "atlanta": "America/New_York", "toronto": "America/Toronto",
    "montreal": "America/Toronto", "chicago": "America/Chicago", "houston": "America/Chicago",
    "dallas": "America/Chicago", "austin": "America/Chicago", "denver": "America/Denver",
    "phoenix": "America/Phoenix", "los angeles": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "portland": "America/Los_Angeles",
    "vancouver": "America/Vancouver", "mexico city": "America/Mexico_City",
    "mexico": "America/Mexico_City", "bogota": "America/Bogota", "colombia": "America/Bogota",
    "lima": "America/Lima", "peru": "America/Lima", "santiago": "America/Santiago",
    "chile": "America/Santiago", "buenos aires": "America/Argentina/Buenos_Aires",
    "argentina": "America/Argentina/Buenos_Aires", "sao paulo": "America/Sao_Paulo",
    "são paulo": "America/Sao_Paulo", "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo", "honolulu": "Pacific/Honolulu",
    "hawaii": "Pacific/Honolulu", "anchorage": "America/Anchorage",
    # Africa and Middle East
    "cairo": "Africa/Cairo", "egypt": "Africa/Cairo", "lagos": "Africa/Lagos",
    "nigeria": "Africa/Lagos", "nairobi": "Africa/Nairobi", "kenya": "Africa/Nairobi",
    "johannesburg": "Africa/Johannesburg", "cape town": "Africa/Johannesburg",
    "south africa": "Africa/Johannesburg", "casablanca": "Africa/Casablanca",
    "morocco": "Africa/Casablanca", "accra": "Africa/Accra", "ghana": "Africa/Accra",
    "addis ababa": "Africa/Addis_Ababa", "dubai": "Asia/Dubai", "abu dhabi": "Asia/Dubai",
    "tel aviv": "Asia/Jerusalem", "jerusalem": "Asia/Jerusalem", "israel": "Asia/Jerusalem",
    "riyadh": "Asia/Riyadh", "tehran": "Asia/Tehran", "iran": "Asia/Tehran",
    # Asia and Oceania
    "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "chennai": "Asia/Kolkata",
    "kolkata": "Asia/Kolkata", "india": "Asia/Kolkata", "karachi": "Asia/Karachi",
    "pakistan": "Asia/Karachi", "dhaka": "Asia/Dhaka", "kathmandu": "Asia/Kathmandu",
    "bangkok": "Asia/Bangkok", "thailand": "Asia/Bangkok", "hanoi": "Asia/Bangkok",
    "jakarta": "Asia/Jakarta", "singapore": "Asia/Singapore",
    "kuala lumpur": "Asia/Kuala_Lumpur", "manila": "Asia/Manila",
    "philippines": "Asia/Manila", "hong kong": "Asia/Hong_Kong", "beijing": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai", "china": "Asia/Shanghai", "taipei": "Asia/Taipei",
    "taiwan": "Asia/Taipei", "seoul": "Asia/Seoul", "korea": "Asia/Seoul",
    "tokyo": "Asia/Tokyo", "osaka": "Asia/Tokyo", "japan": "Asia/Tokyo",
    "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne",
    "brisbane": "Australia/Brisbane", "perth": "Australia/Perth",
    "adelaide": "Australia/Adelaide", "auckland": "Pacific/Auckland",
    "wellington": "Pacific/Auckland", "new zealand": "Pacific/Auckland",
}  # fmt: skip

_OFFSET = re.compile(r"\b(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?00)?\b", re.IGNORECASE)
_ZONE_WORD = re.compile(r"\b[A-Za-z_]+(?:/[A-Za-z_\-+0-9]+)+\b")


@cache
def _zones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def valid_timezone(name: str) -> str | None:
    """The canonical IANA name for ``name`` (any case), or None."""
    canonical = _zones_by_lower().get(name.strip().lower())
    if canonical is None:
        return None
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return canonical


def find_timezone(text: str) -> str | None:
    """A timezone named or implied in ``text``, without a model; None when unsure."""
    cleaned = text.strip()
    if not cleaned:
        return None
    for candidate in _ZONE_WORD.findall(cleaned):
        zone = valid_timezone(candidate)
        if zone:
            return zone
    offset = _OFFSET.search(cleaned)
    if offset:
        sign, hours = offset.group(1), int(offset.group(2))
        if hours == 0:
            return "UTC"
        if hours <= 14:
            # POSIX zones are inverted: UTC+2 is Etc/GMT-2.
            return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    lowered = cleaned.lower()
    if lowered in ("utc", "gmt", "zulu"):
        return "UTC"
    words = re.sub(r"[^\w\sãáéíóúç]", " ", lowered)
    padded = f" {' '.join(words.split())} "
    # Longest names first, so "new york" wins over "york" and "cape town" over "town".
    for place in sorted(PLACES, key=len, reverse=True):
        if f" {place} " in padded:
            return PLACES[place]
    zone = valid_timezone(cleaned)
    return zone


def usable_zone(tz: str | None) -> str:
    """``tz`` when this machine knows it, else UTC: a zone stored before it was checked
    (or removed from tzdata since) must not break a reply."""
    try:
        ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return tz or "UTC"


def local_now(tz: str, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(usable_zone(tz)))


def zone_label(tz: str) -> str:
    """People read offsets the usual way round: Etc/GMT-2 is shown as UTC+2."""
    fixed = re.fullmatch(r"Etc/GMT([+-])(\d+)", tz)
    if fixed:
        return f"UTC{'-' if fixed.group(1) == '+' else '+'}{fixed.group(2)}"
    return tz


def describe_zone(tz: str, now: datetime) -> str:
    """What the person confirms: "Europe/Lisbon (it's 10:04 there now)"."""
    if usable_zone(tz) != tz:
        return (
            f"UTC for now: {tz!r} is not a timezone I know (set yours with /settings "
            "timezone <city>)"
        )
    return f"{zone_label(tz)} (it's {local_now(tz, now).strftime('%H:%M')} there now)"
