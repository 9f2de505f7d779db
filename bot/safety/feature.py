"""The safety feature: what happens around every private message.

- ``screen`` (a preprocessor, right after voice notes became words and before
  onboarding or the model): a crisis gets the crisis turn at once; a minor's request
  for romance gets a kind "no"; "are you a real person?" gets an honest answer (fixed
  without a model; checked with one); the model's own judgement starts in parallel.
- ``context``: standing instructions for the model (after a crisis, for a minor).
- ``outgoing`` (every reply, commands too): a late crisis the model noticed gets its
  referral, and the AI notice goes out at first contact and every few hours.

What it keeps about a person lives in their settings: ``crisis_at`` (shared with
check-ins), ``minor``, ``country``, ``ai_notice_at`` and the minor's chat session.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.safety import judge as judging
from bot.safety import texts
from bot.safety.detect import detect
from bot.safety.helplines import country_of_locale, country_of_zone
from bot.safety.honesty import asks_if_human, says_it_is_ai
from bot.safety.language import from_locale, guess
from bot.safety.minors import asks_romance, says_minor
from bot.safety.texts import Help
from bot.turn import ContextSection, TurnInput
from bot.types import OutgoingMessage, Person
from memory.safety_counts import ReferralCounts

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

SESSION_GAP = timedelta(minutes=30)  # a pause this long ends a minor's "continuous chat"
REPEAT_REFERRAL_AFTER = timedelta(minutes=20)  # with a working model, no number every message
_PHOTO = re.compile(r"^\[photo of .*\]$", re.MULTILINE)
_BRUSH_OFF = re.compile(
    r"\b(?:i'?m (?:just|only) an? (?:ai|language model|bot)|as an ai(?: language model)?,? i "
    r"(?:can'?t|cannot)|i (?:can'?t|cannot|am unable to|'m unable to|am not able to) "
    r"(?:help|assist|provide) (?:you )?with (?:that|this))",
    re.IGNORECASE,
)

CRISIS_NOW = """The person's last message suggests they may be in danger right now ({kind}).
Answer like a friend who stops everything: one to three short, warm sentences in their
language. Say you are here with them and ask whether they are safe right now (for a
medical emergency or an overdose: tell them to call {emergency} now). Do not lecture,
do not list resources or phone numbers (they are sent right after your words), do not
say you are "just an AI", do not describe any method, do not claim feelings you do not
have."""

CARE = """In the last hours the person said something that suggested they were in danger
(suicidal thoughts, self-harm, violence or a medical emergency). Stay with them: warm,
short, one question at a time; check gently whether they are safe; encourage them to
reach {line} or {emergency}, or someone they trust nearby, especially if things get worse.
Do not lecture, do not change the subject to goals or plans, never describe methods, never
brush them off with "I'm just an AI"."""

MINOR = """The person has told you they are under 18. Keep everything age-appropriate. Never
take part in romantic, flirtatious or sexual role-play or talk, whatever they ask: say so
kindly and offer something else. For anything serious, encourage a trusted adult."""

HONESTY = """The person is asking whether you are a person or an AI. Say plainly, in their
language, that you are an AI companion, not a person; then carry on warmly."""


@dataclass
class _TurnState:
    lang: str
    started: float = field(default_factory=time.monotonic)
    judge: asyncio.Task[judging.Judgement | None] | None = None
    asked_human: bool = False
    minor_noted: bool = False
    crisis: bool = False  # handled in the crisis turn already


class Safety:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.people = runtime.people
        self.turns = runtime.turns
        self.companion = runtime.companion
        self.clock = runtime.clock
        self.counts = ReferralCounts(runtime.db)
        self._turns: dict[int, tuple[TurnInput, _TurnState]] = {}
        self._next_sweep = 0.0  # monotonic time of the next stale-state sweep

    # ------------------------------------------------------------------ where, who

    def help_for(self, person: Person) -> Help:
        stated = person.settings.get("country")
        country = (
            (stated if isinstance(stated, str) and stated else None)
            or country_of_locale(person.locale)
            or country_of_zone(person.timezone)
            or self.settings.crisis_country
        )
        return Help.of(
            country,
            line_override=self.settings.crisis_line,
            emergency_override=self.settings.emergency_number,
        )

    def in_care(self, person: Person, now: datetime | None = None) -> bool:
        at = _when(person.settings.get("crisis_at"))
        if at is None:
            return False
        now = now or self.clock.now()
        return now - at < timedelta(hours=self.settings.crisis_care_hours)

    def _lang(self, turn: TurnInput, text: str | None = None) -> str:
        found = guess(text if text is not None else turn.text)
        return found or from_locale(turn.person.locale) or "en"

    def _state(self, turn: TurnInput) -> _TurnState | None:
        entry = self._turns.get(id(turn))
        return entry[1] if entry is not None and entry[0] is turn else None

    # ------------------------------------------------------------------ screen

    async def screen(self, turn: TurnInput) -> None:
        """Before onboarding and the model, for every message with words."""
        self._forget_stale()
        words = _PHOTO.sub("", turn.text).strip()
        if not words:
            return
        person = turn.person
        state = _TurnState(lang=self._lang(turn, words))
        self._turns[id(turn)] = (turn, state)
        if turn.private:
            finding = detect(words)
            if finding.crisis:
                lang = finding.lang if finding.lang in texts.LANGUAGES else state.lang
                state.crisis = True
                await self.crisis_turn(turn, finding.kind or "suicidal", lang, via="rules")
                return
            if says_minor(words) and person.settings.get("minor") is not True:
                await self.people.update_settings(person.id, minor=True)
                state.minor_noted = True
            minor = person.settings.get("minor") is True or state.minor_noted
            if minor and asks_romance(words):
                await self._answer_fixed(turn, texts.text(state.lang, "minor_refusal"))
                return
            if self.companion.model is not None and self.settings.safety_model_check:
                state.judge = asyncio.create_task(self._judge(person, words))
            elif self.companion.model is None and self.in_care(person):
                # No model to talk with: stay, and keep help in reach.
                care = texts.no_model_care(state.lang, self.help_for(person))
                await self._answer_fixed(turn, care)
                return
        if asks_if_human(words):
            state.asked_human = True
            if self.companion.model is None:
                await self._answer_fixed(turn, texts.text(state.lang, "human"))

    def _forget_stale(self) -> None:
        """A turn that failed before its replies left must not keep its state. Swept
        at most once a minute: with hundreds of turns in flight, a sweep per message
        cost more than the rest of the screen."""
        now = time.monotonic()
        if len(self._turns) < 64 or now < self._next_sweep:
            return
        self._next_sweep = now + 60
        horizon = now - 600
        for key, (_turn, state) in list(self._turns.items()):
            if state.started < horizon:
                if state.judge is not None:
                    state.judge.cancel()
                del self._turns[key]

    # ------------------------------------------------------------------ crisis turn

    async def crisis_turn(self, turn: TurnInput, kind: str, lang: str, *, via: str) -> None:
        """Stop everything: care and the way to real help, within this turn whatever
        the model does. The model gets a bounded wait for its own caring words."""
        person = turn.person
        help_ = self.help_for(person)
        history = await self._history(person)
        user_turn_id, fresh = await self._store_user(turn)
        caring = None
        if self.companion.model is not None:
            caring = await self._caring_words(turn, kind, help_, history)
        first = caring or texts.crisis_care(lang, kind, help_)
        replies = [OutgoingMessage(text=first)]
        now = self.clock.now()
        recently = _when(person.settings.get("safety_referred_at"))
        repeat = recently is not None and now - recently < REPEAT_REFERRAL_AFTER
        if caring is None or not repeat or kind in ("medical", "overdose"):
            replies.append(OutgoingMessage(text=texts.referral(lang, kind, help_)))
            if fresh:  # a message handled again after a crash was counted the first time
                await self._count(person, kind, via, help_)
        await self._mark_crisis(person)
        await self.turns.add(
            person.id,
            "assistant",
            "\n\n".join(r.text for r in replies),
            at=self.clock.now(),
            platform=turn.message.identity.platform,
            meta={"safety": kind},
        )
        turn.user_turn_id = user_turn_id
        turn.reply = replies

    async def _caring_words(
        self, turn: TurnInput, kind: str, help_: Help, history: list[Any]
    ) -> str | None:
        emergency = help_.emergency or "the local emergency number"
        now_section = ContextSection(
            "Safety: right now", CRISIS_NOW.format(kind=kind, emergency=emergency), 0, False
        )

        async def ask() -> str:
            sections = [now_section]
            for provider in self.companion.hooks.context:
                if getattr(provider, "__self__", None) is self:
                    continue
                try:
                    sections.extend(await provider(turn))
                except Exception:
                    log.exception("context provider failed during a crisis turn")
            words = "\n".join([*turn.notes, turn.text]).strip() if turn.notes else turn.text
            messages = self.companion.prompt.build(turn, sections, history, words)
            assert self.companion.model is not None
            return judging.content_text(await self.companion.model.ainvoke(messages))

        try:
            async with self.companion.gate.stepped_out():
                words = await asyncio.wait_for(ask(), timeout=self.settings.crisis_reply_wait)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # slow, down, or broken: the fixed words go out
            log.warning("crisis reply without the model (%s)", type(exc).__name__)
            return None
        if not words or _BRUSH_OFF.search(words):
            return None
        return words

    async def _history(self, person: Person) -> list[Any]:
        if self.companion.model is None:
            return []
        return list(await self.turns.recent(person.id, limit=self.companion.prompt.history_limit))

    async def _store_user(self, turn: TurnInput) -> tuple[int, bool]:
        """The person's words in the conversation log: (turn id, stored just now)."""
        msg = turn.message
        if msg.replayed and msg.source is not None:
            stored = await self.turns.stored_message(turn.person.id, msg.source)
            if stored is not None:
                return stored, False
        meta: dict[str, Any] = {**turn.meta, "private": turn.private}
        if msg.source is not None:
            meta["source"] = msg.source
        text = "\n".join([*turn.notes, turn.text]).strip() if turn.notes else turn.text
        added = await self.turns.add(
            turn.person.id,
            "user",
            text,
            at=msg.sent_at or self.clock.now(),
            platform=msg.identity.platform,
            meta=meta,
        )
        return added, True

    async def _answer_fixed(self, turn: TurnInput, answer: str) -> None:
        """A fixed answer that is still part of the conversation's history."""
        turn.user_turn_id, _fresh = await self._store_user(turn)
        await self.turns.add(
            turn.person.id,
            "assistant",
            answer,
            at=self.clock.now(),
            platform=turn.message.identity.platform,
        )
        turn.reply = [OutgoingMessage(text=answer)]

    async def _mark_crisis(self, person: Person) -> None:
        await self.people.update_settings(person.id, crisis_at=self.clock.now().isoformat())

    async def _count(self, person: Person, kind: str, via: str, help_: Help) -> None:
        now = self.clock.now()
        await self.people.update_settings(person.id, safety_referred_at=now.isoformat())
        try:
            today = await self.counts.add(now.date(), kind, via)
        except Exception:
            log.exception("could not count a crisis referral")
            today = -1
        # No content, no person: what an operator needs to see that it works.
        log.info(
            "crisis referral given (%s, noticed by %s, line for %s); %s today",
            kind,
            via,
            help_.country or "unknown country",
            today if today >= 0 else "?",
        )

    # ------------------------------------------------------------------ the model's view

    async def _judge(self, person: Person, words: str) -> judging.Judgement | None:
        model = self.companion.model
        if model is None:
            return None
        recent = [(t.role, t.content) for t in await self.turns.recent(person.id, limit=4)]
        answer = await model.ainvoke(judging.request(words, recent))
        return judging.parse(judging.content_text(answer))

    async def context(self, turn: TurnInput) -> list[ContextSection]:
        """Standing instructions: after a crisis, for a minor, when asked what it is."""
        sections: list[ContextSection] = []
        person = turn.person
        state = self._state(turn)
        if turn.private and self.in_care(person):
            help_ = self.help_for(person)
            line = help_.line or f"a crisis line ({help_.url})"
            emergency = help_.emergency or "the local emergency number"
            sections.append(
                ContextSection("Safety", CARE.format(line=line, emergency=emergency), 0, False)
            )
        if person.settings.get("minor") is True or (state is not None and state.minor_noted):
            sections.append(ContextSection("Age", MINOR, 0, False))
        if state is not None and state.asked_human:
            sections.append(ContextSection("Honesty", HONESTY, 0, False))
        return sections

    # ------------------------------------------------------------------ outgoing

    async def outgoing(
        self, turn: TurnInput, replies: list[OutgoingMessage]
    ) -> list[OutgoingMessage]:
        entry = self._turns.pop(id(turn), None)
        state = entry[1] if entry is not None and entry[0] is turn else None
        if not replies:
            if state is not None and state.judge is not None:
                state.judge.cancel()
            return replies
        try:
            return await self._finish(turn, replies, state)
        except Exception:  # never lose the replies over a notice
            log.exception("safety: could not finish the replies")
            return replies

    async def _finish(
        self, turn: TurnInput, replies: list[OutgoingMessage], state: _TurnState | None
    ) -> list[OutgoingMessage]:
        person = turn.person
        lang = state.lang if state is not None else self._lang(turn)
        late = False
        if state is not None and state.judge is not None:
            replies, late = await self._late_crisis(turn, replies, state)
        if not late and turn.meta.get("model_failed") and turn.private and self.in_care(person):
            # The model failed soon after a crisis: not "try again later", but care.
            help_ = self.help_for(person)
            replies = [OutgoingMessage(text=texts.no_model_care(lang, help_))]
        if state is not None and state.asked_human:
            if not any(says_it_is_ai(r.text) for r in replies):
                replies = [OutgoingMessage(text=texts.text(lang, "human")), *replies]
        if state is not None and state.minor_noted:
            replies = [*replies, OutgoingMessage(text=texts.text(lang, "minor_noted"))]
        notice = await self._notice(turn, replies, lang, state)
        return [*replies, notice] if notice is not None else replies

    async def _late_crisis(
        self, turn: TurnInput, replies: list[OutgoingMessage], state: _TurnState
    ) -> tuple[list[OutgoingMessage], bool]:
        """The rules saw nothing; if the model did, the referral follows its reply."""
        assert state.judge is not None
        spent = time.monotonic() - state.started
        wait = max(1.0, self.settings.crisis_reply_wait - spent)
        try:
            if state.judge.done():  # usually: it ran alongside the reply
                judgement = state.judge.result()
            else:
                async with self.companion.gate.stepped_out():
                    judgement = await asyncio.wait_for(state.judge, timeout=wait)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("safety judgement unavailable (%s)", type(exc).__name__)
            return replies, False
        if judgement is None or not judgement.crisis:
            return replies, False
        person = turn.person
        help_ = self.help_for(person)
        lang = state.lang
        kind = judgement.kind
        if turn.meta.get("model_failed") or turn.reply is not None:
            replies = [OutgoingMessage(text=texts.crisis_care(lang, kind, help_))]
        extra = OutgoingMessage(text=texts.referral(lang, kind, help_))
        await self._count(person, kind, "model", help_)
        await self._mark_crisis(person)
        if turn.user_turn_id is not None:
            await self.turns.add(
                person.id,
                "assistant",
                extra.text,
                at=self.clock.now(),
                platform=turn.message.identity.platform,
                meta={"safety": kind},
            )
        return [*replies, extra], True

    async def _notice(
        self,
        turn: TurnInput,
        replies: list[OutgoingMessage],
        lang: str,
        state: _TurnState | None,
    ) -> OutgoingMessage | None:
        """First contact says it is an AI; then every few hours of talking (New York
        asks for this); a minor gets a break reminder every few hours of chat."""
        person = turn.person
        now = self.clock.now()
        settings = person.settings
        changes: dict[str, Any] = {}
        key = None
        minor = settings.get("minor") is True or (state is not None and state.minor_noted)
        if minor and turn.private:
            key = self._minor_break(settings, now, changes)
        last = _when(settings.get("ai_notice_at"))
        hours = self.settings.ai_notice_hours
        if key is not None or not self.settings.ai_notice:
            pass
        elif last is None:
            key = "first_notice"
        elif turn.private and hours > 0 and now - last >= timedelta(hours=hours):
            key = "notice"
        if key is not None:
            changes["ai_notice_at"] = now.isoformat()
        if changes:
            await self.people.update_settings(person.id, **changes)
        if key is None:
            return None
        if key != "minor_break" and any(says_it_is_ai(r.text) for r in replies):
            return None  # the reply already says it (a /start greeting, an honest answer)
        return OutgoingMessage(text=texts.text(lang, key))

    def _minor_break(
        self, settings: dict[str, Any], now: datetime, changes: dict[str, Any]
    ) -> str | None:
        session = settings.get("safety_session")
        session = dict(session) if isinstance(session, dict) else {}
        start, last = _when(session.get("start")), _when(session.get("last"))
        if start is None or last is None or now - last > SESSION_GAP:
            start = now
            session = {"start": now.isoformat()}
        session["last"] = now.isoformat()
        changes["safety_session"] = session
        every = timedelta(hours=self.settings.minor_break_hours)
        reminded = _when(session.get("break_at"))
        since = max(start, reminded) if reminded is not None and reminded >= start else start
        if self.settings.minor_break_hours > 0 and now - since >= every:
            session["break_at"] = now.isoformat()
            return "minor_break"
        return None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed
