"""The conversation itself, searchable: every private turn (the person's words and
the companion's) is indexed as it is stored, with no model, in short windows.

Windows of ``WINDOW`` turns start every ``STRIDE`` turns inside a session (turns less
than ``SESSION_GAP`` apart), so each turn is seen with its neighbours, and a session
months later never shares a window with this one. The keyword index is updated at
once, in memory; the vectors are computed in the background, in batches, and never
make a reply wait. The turns table stays the truth: the index catches up from it
(after a restart, or turns written by another process) and is rebuilt from it after
a turn is forgotten. A window's id names its first and last turn, so a window that
grew is a new id and a stale vector is found by comparing ids with Chroma's."""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_right
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from memory.semantic.guard import looks_like_instructions
from memory.semantic.keyword import KeywordIndex, terms
from memory.semantic.vectors import TALK, EmbeddingUnavailable, VectorIndex
from memory.turns import Turn, TurnStore

log = logging.getLogger(__name__)

WINDOW = 4
STRIDE = 2
SESSION_GAP = timedelta(hours=3)
EMBED_BATCH = 32

Spawn = Callable[[Coroutine[Any, Any, Any]], Any]
# How the index reads a person's turns after an id (``TurnStore.since`` by default).
Since = Callable[[int, int], Awaitable[list[tuple[Turn, dict[str, Any]]]]]


@dataclass(frozen=True, slots=True)
class TalkTurn:
    id: int
    role: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Window:
    id: str
    start: int  # position of its first turn in the person's indexed turns
    end: int  # one past its last

    @staticmethod
    def key(first: TalkTurn, last: TalkTurn) -> str:
        return f"{first.id}-{last.id}"


def window_starts(size: int) -> list[int]:
    """Local starts of the windows of a session of ``size`` turns: every STRIDE turns,
    dropping a last window that would add no turn to the one before it."""
    return [s for s in range(0, max(size, 1), STRIDE) if s == 0 or size > s + WINDOW - STRIDE]


def indexable(turn: Turn | TalkTurn, meta: dict[str, Any] | None = None) -> bool:
    """Private turns with words in them, and never text that tries to instruct the
    companion: a memory is about the person, not a standing order."""
    if meta is not None and meta.get("private") is False:
        return False
    text = turn.content if isinstance(turn, Turn) else turn.text
    return bool(text.strip()) and not looks_like_instructions(text)


