"""Getting to know a new person after /start: their name, their timezone (inferred
from a place and confirmed), one to three goals, and when they'd like to hear from the
companion. Deterministic prompts and parsing, so it works without a chat model; with
one, the model only helps place a town the built-in table doesn't know. Skippable
(/skip or "skip") and resumable (/start again); the state lives in
``person.settings["onboarding"]``."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

from bot.goals.service import GoalsService
from bot.preferences.parsing import SettingError, parse_times
from bot.preferences.service import Change, Preferences
from bot.preferences.timezones import describe_zone, find_timezone, valid_timezone
from bot.turn import TurnInput
from bot.types import Button, OutgoingMessage, Person

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_GOALS = 3
STEPS = ("name", "timezone", "confirm_tz", "goals", "checkins")
_YES = {"yes", "y", "yep", "yeah", "yup", "correct", "right", "sure", "ok", "okay", "exactly"}
_NO = {"no", "n", "nope", "nah", "wrong", "not really"}
_GREETINGS = {"hi", "hello", "hey", "hi there", "hello there", "hey there", "yo", "ok", "okay"}
_SKIP = {"skip", "/skip", "later", "not now", "skip it", "skip this"}
_ENOUGH = {"none", "no", "nothing", "done", "that's it", "thats it", "no more", "nope", "next"}
_NEVER = {"never", "none", "no", "nope", "don't", "dont", "i'll write first", "off"}
_NAME_LEAD = re.compile(
    r"^(?:hi|hello|hey)?[,!.\s]*(?:i'?m|i am|my name is|my name's|name's|call me|it'?s)\s+",
    re.I,
)
TZ_PROMPT = (
    "Reply with only the IANA timezone name (like Europe/Berlin) for the place the person "
    "says they live in or are in. If you cannot tell, reply with: unknown"
)


def _clean(text: str) -> str:
    return text.strip().strip(".!").strip().lower()


class Onboarding:
    def __init__(self, runtime: Runtime, goals: GoalsService, prefs: Preferences) -> None:
        self.runtime = runtime
        self.goals = goals
        self.prefs = prefs

    # ------------------------------------------------------------------ state

    @staticmethod
    def state(person: Person) -> dict[str, Any]:
        raw = person.settings.get("onboarding")
        return dict(raw) if isinstance(raw, dict) else {}

    async def _save(self, person_id: int, state: dict[str, Any]) -> None:
        await self.runtime.people.update_settings(person_id, onboarding=state)

    def active(self, person: Person) -> bool:
        return self.state(person).get("status") == "active"

    # ------------------------------------------------------------------ entry points

    async def start(self, turn: TurnInput, args: str) -> list[OutgoingMessage]:
        """/start: begin for a new person, resume where they left off, or say hello."""
        person = turn.person
        if not turn.private:
            return [OutgoingMessage(text="Hi! Write to me in a private chat to get started.")]
        state = self.state(person)
        again = args.strip().lower() in ("again", "over", "restart")
        if state.get("status") == "done" and not again:
            name = person.display_name or "there"
            return [
                OutgoingMessage(
                    text=f"Hi {name}, good to see you. Just talk to me, or see /goals, "
                    "/settings and /help. (/start again to redo the introductions.)"
                )
            ]
        if state.get("status") in ("active", "skipped") and not again:
            step = state.get("step", "name")
            state["status"] = "active"
            await self._save(person.id, state)
            return [
                OutgoingMessage(text="Welcome back! Let's pick up where we left off."),
                await self._prompt(person, step, state),
            ]
        state = {"status": "active", "step": "name", "goals": 0}
        await self._save(person.id, state)
        hello = f"Hi {person.display_name}!" if person.display_name else "Hi!"
        intro = (
            f"{hello} I'm your companion: someone to talk things over with, who remembers what "
            "matters to you and helps with the goals you choose. A few quick questions so I "
            "can be useful (say skip any time, /start to come back to them)."
        )
        if self.runtime.companion.model is None:
            intro += " (No chat model is set up yet: for now I run commands and these steps.)"
        return [OutgoingMessage(text=intro), await self._prompt(person, "name", state)]

    async def skip(self, turn: TurnInput, _args: str = "") -> str:
        state = self.state(turn.person)
        if state.get("status") != "active":
            return "There's nothing to skip right now. Just talk to me, or see /help."
        state["status"] = "skipped"
        await self._save(turn.person.id, state)
        return (
            "No problem, we can do that later: send /start whenever you like and I'll pick "
            "up where we left off. Meanwhile, just talk to me."
        )

    async def preprocess(self, turn: TurnInput) -> None:
        """While onboarding is active, plain messages answer its questions."""
        if not turn.private or not self.active(turn.person) or not turn.text.strip():
            return
        at = turn.message.sent_at or self.runtime.clock.now()
        platform = turn.message.identity.platform
        # Kept in the conversation log like any other message, and kept first.
        await self.runtime.turns.add(
            turn.person.id, "user", turn.text, at=at, platform=platform, meta={"onboarding": True}
        )
        try:
            replies = await self.answer(turn, turn.text)
        except Exception:
            log.exception("onboarding step failed for person %s", turn.person.id)
            replies = [
                OutgoingMessage(
                    text="Sorry, something went wrong on my side with that answer. Could you "
                    "try again? (Or say skip.)"
                )
            ]
        await self.runtime.turns.add(
            turn.person.id,
            "assistant",
            "\n".join(r.text for r in replies),
            at=self.runtime.clock.now(),
            platform=platform,
            meta={"onboarding": True},
        )
        turn.reply = replies

    async def button(self, turn: TurnInput, data: str) -> list[OutgoingMessage]:
        if not self.active(turn.person):
            return [OutgoingMessage(text="That question is already answered.")]
        return await self.answer(turn, data)

    # ------------------------------------------------------------------ steps

    async def answer(self, turn: TurnInput, text: str) -> list[OutgoingMessage]:
        person = turn.person
        if _clean(text) in _SKIP:
            return [OutgoingMessage(text=await self.skip(turn))]
        state = self.state(person)
        step = state.get("step", "name")
        handler = {
            "name": self._on_name,
            "timezone": self._on_timezone,
            "confirm_tz": self._on_confirm,
            "goals": self._on_goals,
            "checkins": self._on_checkins,
        }.get(step, self._on_name)
        return await handler(person, state, text)

    async def _advance(
        self, person: Person, state: dict[str, Any], step: str, lead: str = ""
    ) -> list[OutgoingMessage]:
        state["step"] = step
        await self._save(person.id, state)
        person = await self.runtime.people.get(person.id) or person
        prompt = await self._prompt(person, step, state)
        if lead:
            prompt = OutgoingMessage(text=f"{lead} {prompt.text}", buttons=prompt.buttons)
        return [prompt]

    async def _prompt(self, person: Person, step: str, state: dict[str, Any]) -> OutgoingMessage:
        if step == "name":
            keep = f" (Say ok to keep {person.display_name}.)" if person.display_name else ""
            return OutgoingMessage(text=f"First: what should I call you?{keep}")
        if step == "timezone":
            return OutgoingMessage(
                text="Where in the world are you? A city is enough (or a timezone like "
                "Europe/Berlin), so I only write at sensible hours."
            )
        if step == "confirm_tz":
            zone = state.get("tz_guess", "UTC")
            return OutgoingMessage(
                text=f"So your timezone is {describe_zone(zone, self.runtime.clock.now())}. "
                "Is that right?",
                buttons=((Button("Yes", "onb:yes"), Button("No", "onb:no")),),
            )
        if step == "goals":
            return OutgoingMessage(
                text="What would you like to work on? One to three goals, in your own words: "
                "one per message, or separated by ; (e.g. run 3 times a week; read every "
                "evening). Say none if you'd rather not."
            )
        return OutgoingMessage(
            text="Last one: when would you like to hear from me? Times like 9:00 and 20:00, "
            "or mornings, or never if you'd rather always write first."
        )

    async def _on_name(
        self, person: Person, state: dict[str, Any], text: str
    ) -> list[OutgoingMessage]:
        if _clean(text) in _YES and person.display_name:
            name = person.display_name
        else:
            stripped = _NAME_LEAD.sub("", text.strip())
            if stripped == text.strip() and len(text.split()) > 4:
                # Not a name but a whole sentence: ask again rather than guess.
                return [OutgoingMessage(text="Sorry, just the name I should use? (Or say skip.)")]
            name = " ".join(stripped.strip(" .!,").split()[:3])[:40]
            if name.islower():
                name = name.title()
        if not name or _clean(text) in _GREETINGS:
            return [OutgoingMessage(text="Hello! What name should I use for you?")]
        await self.runtime.people.update(person.id, display_name=name)
        return await self._advance(person, state, "timezone", f"Nice to meet you, {name}!")

    async def _on_timezone(
        self, person: Person, state: dict[str, Any], text: str
    ) -> list[OutgoingMessage]:
        zone = find_timezone(text) or await self._ask_model_for_zone(text)
        if zone is None:
            return [
                OutgoingMessage(
                    text="I couldn't place that. Could you name a bigger city near you, or a "
                    "timezone like Europe/Berlin or UTC+2?"
                )
            ]
        state["tz_guess"] = zone
        return await self._advance(person, state, "confirm_tz")

    async def _on_confirm(
        self, person: Person, state: dict[str, Any], text: str
    ) -> list[OutgoingMessage]:
        answer = _clean(text)
        if answer in _YES:
            zone = state.pop("tz_guess", None) or person.timezone
            await self.prefs.apply(person.id, Change(timezone=zone))
            return await self._advance(person, state, "goals", "Got it.")
        if answer in _NO:
            state.pop("tz_guess", None)
            return await self._advance(person, state, "timezone", "Sorry about that.")
        zone = find_timezone(text)  # a correction: "no, I'm in Porto"
        if zone is not None:
            state["tz_guess"] = zone
            return await self._advance(person, state, "confirm_tz")
        return [OutgoingMessage(text="Is that right? Please answer yes or no.")]

    async def _on_goals(
        self, person: Person, state: dict[str, Any], text: str
    ) -> list[OutgoingMessage]:
        if _clean(text) in _ENOUGH:
            lead = (
                "Fine, you can add goals any time with /goals add."
                if not state.get("goals")
                else "Great."
            )
            return await self._advance(person, state, "checkins", lead)
        added = []
        for item in _split_goals(text)[: MAX_GOALS - int(state.get("goals", 0))]:
            try:
                goal = await self.goals.add(person.id, item)
            except ValueError:  # a duplicate, or too many: nothing new to note
                continue
            added.append(goal.title)
        if not added:
            return [OutgoingMessage(text="What's one thing you'd like to work on?")]
        state["goals"] = int(state.get("goals", 0)) + len(added)
        noted = "Noted: " + "; ".join(added) + "."
        if state["goals"] >= MAX_GOALS:
            return await self._advance(person, state, "checkins", noted)
        await self._save(person.id, state)
        return [OutgoingMessage(text=f"{noted} Another one? Or say done.")]

    async def _on_checkins(
        self, person: Person, state: dict[str, Any], text: str
    ) -> list[OutgoingMessage]:
        if _clean(text) in _NEVER:
            change = Change(checkins_enabled=False)
            plan = "I won't check in on my own; I'm here whenever you write."
        else:
            try:
                times = parse_times(text)
            except SettingError as exc:
                return [OutgoingMessage(text=f"{exc} Or say never.")]
            change = Change(checkin_times=times)
            plan = (
                f"I'll check in around {', '.join(times)} your time, when there's something "
                "worth saying."
            )
        await self.prefs.apply(person.id, change)
        state["status"] = "done"
        state.pop("step", None)
        await self._save(person.id, state)
        name = (await self.runtime.people.get(person.id) or person).display_name or "friend"
        ask = " Now, how are you doing today?" if self.runtime.companion.model else ""
        return [
            OutgoingMessage(
                text=f"All set, {name}! {plan} See /goals for your goals and /settings to "
                f"change any of this.{ask}"
            )
        ]

    async def _ask_model_for_zone(self, text: str) -> str | None:
        """Only for places the table doesn't know; the answer is checked and confirmed."""
        model = self.runtime.companion.model
        if model is None:
            return None
        from langchain_core.messages import HumanMessage, SystemMessage

        try:
            response = await asyncio.wait_for(
                model.ainvoke([SystemMessage(content=TZ_PROMPT), HumanMessage(content=text)]),
                timeout=self.runtime.settings.model_timeout + 5,
            )
        except Exception as exc:
            log.info("the model could not place a timezone: %s", type(exc).__name__)
            return None
        content = response.content if isinstance(response.content, str) else ""
        for word in re.findall(r"[A-Za-z_]+(?:/[A-Za-z_\-+0-9]+)+|UTC", content):
            zone = valid_timezone(word)
            if zone:
                return zone
        return None


def _split_goals(text: str) -> list[str]:
    """ "1. run 3x a week\n2. read" or "run; read" -> ["run 3x a week", "read"]."""
    parts = re.split(r"[\n;]+|\s+\d[.)]\s+", text)
    out = []
    for part in parts:
        item = re.sub(r"^\s*(?:\d+[.)]|[-*•])\s*", "", part).strip(" .,!")
        item = re.sub(r"^(?:i want to|i'd like to|i would like to|to)\s+", "", item, flags=re.I)
        if item:
            out.append(item[0].upper() + item[1:])
    return out
