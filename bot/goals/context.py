"""The person's active goals in the model's context, numbered as in their /goals list,
so progress mentioned in passing (or "goal 3") lands on the right one."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.goals.service import GoalsService
from bot.turn import ContextProvider, ContextSection, TurnInput


def goals_context(service: GoalsService) -> ContextProvider:
    async def provide(turn: TurnInput) -> list[ContextSection]:
        if not turn.private:
            return []  # goals are personal: never in a group chat
        views = [
            v
            for v in await service.views(turn.person.id, tz=turn.person.timezone)
            if v.goal.status == "active"
        ]
        if not views:
            return []
        local = service.clock.now().astimezone(ZoneInfo(turn.person.timezone))
        # Their own clock, so "this morning" becomes the right time in log_progress.
        lines = [f"(their local time now: {local:%A %Y-%m-%d %H:%M})"]
        for view in views:
            line = f"{view.number}. {await service.describe(view, turn.person.timezone)}"
            if view.goal.why:
                line += f" - why: {view.goal.why}"
            lines.append(line)
        title = "Their active goals (numbered as in their /goals list; tools take the number)"
        return [ContextSection(title, "\n".join(lines), priority=20)]

    return provide