@dataclass
class PersonTalk:
    """One person's indexed conversation, in memory."""

    turns: list[TalkTurn] = field(default_factory=list)
    position: dict[int, int] = field(default_factory=dict)
    sessions: list[int] = field(default_factory=list)  # first position of each session
    windows: dict[str, Window] = field(default_factory=dict)
    by_start: dict[int, str] = field(default_factory=dict)
    keyword: KeywordIndex[str] = field(default_factory=KeywordIndex)
    last_id: int = 0  # the highest turn id looked at (indexed or not)
    embedded: set[str] | None = None  # window ids with a vector; None: not read yet
    shown: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (line part, tokens)
    warmed: int = 0  # turns before this position have their ``shown`` made
    # The words of the last WINDOW turns (position -> counts): a window that grows is
    # indexed again from its turns' counts, not by reading its text again.
    recent_terms: dict[int, Counter[str]] = field(default_factory=dict)
    window_words: dict[str, int] = field(default_factory=dict)  # key -> its turns' tokens
    shown_whole: bool = False  # the last recall showed all of it (no ranking needed)
    # Kept as windows change once ``embedded`` is known, so a sync after each message
    # looks at what changed, not at every window: the windows without a vector (in
    # the windows' order) and the vectors of windows gone. ``tracking`` is the
    # ``embedded`` set they were derived from (another set assigned: derived again).
    unembedded: dict[str, None] = field(default_factory=dict)
    unwanted: set[str] = field(default_factory=set)
    tracking: set[str] | None = None

    def append(self, turn: TalkTurn) -> None:
        if turn.id in self.position:
            return
        if not self.turns or turn.at - self.turns[-1].at > SESSION_GAP:
            self.sessions.append(len(self.turns))
        position = len(self.turns)
        self.position[turn.id] = position
        self.turns.append(turn)
        self.recent_terms[position] = Counter(terms(turn.text))
        self.recent_terms.pop(position - WINDOW, None)  # no window to come holds it
        first = self.sessions[-1]
        size = len(self.turns) - first
        for local in window_starts(size):
            if local + WINDOW <= size - 1:
                continue  # complete before this turn: unchanged
            start, end = first + local, first + min(local + WINDOW, size)
            self._put(start, end)

    def _put(self, start: int, end: int) -> None:
        old = self.by_start.get(start)
        key = Window.key(self.turns[start], self.turns[end - 1])
        if old == key:
            return
        if old is not None:
            self.windows.pop(old, None)
            self.window_words.pop(old, None)
            self.keyword.remove(old)
        self.windows[key] = Window(key, start, end)
        self._changed(old, key)
        self.by_start[start] = key
        # The same counts as the window's text would give: no word spans two turns.
        counts: Counter[str] = Counter()
        for position in range(start, end):
            found = self.recent_terms.get(position)
            counts.update(found if found is not None else terms(self.turns[position].text))
        self.keyword.add_counts(key, counts)

    def text(self, window: Window) -> str:
        return "\n".join(t.text for t in self.turns[window.start : window.end])

    def session_of(self, position: int) -> int:
        return bisect_right(self.sessions, position) - 1

    def _changed(self, old: str | None, new: str) -> None:
        embedded = self.embedded
        if embedded is None or self.tracking is not embedded:
            return  # derived when next asked
        if old is not None:
            self.unembedded.pop(old, None)
            if old in embedded:
                self.unwanted.add(old)
        self.unwanted.discard(new)
        if new not in embedded:
            self.unembedded[new] = None

    def _tracked(self) -> set[str]:
        embedded = self.embedded
        if embedded is None:
            return set()
        if self.tracking is not embedded:
            self.unembedded = dict.fromkeys(k for k in self.windows if k not in embedded)
            self.unwanted = {k for k in embedded if k not in self.windows}
            self.tracking = embedded
        return embedded

    def pending(self) -> list[Window]:
        """Windows without a vector, in the windows' order."""
        if self.embedded is None:
            return list(self.windows.values())
        self._tracked()
        return [self.windows[k] for k in self.unembedded if k in self.windows]

    def stale(self) -> list[str]:
        """Vectors of windows that are gone (grew, or were forgotten)."""
        self._tracked()
        return [k for k in self.unwanted if k not in self.windows]

    def vectors_written(self, keys: Iterable[str]) -> None:
        embedded = self._tracked()
        for key in keys:
            embedded.add(key)
            self.unembedded.pop(key, None)
            if key not in self.windows:
                self.unwanted.add(key)  # grew while its vector was being made

    def vectors_deleted(self, keys: Iterable[str]) -> None:
        embedded = self._tracked()
        gone = set(keys)
        embedded.difference_update(gone)
        self.unwanted.difference_update(gone)
        if any(k in self.windows for k in gone):
            self.tracking = None  # a live window lost its vector: derived again


