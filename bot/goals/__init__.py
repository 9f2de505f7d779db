"""Goals, onboarding and personal settings: everything that gets to know a person and
keeps track of what they want to do. ``install`` plugs it all into the runtime."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands import Command
from bot.goals.commands import build_command as goals_command
from bot.goals.context import goals_context
from bot.goals.service import GoalsService
from bot.goals.tools import build_tools
from bot.interfaces import Linking
from bot.onboarding.flow import Onboarding
from bot.preferences.commands import build_command as settings_command
from bot.preferences.service import Preferences
from bot.preferences.tools import build_tool as settings_tool
from memory.goals import GoalStore

if TYPE_CHECKING:
    from bot.runtime import Runtime


# Merges on /link; onboarding reads an answer after media (a voice answer counts)
# and after safety (a crisis is never taken for an answer).
NEEDS: tuple[str, ...] = ("linking", "media", "safety")


async def install(runtime: Runtime) -> None:
    core = runtime.companion
    store = GoalStore(runtime.db)
    goals = GoalsService(store, runtime.people, runtime.clock)
    prefs = Preferences(runtime)
    onboarding = Onboarding(runtime, goals, prefs)
    runtime.services.goals = goals
    runtime.services.preferences = prefs
    runtime.services.onboarding = onboarding

    core.commands.add(goals_command(goals))
    for tool in build_tools(goals):
        core.tools.add(tool)
    core.hooks.context.append(goals_context(goals))
    runtime.personal_data("goals", export=store.export, erase=store.erase)
    linking: Linking | None = runtime.services.linking
    if linking is not None:
        linking.mergers["goals"] = store.merge

    core.commands.add(settings_command(prefs))
    core.tools.add(settings_tool(prefs))

    core.commands.add(
        Command("start", "say hello and get started (a few quick questions)", onboarding.start),
        replace=True,
    )
    core.commands.add(
        Command("skip", "skip the getting-started questions for now", onboarding.skip)
    )
    core.commands.add_callback("onb", onboarding.button)
    # After media preprocessors (installed earlier), so a voice answer counts too.
    core.hooks.preprocessors.append(onboarding.preprocess)
    # A message that was not an answer goes to the conversation; then the question again.
    core.hooks.context.append(onboarding.context)
    core.hooks.replies.append(onboarding.after_reply)
