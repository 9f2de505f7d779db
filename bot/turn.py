"""What one turn carries through the core's stages, and the hooks features plug in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.types import IncomingMessage, OutgoingMessage, Person


@dataclass(slots=True)
class ImagePart:
    """An image for a vision model, already checked and downscaled."""

    mime: str
    data_b64: str


@dataclass(slots=True)
class TurnInput:
    """A message on its way through the core. Preprocessors (voice, photos) turn
    attachments into text and images; one may answer directly by setting ``reply``."""

    person: Person
    message: IncomingMessage
    text: str
    images: list[ImagePart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # shown to the model, e.g. "(voice note)"
    prefix: list[OutgoingMessage] = field(default_factory=list)  # sent before the reply
    reply: list[OutgoingMessage] | None = None  # answer now, skip the model
    meta: dict[str, Any] = field(default_factory=dict)
    user_turn_id: int | None = None  # set once the person's words are stored

    @property
    def private(self) -> bool:
        return self.message.channel.is_private


@dataclass(frozen=True, slots=True)
class ContextSection:
    """A block of the system prompt. Lower priority numbers are kept first when the
    token budget is tight; ``as_data`` sections are quoted, never read as instructions."""

    title: str
    text: str
    priority: int = 50
    as_data: bool = True
    # count_tokens(text), when the provider knows it already (the memory part adds it
    # up as it builds): the prompt then does not count the text again.
    tokens: int | None = None


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What the turn produced, handed to after-turn hooks (memory extraction...)."""

    person: Person
    user_text: str
    reply_text: str
    user_turn_id: int
    assistant_turn_id: int | None
    platform: str
    private: bool
    meta: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredTurn:
    """A turn just written to the conversation log (the person's words, or the
    companion's reply), for features that index the conversation as it happens."""

    person_id: int
    turn_id: int
    role: str  # user | assistant
    text: str
    at: datetime
    private: bool


Preprocessor = Callable[[TurnInput], Awaitable[None]]
# Told of the turns a conversation turn stored, with or without a model. Called
# inline on the reply's path: it must only note the work and return at once.
TurnsStored = Callable[[list[StoredTurn]], None]
AfterTurn = Callable[[TurnResult], Coroutine[Any, Any, None]]
# Reshapes the conversation's replies before they leave (e.g. adds a voice note).
ReplyHook = Callable[[TurnInput, list[OutgoingMessage]], Awaitable[list[OutgoingMessage]]]


class ContextProvider(Protocol):
    async def __call__(self, turn: TurnInput) -> list[ContextSection]: ...