class ConversationIndex:
    """The conversation memory of every person this process has talked with."""

    def __init__(
        self,
        turns: TurnStore,
        vectors: VectorIndex,
        *,
        spawn: Spawn | None = None,
        since: Since | None = None,
    ) -> None:
        """``since``: how turns after an id are read (the memory service reads its
        facts' newest id in the same statement)."""
        self.turns = turns
        self.vectors = vectors
        self._since: Since = since or turns.since
        self.spawn: Spawn = spawn or asyncio.ensure_future
        self._people: dict[int, PersonTalk] = {}
        self._loading: dict[int, asyncio.Lock] = {}
        self._dirty: set[int] = set()
        self._worker: Any = None
        self._writing: dict[int, asyncio.Lock] = {}

    # ------------------------------------------------------------------ keeping up

    def stored(self, person_id: int, new: Iterable[TalkTurn]) -> None:
        """Turns just stored (the engine's hook): keywords now, vectors soon."""
        talk = self._people.get(person_id)
        if talk is not None:
            for turn in new:
                if turn.id > talk.last_id:
                    talk.last_id = turn.id
                    if indexable(turn):
                        talk.append(turn)
        self._schedule(person_id)

    async def person(self, person_id: int) -> PersonTalk:
        """The person's index, read from the turns table the first time and brought up
        to date with turns stored since (by another process, or before a restart)."""
        lock = self._loading.setdefault(person_id, asyncio.Lock())
        async with lock:
            talk = self._people.get(person_id)
            if talk is None:
                talk = PersonTalk()
            rows = await self._since(person_id, talk.last_id)
            for turn, meta in rows:
                talk.last_id = max(talk.last_id, turn.id)
                if indexable(turn, meta):
                    talk.append(TalkTurn(turn.id, turn.role, turn.content, turn.created_at))
            fresh = person_id not in self._people
            self._people[person_id] = talk
        if fresh and talk.windows:
            self._schedule(person_id)
        return talk

    def cached(self, person_id: int) -> PersonTalk | None:
        return self._people.get(person_id)

    def forget_cached(self, person_id: int) -> None:
        self._people.pop(person_id, None)

    # ------------------------------------------------------------------ vectors

    def _schedule(self, person_id: int) -> None:
        self._dirty.add(person_id)
        if self._worker is None:
            self._worker = self.spawn(self._embed_all())

    async def _embed_all(self) -> None:
        try:
            while self._dirty:
                await asyncio.sleep(0)  # let the turn's other stores land first
                person_id = self._dirty.pop()
                try:
                    await self.sync(person_id)
                except EmbeddingUnavailable:
                    continue  # offline without the model: found by words (said once)
                except Exception:
                    log.exception("indexing the conversation of person %s failed", person_id)
        finally:
            self._worker = None

    async def sync(self, person_id: int) -> None:
        """Give every window a vector, and drop vectors of windows that changed."""
        lock = self._writing.setdefault(person_id, asyncio.Lock())
        async with lock:
            # The index as this process keeps it (the turn's recall caught it up just
            # before, and the engine's hook added the new turns): no second read.
            talk = self._people.get(person_id) or await self.person(person_id)
            await warm(talk)
            if talk.embedded is None:
                talk.embedded = await self.vectors.ids(person_id, TALK)
            stale = talk.stale()
            if stale:
                await self.vectors.delete(person_id, stale, TALK)
                talk.vectors_deleted(stale)
            self.vectors.check_embedding()  # offline: said before sorting the windows
            pending = sorted(talk.pending(), key=lambda w: len(talk.text(w)))
            for start in range(0, len(pending), EMBED_BATCH):
                batch = [w for w in pending[start : start + EMBED_BATCH] if w.id in talk.windows]
                if not batch:
                    continue
                await self.vectors.upsert(
                    person_id, [w.id for w in batch], [talk.text(w) for w in batch], TALK
                )
                talk.vectors_written(w.id for w in batch)

    async def settle(self) -> None:
        """Wait until every scheduled vector is written (tests, benches, erasure)."""
        while self._worker is not None:
            await asyncio.shield(self._worker)

    # ------------------------------------------------------------------ forgetting

    async def remove_turns(self, person_id: int, turn_ids: Iterable[int]) -> None:
        """After turns were deleted: rebuild the person's windows from what is left,
        delete the vectors that held those turns, and make that real on disk."""
        lock = self._writing.setdefault(person_id, asyncio.Lock())
        async with lock:
            gone = set(turn_ids)
            old = self._people.pop(person_id, None)
            embedded = (
                old.embedded
                if old is not None and old.embedded is not None
                else await self.vectors.ids(person_id, TALK)
            )
            talk = await self.person(person_id)
            talk.embedded = embedded
            holding = [k for k in embedded if _holds(k, gone)]
            dropped = [*holding, *talk.stale()]
            await self.vectors.delete(person_id, dropped, TALK)
            talk.vectors_deleted(dropped)
            await self.vectors.scrub(person_id, TALK)
        self._schedule(person_id)

    async def erase(self, person_id: int) -> None:
        lock = self._writing.setdefault(person_id, asyncio.Lock())
        async with lock:
            self._people.pop(person_id, None)
            self._dirty.discard(person_id)


async def warm(talk: PersonTalk) -> None:
    """Work out, in the background, how each turn is shown and what it costs, so a
    recall (on the reply's path) does not: a thousand turns per pause."""
    from memory.semantic.recall import part_tokens  # the renderer owns the format

    while talk.warmed < len(talk.turns):  # from where the last pass stopped
        position = talk.warmed
        if talk.turns[position].id not in talk.shown:
            part_tokens(talk, position)
        talk.warmed = position + 1
        if position % 1000 == 999:
            await asyncio.sleep(0)


def _holds(key: str, turn_ids: set[int]) -> bool:
    """Whether a window key (its first and last turn id) may hold one of ``turn_ids``:
    ids grow with time, so a turn between the two is inside."""
    first, _, last = key.partition("-")
    try:
        low, high = int(first), int(last)
    except ValueError:
        return True
    return any(low <= t <= high for t in turn_ids)
