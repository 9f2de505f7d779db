"""Where to send someone: a crisis line and the emergency number, by country.

Each entry names its source: the service's own site (or the health ministry's page
for it). Numbers change: whoever runs the bot can point at a local service with
COMPANION_CRISIS_LINE / COMPANION_EMERGENCY_NUMBER, and should check their own
country's entry. A person's country comes from what they set (/safety country), the
region of their locale, their timezone, or COMPANION_CRISIS_COUNTRY, in that order;
when none says, the international directory below.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Helpline:
    country: str  # ISO 3166-1 alpha-2
    name: str  # the country, in English
    line: str  # the crisis line's name
    phone: str  # how to reach it: "call or text 988"
    emergency: str  # ambulance / police
    url: str
    violence: str | None = None  # a line for domestic or sexual violence, when known

    @property
    def line_text(self) -> str:
        return f"{self.line}: {self.phone}"


# International fallback: Find A Helpline (ThroughLine) lists free, confidential
# lines by country and topic. Source: https://findahelpline.com
FALLBACK_URL = "findahelpline.com"

HELPLINES: dict[str, Helpline] = {
    h.country: h
    for h in [
        # source: https://988lifeline.org ; https://www.thehotline.org
        Helpline(
            "US",
            "the United States",
            "988 Suicide & Crisis Lifeline",
            "call or text 988",
            "911",
            "988lifeline.org",
            "National Domestic Violence Hotline 1-800-799-7233",
        ),
        # source: https://988.ca
        Helpline(
            "CA", "Canada", "9-8-8 Suicide Crisis Helpline", "call or text 988", "911", "988.ca"
        ),
        # source: https://www.samaritans.org ; https://nationaldahelpline.org.uk
        Helpline(
            "GB",
            "the UK",
            "Samaritans",
            "call 116 123 (free, 24/7)",
            "999",
            "samaritans.org",
            "National Domestic Abuse Helpline 0808 2000 247",
        ),
        # source: https://www.samaritans.org/ireland ; https://www.womensaid.ie
        Helpline(
            "IE",
            "Ireland",
            "Samaritans",
            "call 116 123 (free, 24/7)",
            "112 or 999",
            "samaritans.org",
            "Women's Aid 1800 341 900",
        ),
        # source: https://www.lifeline.org.au ; https://www.1800respect.org.au
        Helpline(
            "AU",
            "Australia",
            "Lifeline",
            "call 13 11 14",
            "000",
            "lifeline.org.au",
            "1800RESPECT 1800 737 732",
        ),
        # source: https://1737.org.nz
        Helpline("NZ", "New Zealand", "Need to talk?", "call or text 1737", "111", "1737.org.nz"),
        # source: https://www.telefonseelsorge.de ; https://www.hilfetelefon.de
        Helpline(
            "DE",
            "Germany",
            "TelefonSeelsorge",
            "0800 111 0 111 or 0800 111 0 222",
            "112",
            "telefonseelsorge.de",
            "Hilfetelefon Gewalt gegen Frauen 116 016",
        ),
        # source: https://www.telefonseelsorge.at ; https://www.frauenhelpline.at
        Helpline(
            "AT",
            "Austria",
            "TelefonSeelsorge",
            "142",
            "112 (ambulance 144)",
            "telefonseelsorge.at",
            "Frauenhelpline 0800 222 555",
        ),
        # source: https://www.143.ch
        Helpline(
            "CH",
            "Switzerland",
            "Die Dargebotene Hand / La Main Tendue",
            "143",
            "144 (ambulance) or 112",
            "143.ch",
        ),
        # source: https://3114.fr ; https://arretonslesviolences.gouv.fr
        Helpline(
            "FR",
            "France",
            "3114 (numéro national de prévention du suicide)",
            "3114",
            "15 (SAMU) or 112",
            "3114.fr",
            "Violences Femmes Info 3919",
        ),
        # source: https://www.preventionsuicide.be ; https://www.zelfmoord1813.be
        Helpline(
            "BE",
            "Belgium",
            "Zelfmoordlijn / Centre de Prévention du Suicide",
            "1813 (Nederlands) or 0800 32 123 (français)",
            "112",
            "zelfmoord1813.be",
        ),
        # source: https://www.113.nl ; https://veiligthuis.nl
        Helpline(
            "NL",
            "the Netherlands",
            "113 Zelfmoordpreventie",
            "113 or 0800-0113",
            "112",
            "113.nl",
            "Veilig Thuis 0800-2000",
        ),
        # source: https://www.sos-detresse.lu
        Helpline("LU", "Luxembourg", "SOS Détresse", "45 45 45", "112", "sos-detresse.lu"),
        # source: https://www.sanidad.gob.es (Línea 024) ; https://violenciagenero.igualdad.gob.es
        Helpline(
            "ES",
            "Spain",
            "Línea 024 de atención a la conducta suicida",
            "024",
            "112",
            "sanidad.gob.es",
            "016 (violencia de género)",
        ),
        # source: https://www.sosvozamiga.org ; https://www.cig.gov.pt (linha 800 202 148)
        Helpline(
            "PT",
            "Portugal",
            "SOS Voz Amiga",
            "213 544 545",
            "112",
            "sosvozamiga.org",
            "Linha de apoio às vítimas de violência doméstica 800 202 148",
        ),
        # source: https://www.telefonoamico.it ; https://www.1522.eu
        Helpline(
            "IT",
            "Italy",
            "Telefono Amico Italia",
            "02 2327 2327",
            "112",
            "telefonoamico.it",
            "1522 (antiviolenza e stalking)",
        ),
        # source: https://cvv.org.br ; https://www.gov.br (Ligue 180)
        Helpline(
            "BR",
            "Brazil",
            "CVV – Centro de Valorização da Vida",
            "188",
            "192 (SAMU)",
            "cvv.org.br",
            "Ligue 180 (Central de Atendimento à Mulher)",
        ),
        # source: https://www.gob.mx/salud/conadic (Línea de la Vida)
        Helpline("MX", "Mexico", "Línea de la Vida", "800 911 2000", "911", "gob.mx/salud/conadic"),
        # source: https://www.asistenciaalsuicida.org.ar
        Helpline(
            "AR",
            "Argentina",
            "Centro de Asistencia al Suicida",
            "135 or (011) 5275-1135",
            "911",
            "asistenciaalsuicida.org.ar",
        ),
        # source: https://www.minsal.cl (Línea *4141 de prevención del suicidio)
        Helpline(
            "CL",
            "Chile",
            "Línea de prevención del suicidio",
            "*4141",
            "131 (ambulance)",
            "minsal.cl",
        ),
        # source: https://www.minsalud.gov.co (Línea 192, opción 4: salud mental)
        Helpline(
            "CO",
            "Colombia",
            "Línea 192, opción 4 (salud mental)",
            "192, option 4",
            "123",
            "minsalud.gov.co",
        ),
        # source: https://www.inochinodenwa.org
        Helpline(
            "JP",
            "Japan",
            "いのちの電話 (Inochi no Denwa)",
            "0570-783-556",
            "119 (ambulance) or 110 (police)",
            "inochinodenwa.org",
        ),
        # source: https://www.mohw.go.kr (자살예방상담전화 109, since January 2024)
        Helpline(
            "KR",
            "South Korea",
            "자살예방상담전화 (suicide prevention line)",
            "109",
            "119",
            "mohw.go.kr",
        ),
        # source: https://telemanas.mohfw.gov.in
        Helpline(
            "IN", "India", "Tele-MANAS", "14416 or 1-800-891-4416", "112", "telemanas.mohfw.gov.in"
        ),
        # source: https://www.sadag.org
        Helpline(
            "ZA",
            "South Africa",
            "SADAG Suicide Crisis Helpline",
            "0800 567 567",
            "10111 (police), 10177 (ambulance), 112 from a mobile",
            "sadag.org",
        ),
        # source: https://mind.se/hitta-hjalp/sjalvmordslinjen
        Helpline("SE", "Sweden", "Mind Självmordslinjen", "90101", "112", "mind.se"),
        # source: https://mentalhelse.no/hjelpetelefonen
        Helpline(
            "NO",
            "Norway",
            "Mental Helse Hjelpetelefonen",
            "116 123",
            "113 (medical) or 112 (police)",
            "mentalhelse.no",
        ),
        # source: https://www.livslinien.dk
        Helpline("DK", "Denmark", "Livslinien", "70 201 201", "112", "livslinien.dk"),
        # source: https://mieli.fi (Kriisipuhelin)
        Helpline("FI", "Finland", "MIELI Crisis Helpline", "09 2525 0111", "112", "mieli.fi"),
        # source: https://www.1717.is
        Helpline("IS", "Iceland", "Hjálparsími Rauða krossins", "1717", "112", "1717.is"),
        # source: https://centrumwsparcia.pl
        Helpline("PL", "Poland", "Centrum Wsparcia", "800 70 2222", "112", "centrumwsparcia.pl"),
        # source: https://www.linkapsychickepomoci.cz
        Helpline(
            "CZ",
            "Czechia",
            "Linka první psychické pomoci",
            "116 123",
            "112 (ambulance 155)",
            "linkapsychickepomoci.cz",
        ),
        # source: https://www.sos116-123.hu (Lelki Elsősegély Telefonszolgálat)
        Helpline(
            "HU", "Hungary", "Lelki Elsősegély Telefonszolgálat", "116 123", "112", "sos116-123.hu"
        ),
        # source: https://www.alianta-suicid.ro (ARPS)
        Helpline(
            "RO",
            "Romania",
            "Alianța Română de Prevenție a Suicidului",
            "0800 801 200",
            "112",
            "alianta-suicid.ro",
        ),
        # source: https://www.klimaka.org.gr
        Helpline(
            "GR",
            "Greece",
            "Klimaka suicide prevention line",
            "1018",
            "112 (ambulance 166)",
            "klimaka.org.gr",
        ),
        # source: https://lifelineukraine.com
        Helpline(
            "UA",
            "Ukraine",
            "Lifeline Ukraine",
            "7333",
            "112 (ambulance 103)",
            "lifelineukraine.com",
        ),
        # source: https://www.eran.org.il
        Helpline(
            "IL",
            "Israel",
            "ERAN – Emotional First Aid",
            "1201",
            "101 (ambulance) or 100 (police)",
            "eran.org.il",
        ),
        # source: https://www.sos.org.sg
        Helpline(
            "SG",
            "Singapore",
            "Samaritans of Singapore",
            "1767",
            "995 (ambulance) or 999 (police)",
            "sos.org.sg",
        ),
        # source: https://sbhk.org.hk
        Helpline(
            "HK",
            "Hong Kong",
            "The Samaritan Befrienders Hong Kong",
            "2389 2222",
            "999",
            "sbhk.org.hk",
        ),
        # source: https://www.mohw.gov.tw (安心專線 1925)
        Helpline(
            "TW",
            "Taiwan",
            "安心專線 (Taiwan suicide prevention line)",
            "1925",
            "119",
            "mohw.gov.tw",
        ),
        # source: https://ncmh.gov.ph (NCMH crisis hotline)
        Helpline("PH", "the Philippines", "NCMH Crisis Hotline", "1553", "911", "ncmh.gov.ph"),
        # source: https://www.befrienders.org.my
        Helpline(
            "MY",
            "Malaysia",
            "Befrienders Kuala Lumpur",
            "03-7627 2929",
            "999",
            "befrienders.org.my",
        ),
    ]
}

# Zones the timezone database files under one country but people elsewhere use too,
# and old names (links) that zone.tab does not list.
_ZONE_COUNTRY = {
    "US/Eastern": "US", "US/Central": "US", "US/Mountain": "US", "US/Pacific": "US",
    "US/Alaska": "US", "US/Hawaii": "US", "US/Arizona": "US", "Canada/Eastern": "CA",
    "Canada/Central": "CA", "Canada/Pacific": "CA", "Canada/Mountain": "CA",
    "Canada/Atlantic": "CA", "Australia/ACT": "AU", "Australia/NSW": "AU",
    "Australia/Canberra": "AU", "Asia/Calcutta": "IN", "Asia/Kolkata": "IN",
    "Europe/Kiev": "UA", "Europe/Kyiv": "UA", "America/Buenos_Aires": "AR", "GB": "GB",
    "Eire": "IE", "Japan": "JP", "NZ": "NZ", "Singapore": "SG", "Hongkong": "HK",
    "Israel": "IL", "Portugal": "PT", "Poland": "PL", "ROK": "KR", "ROC": "TW",
    "Brazil/East": "BR", "Mexico/General": "MX", "Iceland": "IS", "Asia/Saigon": "VN",
}  # fmt: skip


@cache
def _zone_table() -> dict[str, str]:
    """zone -> country from the timezone database's zone.tab (tzdata, or the system's)."""
    text = None
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        for path in (Path("/usr/share/zoneinfo/zone.tab"), Path("/usr/lib/zoneinfo/zone.tab")):
            if path.exists():
                text = path.read_text(encoding="utf-8")
                break
    table: dict[str, str] = {}
    for line in (text or "").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            table[parts[2].strip()] = parts[0].strip().upper()
    table.update(_ZONE_COUNTRY)
    return table


def country_of_zone(zone: str | None) -> str | None:
    if not zone or zone.upper() in ("UTC", "GMT", "ETC/UTC", "ETC/GMT", "Z"):
        return None
    return _zone_table().get(zone)


def country_of_locale(locale: str | None) -> str | None:
    """ "pt-BR", "pt_BR.UTF-8" -> "BR"; a bare language says nothing about a country."""
    if not locale:
        return None
    parts = locale.replace("_", "-").split(".")[0].split("-")
    region = parts[1] if len(parts) > 1 else ""
    return region.upper() if len(region) == 2 and region.isalpha() else None


COUNTRY_NAMES: dict[str, str] = {
    **{h.name.removeprefix("the ").lower(): code for code, h in HELPLINES.items()},
    "usa": "US", "america": "US", "united states": "US", "u.s.": "US", "uk": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "great britain": "GB", "britain": "GB", "united kingdom": "GB", "deutschland": "DE",
    "österreich": "AT", "osterreich": "AT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
    "españa": "ES", "espana": "ES", "méxico": "MX", "brasil": "BR", "italia": "IT",
    "nederland": "NL", "holland": "NL", "belgique": "BE", "belgië": "BE", "belgie": "BE",
    "sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI", "polska": "PL",
    "korea": "KR", "south korea": "KR", "nihon": "JP", "ísland": "IS", "eire": "IE",
    "éire": "IE", "czech republic": "CZ", "magyarország": "HU", "românia": "RO",
    "ελλάδα": "GR", "україна": "UA", "philippines": "PH", "new zealand": "NZ",
}  # fmt: skip


def find_country(text: str) -> str | None:
    """An ISO code or a country's name (in English or its own language) -> ISO code."""
    words = text.strip().strip(".!").lower()
    if len(words) == 2 and words.isalpha():
        code = words.upper()
        return "GB" if code == "UK" else code
    return COUNTRY_NAMES.get(words)
