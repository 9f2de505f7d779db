"""The conversation core: one engine behind every channel.

A message goes: access check -> person -> per-person lock -> command or button, or
preprocessors (media, then safety, then onboarding) -> conversation turn with the chat
model and its tools -> persisted -> after-turn hooks in the background. Every answer
passes the outgoing hooks last (the AI notice). Features plug in through the
registries; the engine knows no platform and no storage engine beyond its stores.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cleaning import clean_incoming, clean_text
from bot.clock import Clock
from bot.commands import CommandRegistry, as_messages, parse_command
from bot.config import Settings
from bot.gate import WorkGate
from bot.llm import HOW_TO_CONFIGURE, ModelFailed, classify_error
from bot.locks import KeyedLocks
from bot.numbers import NumberTooLarge
from bot.prompt import PromptBuilder
from bot.tools import ToolContext, ToolRegistry
from bot.turn import (
    AfterTurn,
    ContextProvider,
    Preprocessor,
    ReplyHook,
    StoredTurn,
    TurnInput,
    TurnResult,
    TurnsStored,
)
from bot.types import Identity, IncomingMessage, OutgoingMessage, Person
from memory.people import PeopleStore
from memory.refusals import RefusalStore
from memory.turns import TurnStore

if TYPE_CHECKING:  # LangChain loads with the first model call, not at start
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage

log = logging.getLogger(__name__)

MAX_TOOL_ROUNDS = 5
MAX_TEXT_CHARS = 16_000  # longer messages are cut (and the person told), not refused


@dataclass
class Hooks:
    preprocessors: list[Preprocessor] = field(default_factory=list)
    context: list[ContextProvider] = field(default_factory=list)
    after_turn: list[AfterTurn] = field(default_factory=list)
    stored: list[TurnsStored] = field(default_factory=list)  # with or without a model
    replies: list[ReplyHook] = field(default_factory=list)
    # Every answer to a person's message (commands and buttons too), just before it
    # leaves: the safety feature's AI notices and late crisis referrals.
    outgoing: list[ReplyHook] = field(default_factory=list)


class Companion:
    def __init__(
        self,
        *,
        settings: Settings,
        clock: Clock,
        people: PeopleStore,
        turns: TurnStore,
        model: BaseChatModel | None,
        persona_path: Path | None = None,
        model_error: str | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.people = people
        self.turns = turns
        self.model = model
        self.model_error = model_error  # why there is no model, when building it failed
        self.commands = CommandRegistry()
        self.tools = ToolRegistry()
        self.hooks = Hooks()
        self.prompt = PromptBuilder(settings, persona_path)
        self.locks = KeyedLocks()
        self.gate = WorkGate(settings.turn_concurrency)
        self._background: set[asyncio.Task[Any]] = set()
        self._refused: set[tuple[str, str]] = set()
        # Whom we refused, kept durably (a restart, another worker): set by the runtime.
        self.refusals: RefusalStore | None = None
        # Which person an identity belongs to, to pick the lock before resolving.
        self._person_ids: dict[Identity, int] = {}
        self._bound: dict[tuple[bool, int], Any] = {}

    # ------------------------------------------------------------------ entry point

    async def handle(self, msg: IncomingMessage) -> list[OutgoingMessage]:
        """Everything a channel needs: the replies to one incoming message."""
        msg = clean_incoming(msg)  # every store below can take its strings
        if not msg.channel.is_private and not msg.addressed:
            return []  # group chatter not meant for us: not even a refusal
        if not self.admits(msg.identity):
            # One polite refusal, remembered durably; nothing else stored about them.
            if not await self._first_refusal(msg.identity):
                return []
            return [OutgoingMessage(text="Sorry, this companion is private and not open to you.")]
        key = self._person_ids.get(msg.identity)
        if key is None:  # first message since start: find (or create) the person
            key = (await self._resolve(msg)).id
        # Person lock first, then the gate: a turn inside the gate never waits on a
        # person, so the two cannot deadlock.
        async with self.locks.hold(key), self.gate.inside():
            # Resolved inside the lock, so an earlier message's changes (settings,
            # a /link) are seen. A relink between the two is rare and harmless.
            person = await self._resolve(msg)
            return await self._handle_locked(person, msg)

    async def _resolve(self, msg: IncomingMessage) -> Person:
        person = await self.people.resolve(
            msg.identity,
            display_name=msg.display_name,
            chat_id=msg.channel.chat_id if msg.channel.is_private else None,
            now=self.clock.now(),
        )
        if len(self._person_ids) > 100_000:
            self._person_ids.clear()
        # Refreshed on every message: after a /link the stale entry lasts one message.
        self._person_ids[msg.identity] = person.id
        return person

    def admits(self, identity: Identity) -> bool:
        """May this identity use the companion (``COMPANION_ALLOWED_USERS``)?"""
        return self.admits_user(identity.platform, identity.platform_user_id)

    def admits_user(self, platform: str, platform_user_id: str) -> bool:
        allowed = self.settings.allowed_users
        if not allowed or platform == "console":
            return True
        return platform_user_id in allowed

    async def _first_refusal(self, identity: Identity) -> bool:
        who = (identity.platform, identity.platform_user_id)
        if who in self._refused:
            return False
        if len(self._refused) > 100_000:
            self._refused.clear()
        self._refused.add(who)
        if self.refusals is None:
            return True
        return await self.refusals.first(identity, at=self.clock.now())

    async def _handle_locked(self, person: Person, msg: IncomingMessage) -> list[OutgoingMessage]:
        text = _valid_unicode(msg.text or "")
        notes: list[str] = []
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS]
            notes.append("(the message was very long and was cut)")
        turn = TurnInput(person=person, message=msg, text=text, notes=notes)
        replies = await self._answer(turn)
        for hook in self.hooks.outgoing:
            replies = await hook(turn, replies)
        return replies

    async def _answer(self, turn: TurnInput) -> list[OutgoingMessage]:
        msg = turn.message
        if msg.callback_data is not None:
            return await self._button(turn, msg.callback_data)

        command = parse_command(turn.text) if not msg.attachments else None
        if command is not None:
            return await self._command(turn, *command)

        if await self._preprocess(turn):
            return turn.prefix + (turn.reply or [])
        if not turn.text.strip() and not turn.images:
            return [*turn.prefix, OutgoingMessage(text=self._nothing_to_read(msg))]
        replies = await self.converse(turn)
        async with self._out_of_gate_for_media(turn):
            for hook in self.hooks.replies:
                replies = await hook(turn, replies)
        return turn.prefix + replies

    async def _preprocess(self, turn: TurnInput) -> bool:
        """Voice and photos become words; True when a preprocessor answered itself."""
        async with self._out_of_gate_for_media(turn):
            for pre in self.hooks.preprocessors:
                await pre(turn)
                if turn.reply is not None:
                    return True
        return False

    def _out_of_gate_for_media(self, turn: TurnInput) -> AbstractAsyncContextManager[None]:
        # Downloads, transcription in a thread and speech synthesis are waits: a
        # voice note must not hold a place that text messages are queueing for.
        return self.gate.stepped_out() if turn.message.attachments else nullcontext()

    @staticmethod
    def _nothing_to_read(msg: IncomingMessage) -> str:
        kinds = {a.description or a.kind.value for a in msg.attachments}
        if kinds:
            return (
                f"I can't open {', '.join(sorted(kinds))} yet, only text, voice notes and "
                "photos. Could you tell me in words?"
            )
        return "I didn't catch anything there. What's on your mind?"

    # ------------------------------------------------------------------ commands

    async def _command(self, turn: TurnInput, name: str, args: str) -> list[OutgoingMessage]:
        command = self.commands.get(name)
        if command is None:
            return [
                OutgoingMessage(
                    text=f"I don't know the command /{name}. Send /help to see what I can do."
                )
            ]
        if command.private_only and not turn.private:
            return [OutgoingMessage(text=f"/{name} works in a private chat with me only.")]
        try:
            return as_messages(await command.run(turn, args))
        except NumberTooLarge as exc:  # "/forget 99999999999999999999": a kind answer
            return [OutgoingMessage(text=str(exc))]
        except Exception:
            log.exception("command /%s failed", name)
            return [OutgoingMessage(text=f"Sorry, /{name} failed on my side. Please try again.")]

    async def _button(self, turn: TurnInput, data: str) -> list[OutgoingMessage]:
        found = self.commands.callback(data)
        if found is None:
            return [OutgoingMessage(text="That button has expired.")]
        run, rest = found
        try:
            return as_messages(await run(turn, rest))
        except NumberTooLarge as exc:
            return [OutgoingMessage(text=str(exc))]
        except Exception:
            log.exception("button %r failed", data.partition(":")[0])
            return [OutgoingMessage(text="Sorry, that didn't work. Please try again.")]

    # ------------------------------------------------------------------ conversation

    async def converse(self, turn: TurnInput) -> list[OutgoingMessage]:
        """A conversation turn. The person's words are stored first, whatever happens
        next, and their id is known to tools (goals and memories cite it)."""
        person, msg = turn.person, turn.message
        user_text = "\n".join([*turn.notes, turn.text]).strip() if turn.notes else turn.text
        platform = msg.identity.platform
        history = (
            await self.turns.recent(person.id, limit=self.prompt.history_limit)
            if turn.private and self.model is not None
            else []
        )
        stored = None
        if msg.replayed and msg.source is not None:  # after a crash: maybe stored already
            stored = await self.turns.stored_message(person.id, msg.source)
            history = [t for t in history if t.id != stored]
        if stored is not None:
            user_turn_id = stored
        else:
            meta = {**turn.meta, "private": turn.private}
            if msg.source is not None:
                meta["source"] = msg.source
            user_turn_id = await self.turns.add(
                person.id,
                "user",
                user_text,
                at=msg.sent_at or self.clock.now(),
                platform=platform,
                meta=meta,
            )
        turn.user_turn_id = user_turn_id
        stored_user = (
            []
            if stored is not None
            else [
                StoredTurn(
                    person.id,
                    user_turn_id,
                    "user",
                    user_text,
                    msg.sent_at or self.clock.now(),
                    turn.private,
                )
            ]
        )
        if self.model is None:
            self._told_stored(stored_user)
            return [OutgoingMessage(text=self._no_model_text())]

        try:
            reply = await self._run_model(turn, history, user_text)
        except ModelFailed as failure:
            log.warning("chat model failed for person %s: %s", person.id, failure)
            turn.meta["model_failed"] = failure.reason  # outgoing hooks may answer instead
            await self.turns.annotate(user_turn_id, unanswered=failure.reason)
            self._told_stored(stored_user)
            return [
                OutgoingMessage(
                    text=(
                        f"Sorry, my language model {failure.reason}, so I can't answer "
                        "properly right now. I've kept your message; try again in a little while."
                    )
                )
            ]
        if not reply.strip():
            reply = "Sorry, I lost my words there. Could you say that again?"
        replied_at = self.clock.now()
        assistant_id = await self.turns.add(
            person.id, "assistant", reply, at=replied_at, platform=platform
        )
        self._told_stored(
            [
                *stored_user,
                StoredTurn(person.id, assistant_id, "assistant", reply, replied_at, turn.private),
            ]
        )
        result = TurnResult(
            person=person,
            user_text=user_text,
            reply_text=reply,
            user_turn_id=user_turn_id,
            assistant_turn_id=assistant_id,
            platform=platform,
            private=turn.private,
            meta=turn.meta,
        )
        for hook in self.hooks.after_turn:
            self.background(hook(result))
        return [OutgoingMessage(text=reply)]

    def _told_stored(self, stored: list[StoredTurn]) -> None:
        """Features that index the conversation (memory) note the new turns; the
        indexing itself happens in the background, never on the reply's path."""
        for hook in self.hooks.stored:
            try:
                hook(stored)
            except Exception:
                log.exception("a stored-turn hook failed; the turn is kept regardless")

    def _no_model_text(self) -> str:
        why = self.model_error or "no chat model is configured"
        return (
            f"I can't chat yet: {why}. Your message is saved, and commands like /help work. "
            + HOW_TO_CONFIGURE
        )

    async def _run_model(self, turn: TurnInput, history: list[Any], user_text: str) -> str:
        assert self.model is not None
        sections = []
        for provider in self.hooks.context:
            try:
                sections.extend(await provider(turn))
            except Exception:
                log.exception("context provider failed; answering without it")
        messages = self.prompt.build(turn, sections, history, user_text)
        from langchain_core.messages import ToolMessage

        model = self._model_with_tools(private=turn.private)
        ctx = ToolContext(person_id=turn.person.id, turn=turn)
        for _round in range(MAX_TOOL_ROUNDS):
            response = await self._invoke(model, messages)
            calls = getattr(response, "tool_calls", None) or []
            if not calls:
                return _text_of(response)
            messages.append(response)
            for call in calls:
                output = await self.tools.call(call["name"], call.get("args") or {}, ctx)
                messages.append(ToolMessage(content=output, tool_call_id=call.get("id") or ""))
        # Still calling tools after many rounds: ask for words without tools.
        response = await self._invoke(self.model, messages)
        return _text_of(response)

    def _model_with_tools(self, *, private: bool) -> Any:
        """The model bound to the tools allowed here; binding converts every schema,
        so it is done once per set of tools, not per turn."""
        key = (private, self.tools.version)
        bound = self._bound.get(key)
        if bound is None:
            schemas = self.tools.schemas(private=private)
            bound = self.model
            if schemas:
                try:
                    bound = self.model.bind_tools(schemas)  # type: ignore[union-attr]
                except NotImplementedError:
                    bound = self.model
            self._bound = {k: v for k, v in self._bound.items() if k[1] == self.tools.version}
            self._bound[key] = bound
        return bound

    async def _invoke(self, model: Any, messages: list[BaseMessage]) -> AIMessage:
        try:
            # The client has its own timeout; this one guards against a hung stream.
            async with self.gate.stepped_out():
                result = await asyncio.wait_for(
                    model.ainvoke(messages), timeout=self.settings.model_timeout + 5
                )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise classify_error(exc) from exc
        return result  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ background work

    def background(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run work after the reply (memory extraction...) and log, never lose, errors."""
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background_done)
        return task

    def _background_done(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    async def drain(self, grace: float | None = None) -> None:
        """Wait for background work: before shutdown, and in tests. With ``grace``,
        what still runs after that many seconds is cancelled."""
        if grace is not None and self._background:
            _done, late = await asyncio.wait(list(self._background), timeout=grace)
            for task in late:
                task.cancel()
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)


def _valid_unicode(text: str) -> str:
    """Lone surrogates (JSON like "\\ud800" decodes to them) cannot be stored or
    sent: replace them rather than fail the turn."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _text_of(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return clean_text(content).strip()
    parts = [block.get("text", "") if isinstance(block, dict) else str(block) for block in content]
    return clean_text("".join(parts)).strip()
