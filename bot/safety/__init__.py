"""Safety for a companion people confide in: crisis referrals with or without a
model, honesty about being an AI, protections for minors. ``install`` plugs it into
the runtime; see the README's "Safety" section for the protocol."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.interfaces import Linking
from bot.safety import doctor  # noqa: F401 - registers the doctor check
from bot.safety.commands import safety_command
from bot.safety.feature import Safety

if TYPE_CHECKING:
    from bot.runtime import Runtime

# What safety keeps in a person's settings (all of it travels with /export).
KEYS = ("crisis_at", "minor", "country", "ai_notice_at", "safety_referred_at", "safety_session")


# Merges on /link; screens a voice note once media has made it words.
NEEDS: tuple[str, ...] = ("linking", "media")


async def install(runtime: Runtime) -> None:
    safety = Safety(runtime)
    core = runtime.companion
    runtime.services.safety = safety
    # Installed after media (a voice note is words by now) and before goals, whose
    # onboarding answers plain messages itself: a crisis is never taken for an answer.
    # (its NEEDS, and goals', hold the runtime to that order.)
    core.hooks.preprocessors.append(safety.screen)
    core.hooks.context.append(safety.context)
    core.hooks.outgoing.append(safety.outgoing)
    core.commands.add(safety_command(safety))

    async def export(person_id: int) -> dict[str, Any]:
        person = await runtime.people.get(person_id)
        settings = person.settings if person else {}
        return {k: settings[k] for k in KEYS if k in settings}

    async def erase(person_id: int) -> None:
        return None  # kept in the person's settings, erased with them

    runtime.personal_data("safety", export=export, erase=erase)
    linking: Linking | None = runtime.services.linking
    if linking is not None:
        linking.mergers["safety"] = _merger(runtime)


def _merger(runtime: Runtime) -> Any:
    async def merge(former: int, target: int) -> None:
        """Linking keeps the asking side's settings: what safety knows must survive it
        (a minor stays a minor, a recent crisis stays recent)."""
        old = await runtime.people.get(former)
        new = await runtime.people.get(target)
        if old is None or new is None:
            return
        changes: dict[str, Any] = {}
        if old.settings.get("minor") is True:
            changes["minor"] = True
        crisis = [v for v in (old.settings.get("crisis_at"), new.settings.get("crisis_at")) if v]
        if crisis:
            changes["crisis_at"] = max(str(v) for v in crisis)
        if not new.settings.get("country") and old.settings.get("country"):
            changes["country"] = old.settings["country"]
        if changes:
            await runtime.people.update_settings(target, **changes)

    return merge
