"""A gentle hello after a long silence: once per silence, and only when nothing the
companion sent is waiting for an answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.schedule.triggers.base import Scene, Trigger

HELLO_TEXT = {
    "en": "Hi {name}, it's been a little while. No need to reply, just saying hello; "
    "I'm here whenever you feel like talking.",
    "de": "Hallo {name}, wir haben eine Weile nicht geschrieben. Du musst nicht antworten, "
    "nur ein kurzes Hallo; ich bin da, wann immer du magst.",
    "fr": "Salut {name}, ça fait un petit moment. Pas besoin de répondre, juste un petit "
    "bonjour ; je suis là quand tu veux parler.",
    "es": "Hola {name}, ha pasado un tiempo. No hace falta que respondas, solo quería "
    "saludarte; aquí estoy cuando quieras hablar.",
}


async def find(scene: Scene, at: datetime) -> list[Trigger]:
    days = scene.settings.checkin_hello_after_days
    last = scene.last_seen
    if days <= 0 or last is None or at - last < timedelta(days=days):
        return []
    state = scene.state
    if state is not None and state.last_sent_at is not None and state.last_sent_at > last:
        return []  # something sent since they last wrote is still unanswered
    topic = f"hello:{last:%Y%m%dT%H%M}"
    if await scene.is_decided(topic):
        return []
    silent = (at - last).days
    return [
        Trigger(
            kind="hello",
            topic=topic,
            priority=90,
            why=f"to say hello if we haven't talked for {days:g} days by then",
            facts=(
                f"They have not written for {silent} days. A short, light hello; you may "
                "pick up something specific from the recent conversation. Make clear no "
                "reply is needed. No guilt about the silence.",
            ),
            template=HELLO_TEXT.get(scene.lang, HELLO_TEXT["en"]).format(name=scene.name),
        )
    ]
