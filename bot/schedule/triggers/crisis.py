"""After a hard moment (the safety feature writes ``person.settings["crisis_at"]``,
ISO-8601 UTC): nothing cheerful for a day, then one gentle word the next day.

The gentle word is a fixed, reviewed text, never model-written: no cheer, no guilt,
no claim of feelings, nothing about what was said."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.schedule.triggers.base import Scene, Trigger

QUIET_FOR = timedelta(hours=24)
CARE_WITHIN = timedelta(days=4)  # after this, the moment has passed: no late "how are you"

CARE_TEXT = {
    "en": "I wanted to check in after {when}. How are you doing today?",
    "de": "Ich wollte mich nach {when} kurz melden. Wie geht es dir heute?",
    "fr": "Je voulais prendre de tes nouvelles après {when}. Comment vas-tu aujourd'hui ?",
    "es": "Quería saber de ti después de {when}. ¿Cómo estás hoy?",
}
WHEN = {
    "en": ("yesterday", "the other day"),
    "de": ("gestern", "neulich"),
    "fr": ("hier", "l'autre jour"),
    "es": ("lo de ayer", "lo del otro día"),
}


def care_text(lang: str, since: timedelta) -> str:
    lang = lang if lang in CARE_TEXT else "en"
    recent, older = WHEN[lang]
    return CARE_TEXT[lang].format(when=recent if since < timedelta(hours=40) else older)


def crisis_at(scene: Scene) -> datetime | None:
    return when_of(scene.setting("crisis_at"))


def when_of(raw: object) -> datetime | None:
    """The instant in a ``crisis_at`` setting, or None."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        found = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def holding(scene: Scene, at: datetime) -> bool:
    """Within a day of a crisis: no cheerful check-in, goal nudge or streak message."""
    when = crisis_at(scene)
    return when is not None and when <= at < when + QUIET_FOR


async def find(scene: Scene, at: datetime) -> list[Trigger]:
    when = crisis_at(scene)
    if when is None or not (when + QUIET_FOR <= at < when + CARE_WITHIN):
        return []
    topic = f"care:{when:%Y%m%dT%H%M%S}"
    if await scene.is_decided(topic):
        return []
    return [
        Trigger(
            kind="care",
            topic=topic,
            priority=0,
            why="to see how you are doing after a hard day",
            facts=(),
            template=care_text(scene.lang, at - when),
            cheerful=False,
            nudge=False,
            model=False,
        )
    ]
