"""Light feedback under each check-in: "Not now", "Less often", "This was useful".

Any press also counts as an answer (the check-in is no longer unanswered)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands import CallbackFunc
from bot.turn import TurnInput
from bot.types import Button

if TYPE_CHECKING:
    from bot.schedule.service import ScheduleService

PREFIX = "ci"


def feedback_buttons(delivery_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button("Not now", f"{PREFIX}:later:{delivery_id}"),
            Button("Less often", f"{PREFIX}:less:{delivery_id}"),
            Button("This was useful", f"{PREFIX}:good:{delivery_id}"),
        ),
    )


def per_week_text(per_week: float) -> str:
    if per_week >= 1:
        n = round(per_week, 1)
        return f"about {n:g} a week at most"
    weeks = round(1 / per_week)
    return f"about one every {weeks} weeks at most"


def feedback_handler(service: ScheduleService) -> CallbackFunc:
    """The callback for ``ci:<action>:<delivery id>`` buttons."""
    store = service.store

    async def press(turn: TurnInput, rest: str) -> str:
        action, _, raw_id = rest.partition(":")
        person_id = turn.person.id
        delivery = await store.delivery_by_id(person_id, int(raw_id)) if raw_id.isdigit() else None
        if delivery is None or delivery.kind != "checkin":
            return "That check-in is no longer here."
        await service.note_activity(person_id)
        if delivery.outcome is not None:
            return "Already noted, thanks."
        if action == "later":
            await store.set_outcome(person_id, delivery.id, "not_now")
            await service.not_now(person_id)
            return "Okay, not now. Nothing more from me today."
        if action == "less":
            await store.set_outcome(person_id, delivery.id, "less_often")
            per_week = await service.less_often(person_id)
            return (
                f"Got it: I'll check in less often, {per_week_text(per_week)}. Things you tell "
                "me about (an interview, a trip) I'll still ask about once afterwards. "
                "/checkins more undoes this."
            )
        if action == "good":
            await store.set_outcome(person_id, delivery.id, "useful")
            return "Thanks for telling me. Noted."
        return "That button has expired."

    return press
