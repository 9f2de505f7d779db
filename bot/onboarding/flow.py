"""Getting to know a new person after /start: their name, their timezone (inferred
from a place and confirmed), one to three goals, and when they'd like to hear from the
companion. Skippable (/skip or "skip") and resumable (/start again); the state lives
in ``person.settings["onboarding"]``.

It never holds a conversation hostage: a message that is not an answer (news, a
question, a feeling) goes to the normal conversation turn (stored, remembered, and
answered by the model when there is one), and the question is asked again gently
after the reply; a second such message in a row puts the questions on hold until
/start. Replies are read by the chat model when there is one, by plain rules
otherwise (reading.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.goals.service import GoalsService, TitleTooLong
from bot.onboarding import reading
from bot.onboarding.reading import Reading
from bot.preferences.service import Change, Preferences
from bot.preferences.timezones import describe_zone, zone_label
from bot.turn import ContextSection, TurnInput
from bot.types import Button, OutgoingMessage, Person

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_GOALS = 3
STEPS = ("name", "timezone", "confirm_tz", "goals", "checkins")
ASIDE = "onboarding_aside"  # turn.meta: this message was not an answer (kept with the turn)
# What each step asks, in short: for the model reading the reply, and for asking again.
QUESTIONS = {
    "name": "What should I call you?",
    "timezone": "Where in the world are you (a city, or a timezone)?",
    "confirm_tz": "Is that timezone right?",
    "goals": "What would you like to work on (one to three goals)?",
    "checkins": "When would you like to hear from me (times of day, or never)?",
}
ASIDE_CONTEXT = (
    "You are in the middle of a few getting-started questions with this person (now: "
    "{question}). Their message is not an answer to it: reply to what they said, "
    "naturally and briefly. Do not ask the getting-started question yourself; it is "
    "asked again after your reply."
)


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
            state.pop("asides", None)
            await self._save(person.id, state)
            return [
                OutgoingMessage(text="Welcome back! Let's pick up where we left off."),
                await self._prompt(person, step, state),
            ]
        state = {"status": "active", "step": "name", "goals": 0}
        await self._save(person.id, state)
        hello = f"Hi {person.display_name}!" if person.display_name else "Hi!"
        intro = (
            f"{hello} I'm Companion, an AI companion: a computer program, not a person. I'm "
            "here to talk things over, remember what matters to you, and help with the "
            "goals you choose. A few quick questions so I can be useful (say skip any "
            "time, /start to come back to them)."
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
        """While onboarding is active, a plain message that answers the question is
        taken as the answer; anything else goes on to the conversation."""
        if not turn.private or not self.active(turn.person) or not turn.text.strip():
            return
        person = turn.person
        state = self.state(person)
        step = state.get("step", "name")
        try:
            if reading.clean(turn.text) in reading.SKIP:
                read: Reading | None = None
            else:
                read = await self.read(person, step, turn.text)
                if not read.answered and not read.greeting:
                    await self._aside(turn, state, step)
                    return  # the conversation turn answers it (and stores it)
        except Exception:
            log.exception("reading an onboarding answer failed for person %s", person.id)
            read = Reading(True, unclear="Sorry, something went wrong on my side with that.")
        await self._store(turn, "user", turn.text)
        try:
            replies = await self.answer(turn, read)
        except Exception:
            log.exception("onboarding step failed for person %s", person.id)
            replies = [
                OutgoingMessage(
                    text="Sorry, something went wrong on my side with that answer. Could you "
                    "try again? (Or say skip.)"
                )
            ]
        await self._store(turn, "assistant", "\n".join(r.text for r in replies))
        turn.reply = replies

    async def button(self, turn: TurnInput, data: str) -> list[OutgoingMessage]:
        if not self.active(turn.person):
            return [OutgoingMessage(text="That question is already answered.")]
        step = self.state(turn.person).get("step", "name")
        return await self.answer(turn, reading.by_rules(step, data, turn.person.display_name))

    async def context(self, turn: TurnInput) -> list[ContextSection]:
        """Tells the model, for a message that was not an answer, not to re-ask itself."""
        step = turn.meta.get(ASIDE)
        if not isinstance(step, str) or step not in QUESTIONS:
            return []
        text = ASIDE_CONTEXT.format(question=QUESTIONS[step])
        return [ContextSection("Getting started", text, priority=5, as_data=False)]

    async def after_reply(
        self, turn: TurnInput, replies: list[OutgoingMessage]
    ) -> list[OutgoingMessage]:
        """After the conversation answered an aside: the question again, gently (or, the
        second time in a row, the questions put on hold)."""
        step = turn.meta.get(ASIDE)
        if not isinstance(step, str):
            return replies
        if step == "paused":
            note = OutgoingMessage(
                text="Let's leave the getting-started questions for now: send /start "
                "whenever you'd like to finish them."
            )
            return [*replies, note]
        person = await self.runtime.people.get(turn.person.id) or turn.person
        return [*replies, self._ask_again(person, step, self.state(person))]

    def _ask_again(self, person: Person, step: str, state: dict[str, Any]) -> OutgoingMessage:
        question = QUESTIONS[step][0].lower() + QUESTIONS[step][1:]
        if step == "name" and person.display_name:
            question += f" Say ok to keep {person.display_name}, or skip."
        else:
            question += " Or say skip."
        buttons: tuple[tuple[Button, ...], ...] = ()
        if step == "confirm_tz":
            zone = zone_label(state.get("tz_guess", "UTC"))
            question = f"is {zone} your timezone? Or say skip."
            buttons = ((Button("Yes", "onb:yes"), Button("No", "onb:no")),)
        return OutgoingMessage(text=f"(Whenever you're ready: {question})", buttons=buttons)

    # ------------------------------------------------------------------ reading

    async def read(self, person: Person, step: str, text: str) -> Reading:
        """Obvious replies by rule; the rest by the model when there is one (checked),
        by rule otherwise or when the model's reading does not hold up."""
        found = reading.obvious(step, text, person.display_name)
        if found is not None:
            return found
        companion = self.runtime.companion
        if companion.model is not None:
            async with companion.gate.stepped_out():  # a wait, not CPU work
                by_model = await reading.by_model(
                    companion.model,
                    step,
                    QUESTIONS[step],
                    text,
                    person.display_name,
                    limit_s=self.runtime.settings.model_timeout + 5,
                )
            if by_model is not None:
                return by_model
        return reading.by_rules(step, text, person.display_name)

    async def _aside(self, turn: TurnInput, state: dict[str, Any], step: str) -> None:
        asides = int(state.get("asides", 0)) + 1
        if asides >= 2:
            state["status"] = "skipped"
            state.pop("asides", None)
            turn.meta[ASIDE] = "paused"
        else:
            state["asides"] = asides
            turn.meta[ASIDE] = step
        await self._save(turn.person.id, state)

    async def _store(self, turn: TurnInput, role: str, text: str) -> None:
        """Kept in the conversation log like any other message (the person's first)."""
        at = (turn.message.sent_at if role == "user" else None) or self.runtime.clock.now()
        await self.runtime.turns.add(
            turn.person.id,
            role,
            text,
            at=at,
            platform=turn.message.identity.platform,
            meta={"onboarding": True},
        )

    # ------------------------------------------------------------------ steps

    async def answer(self, turn: TurnInput, read: Reading | None) -> list[OutgoingMessage]:
        """Apply a reading (None: skip) to the current step and ask the next question."""
        person = turn.person
        if read is None:
            return [OutgoingMessage(text=await self.skip(turn))]
        state = self.state(person)
        if state.pop("asides", None) is not None:  # an answer, even an unclear one, ends
            await self._save(person.id, state)  # a row of asides
        step = state.get("step", "name")
        if read.greeting:
            return [OutgoingMessage(text="Hello! What name should I use for you?")]
        if read.unclear:
            prompt = await self._prompt(person, step, state)
            if step in ("timezone", "confirm_tz", "checkins"):
                return [OutgoingMessage(text=read.unclear, buttons=prompt.buttons)]
            return [OutgoingMessage(text=f"{read.unclear} {prompt.text}", buttons=prompt.buttons)]
        handler = {
            "name": self._on_name,
            "timezone": self._on_timezone,
            "confirm_tz": self._on_confirm,
            "goals": self._on_goals,
            "checkins": self._on_checkins,
        }.get(step, self._on_name)
        return await handler(person, state, read)

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
        self, person: Person, state: dict[str, Any], read: Reading
    ) -> list[OutgoingMessage]:
        name = person.display_name if read.keep_name else read.name
        if not name:
            return [OutgoingMessage(text="Hello! What name should I use for you?")]
        await self.runtime.people.update(person.id, display_name=name)
        return await self._advance(person, state, "timezone", f"Nice to meet you, {name}!")

    async def _on_timezone(
        self, person: Person, state: dict[str, Any], read: Reading
    ) -> list[OutgoingMessage]:
        if read.timezone is None:
            return [
                OutgoingMessage(
                    text="I couldn't place that. Could you name a bigger city near you, or a "
                    "timezone like Europe/Berlin or UTC+2?"
                )
            ]
        state["tz_guess"] = read.timezone
        return await self._advance(person, state, "confirm_tz")

    async def _on_confirm(
        self, person: Person, state: dict[str, Any], read: Reading
    ) -> list[OutgoingMessage]:
        if read.timezone is not None:  # a correction: "no, I'm in Porto"
            state["tz_guess"] = read.timezone
            return await self._advance(person, state, "confirm_tz")
        if read.confirmed:
            zone = state.pop("tz_guess", None) or person.timezone
            await self.prefs.apply(person.id, Change(timezone=zone))
            return await self._advance(person, state, "goals", "Got it.")
        state.pop("tz_guess", None)
        return await self._advance(person, state, "timezone", "Sorry about that.")

    async def _on_goals(
        self, person: Person, state: dict[str, Any], read: Reading
    ) -> list[OutgoingMessage]:
        if read.times is not None:
            # Times, not a goal ("9am and 8pm"): the next question's answer, given early.
            return await self._on_checkins(
                person,
                state,
                read,
                lead="Those sound like times, so I'll take them as when to check in.",
            )
        if read.no_more_goals:
            lead = (
                "Fine, you can add goals any time with /goals add."
                if not state.get("goals")
                else "Great."
            )
            return await self._advance(person, state, "checkins", lead)
        added, problems = [], []
        for item in read.goals[: MAX_GOALS - int(state.get("goals", 0))]:
            try:
                goal = await self.goals.add(person.id, item)
            except TitleTooLong as exc:
                problems.append(f"That one is long: {exc}.")
                continue
            except ValueError:  # a duplicate, or too many: nothing new to note
                continue
            added.append(goal.title)
        if not added:
            hint = " ".join(problems) or "What's one thing you'd like to work on?"
            return [OutgoingMessage(text=f"{hint} (Or say done.)")]
        state["goals"] = int(state.get("goals", 0)) + len(added)
        noted = "Noted: " + "; ".join(added) + "."
        if state["goals"] >= MAX_GOALS:
            return await self._advance(person, state, "checkins", noted)
        await self._save(person.id, state)
        return [OutgoingMessage(text=f"{noted} Another one? Or say done.")]

    async def _on_checkins(
        self, person: Person, state: dict[str, Any], read: Reading, lead: str = ""
    ) -> list[OutgoingMessage]:
        if read.never:
            change = Change(checkins_enabled=False)
            plan = "I won't check in on my own; I'm here whenever you write."
        elif read.times:
            change = Change(checkin_times=read.times)
            plan = (
                f"I'll check in around {', '.join(read.times)} your time, when there's "
                "something worth saying."
            )
            # Here, not at the top: bot.schedule.review imports goals, which import this.
            from bot.schedule.review import DAYS, review_time

            review = review_time(self.runtime.settings, person)
            if review is not None and state.get("goals"):
                plan += (
                    f" And on {DAYS[review[0]].capitalize()}s at {review[1]:%H:%M} a picture "
                    "of your week (/settings review changes or stops it)."
                )
        else:
            return [OutgoingMessage(text="Times like 9:00 and 20:00, please. Or say never.")]
        await self.prefs.apply(person.id, change)
        state["status"] = "done"
        state.pop("step", None)
        await self._save(person.id, state)
        name = (await self.runtime.people.get(person.id) or person).display_name or "friend"
        ask = " Now, how are you doing today?" if self.runtime.companion.model else ""
        lead = f"{lead} " if lead else ""
        return [
            OutgoingMessage(
                text=f"{lead}All set, {name}! {plan} See /goals for your goals and /settings "
                f"to change any of this.{ask}"
            )
        ]
