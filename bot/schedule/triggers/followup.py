"""A follow-up that is due: something the person said was coming up has happened."""

from __future__ import annotations

from datetime import datetime

from bot.schedule.followups.concepts import BY_NAME, GENERIC, question
from bot.schedule.triggers.base import Scene, Trigger, local_text

PRECISION_TEXT = {
    "time": "at {at}",
    "part": "around {at}",
    "day": "on {day}",
    "weekend": "the weekend of {day}",
    "week": "the week of {day}",
}


async def find(scene: Scene, at: datetime) -> list[Trigger]:
    out = []
    for row in scene.followups:
        if not (row.due_at <= at < row.expires_at):
            continue
        topic = f"followup:{row.id}"  # asked once: its row leaves "pending" when decided
        concept = BY_NAME.get(row.concept, GENERIC)
        local = row.event_at.astimezone(scene.prefs.tz)
        when = PRECISION_TEXT.get(row.precision, "on {day}").format(
            at=f"{local:%a %d %b %H:%M}", day=f"{local:%a %d %b}"
        )
        out.append(
            Trigger(
                kind="followup",
                topic=topic,
                priority=10,
                why=f"to ask how your {row.what.lower()} went",
                facts=(
                    f"On {local_text(row.said_at, scene)} they said: “{row.said}”",
                    f"That was {when} (their time); it is over now.",
                    "Ask how it went, once, specifically. If the recent conversation shows "
                    "they already told you, stay silent.",
                ),
                template=question(concept, row.lang, row.what),
                nudge=False,  # their own news: asked about once, whatever the rhythm
                followup_id=row.id,
            )
        )
    return out
