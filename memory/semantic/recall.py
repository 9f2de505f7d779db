"""The one recall function: it builds the memory part of the prompt.

Both kinds of memory are searched (the conversation's windows and the extracted
facts, each by keywords and meaning), fused into one ranking (a date the question
names lifts that day), and taken best value per token first while they fit in the
budget. Windows that repeat turns already taken add only their new turns, and the
turns of one session are shown on one line, its date once. Each item is dated; the
items are listed newest first, so of two versions of a changed fact the current one
comes first, and a fact that replaced another shows the old one as earlier.

Every stored text is rendered as quoted data on one line, with the characters that
make the prompt's structure (tags, brackets, ids, headings, quotes) replaced, so no
memory can forge a section, an id or an instruction block. The bot and the benches
call this same function with the same settings."""

from __future__ import annotations

import asyncio
import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Literal

from bot.tokens import count_tokens
from memory.semantic.conversation import WINDOW
from memory.semantic.guard import clean
from memory.semantic.keyword import Asking
from memory.semantic.service import Recalled
from memory.semantic.vectors import FACTS, TALK, DenseHit, EmbeddingUnavailable
from memory.semantic.when import days_named, near

if TYPE_CHECKING:
    from memory.semantic.conversation import PersonTalk, Window
    from memory.semantic.service import MemoryService
    from memory.semantic.store import Memory

log = logging.getLogger(__name__)

POOL = 60  # candidates taken from each ranking
MIN_SIMILARITY = 0.1  # a dense match weaker than this, with no shared word, is noise
DENSE_WEIGHT = 0.4  # meaning's share against words' (measured: bench/memory_recall.py)
ASKING = Asking()  # how a question is read against the conversation's words
# Value per token: a candidate's score is divided by its cost to this power, so of two
# about as relevant the shorter goes first and more distinct evidence fits the budget
# (0.2 measured on the dev conversations: 0.1-0.3 all helped, beyond that recall fell).
COST_EXPONENT = 0.2
# What a date named in the question ("on 3 June") adds to what was said on that day
# (and to facts said or about then): enough to lift any match of that day above the
# rest, not to show the day's unrelated talk first.
DATE_BOOST = 0.5
FACT_WEIGHT = 1.0  # a fact's blended score against a window's
HEADER = 1  # what a line costs beyond its own words: the "> " the prompt quotes it with
NOTE = (
    "Each line is one memory, newest first: the date, then what was said in an earlier "
    "conversation (they = the person, you = you) or a fact about the person. Lines "
    "marked earlier are no longer current."
)

_STRUCTURAL = str.maketrans(
    {
        "<": "‹",
        ">": "›",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "#": "№",
        "`": "'",
        '"': "'",
        "“": "'",
        "”": "'",
        "|": "/",
        "*": "·",
        "_": " ",
    }
)


def safe(text: str) -> str:
    """A stored text as inert data on one line: normalised, invisible characters gone,
    line breaks and the prompt's structural characters replaced."""
    text = clean(text).translate(_STRUCTURAL)
    return re.sub(r"\s+", " ", text).strip()


def blend(
    sparse: list[tuple[str, float]], dense: list[tuple[str, float]], weight: float = DENSE_WEIGHT
) -> dict[str, float]:
    """Words and meaning in one score: BM25 scaled by the best one, plus ``weight``
    times the cosine similarity scaled between the weakest and best of the pool.
    (On the dev conversations this beat reciprocal-rank fusion, which let weak dense
    matches outrank exact words.)"""
    out: dict[str, float] = {}
    if sparse:
        top = sparse[0][1] or 1.0
        for key, score in sparse:
            out[key] = score / top
    if dense:
        high, low = dense[0][1], dense[-1][1]
        spread = (high - low) or 1.0
        for key, similarity in dense:
            out[key] = out.get(key, 0.0) + weight * (similarity - low) / spread
    return out


def day(at: datetime) -> str:
    return at.date().isoformat()


@dataclass(frozen=True, slots=True)
class MemoryItem:
    """One line of the memory part: a stretch of conversation or a fact."""

    kind: Literal["talk", "fact"]
    at: datetime
    text: str
    turn_ids: tuple[int, ...] = ()  # shown (talk) or cited (fact)
    fact_id: str | None = None


@dataclass(frozen=True, slots=True)
class MemoryPart:
    text: str
    items: list[MemoryItem] = field(default_factory=list)
    tokens: int = 0


_FACT_COST: dict[tuple[str, str], int] = {}


def fact_tokens(memory: Memory) -> int:
    """A fact line's cost, remembered per version of the fact."""
    key = (memory.id, str(memory.updated_at or memory.said_at))
    cost = _FACT_COST.get(key)
    if cost is None:
        if len(_FACT_COST) > 200_000:
            _FACT_COST.clear()
        cost = _FACT_COST[key] = count_tokens(fact_line(memory)) + HEADER
    return cost


def fact_line(memory: Memory) -> str:
    about = (
        f", about {day(memory.refers_to)}"
        if memory.refers_to and day(memory.refers_to) != day(memory.said_at)
        else ""
    )
    line = f"{day(memory.said_at)}{about}: “{safe(memory.text)}”"
    for old in reversed(memory.history):
        if not isinstance(old.get("text"), str):
            continue
        said = str(old.get("said") or "")[:10]
        until = str(old.get("until") or "")[:10]
        when = f"{said} to {until}" if said else f"until {until}"
        line += f" (earlier, {when}: “{safe(old['text'])}”)"
    return line


def talk_part(talk: PersonTalk, position: int) -> str:
    """A turn as shown: who said it, and the words as quoted data (made once)."""
    turn = talk.turns[position]
    cached = talk.shown.get(turn.id)
    if cached is None:
        who = "you" if turn.role == "assistant" else "they"
        text = f"{who}: “{safe(turn.text)}”"
        talk.shown[turn.id] = (text, count_tokens(text))
        return text
    return cached[0]


def part_tokens(talk: PersonTalk, position: int) -> int:
    """A turn's cost on a line, computed once per turn."""
    turn = talk.turns[position]
    if turn.id not in talk.shown:
        talk_part(talk, position)
    return talk.shown[turn.id][1]


LINE_TOKENS = 6 + HEADER  # "2026-05-04: " and the quote mark
GAP = " … "  # between stretches of one session shown on its line
GAP_TOKENS = 1


def talk_line(talk: PersonTalk, positions: list[int]) -> str:
    first = talk.turns[positions[0]]
    return f"{day(first.at)}: " + " ".join(talk_part(talk, p) for p in positions)


def session_line(talk: PersonTalk, spans: list[list[int]]) -> str:
    """One session on one line: its date once, then its stretches, apart."""
    first = talk.turns[spans[0][0]]
    return f"{day(first.at)}: " + GAP.join(
        " ".join(talk_part(talk, p) for p in span) for span in spans
    )


def overhead(spans: int) -> int:
    """What a session's line costs beyond its turns' words."""
    return LINE_TOKENS + GAP_TOKENS * (spans - 1) if spans else 0


@dataclass
class Selection:
    talk: PersonTalk | None
    budget: int
    positions: set[int] = field(default_factory=set)
    facts: list[Memory] = field(default_factory=list)
    fact_cost: int = 0
    talk_cost: int = 0
    by_session: dict[int, set[int]] = field(default_factory=dict)

    def spans(self) -> list[list[int]]:
        """Stretches of neighbouring turns of one session, in order."""
        assert self.talk is not None
        out: list[list[int]] = []
        for p in sorted(self.positions):
            if (
                out
                and p == out[-1][-1] + 1
                and self.talk.session_of(p) == self.talk.session_of(out[-1][-1])
            ):
                out[-1].append(p)
            else:
                out.append([p])
        return out

    def sessions(self) -> list[list[list[int]]]:
        """The spans grouped by session (one line each), in order."""
        assert self.talk is not None
        out: list[list[list[int]]] = []
        last = -1
        for span in self.spans():
            session = self.talk.session_of(span[0])
            if out and session == last:
                out[-1].append(span)
            else:
                out.append([span])
            last = session
        return out

    def full(self) -> bool:
        return self.budget - self.talk_cost - self.fact_cost < 12

    def take_window(self, window: Window, exclude: frozenset[int] | set[int] = frozenset()) -> None:
        """A window's turns not shown yet (overlap dropped), when they fit."""
        assert self.talk is not None
        new = [
            p
            for p in range(window.start, window.end)
            if p not in self.positions and self.talk.turns[p].id not in exclude
        ]
        if new:
            self.take_turns(new)

    def _spans_in(self, session: int) -> int:
        taken = self.by_session.get(session)
        if not taken:
            return 0
        return sum(1 for p in taken if p - 1 not in taken)  # a window never crosses sessions

    def take_turns(self, new: list[int]) -> bool:
        """Adds the turns when they fit: one line per session, its date once, so a
        turn next to one already shown costs only its words, and another stretch of
        the same session costs a separator."""
        assert self.talk is not None
        talk = self.talk
        fresh = sorted(p for p in set(new) if p not in self.positions)
        if not fresh:
            return True
        touched = {talk.session_of(p) for p in fresh}
        before = sum(overhead(self._spans_in(s)) for s in touched)
        added = sum(part_tokens(talk, p) for p in fresh)
        for p in fresh:
            self.by_session.setdefault(talk.session_of(p), set()).add(p)
        after = sum(overhead(self._spans_in(s)) for s in touched)
        added += after - before
        if self.talk_cost + added + self.fact_cost > self.budget:
            for p in fresh:
                self.by_session[talk.session_of(p)].discard(p)
            return False
        self.positions.update(fresh)
        self.talk_cost += added
        return True

    def take_fact(self, memory: Memory) -> bool:
        cost = fact_tokens(memory)
        if self.talk_cost + self.fact_cost + cost > self.budget:
            return False
        self.facts.append(memory)
        self.fact_cost += cost
        return True


async def recall_memory(
    service: MemoryService,
    person_id: int,
    query: str,
    *,
    budget: int,
    exclude_turn_ids: frozenset[int] | set[int] = frozenset(),
) -> MemoryPart:
    """The memory part of the prompt for ``query``, within ``budget`` tokens."""
    query = (query or "").strip()
    if not query or budget <= 0:
        return MemoryPart("")
    # The query's embedding and both Chroma queries run in one worker thread, begun
    # first so that they overlap the catch-up reads of the tables. Skipped for a
    # person known to have nothing with a vector yet (the first messages), and put
    # off for one whose whole memory was shown last time (likely again: no ranking).
    wanted = service.may_have_vectors(person_id)
    known = service.talk.cached(person_id) if service.talk is not None else None
    later = wanted and known is not None and known.shown_whole
    dense_task = _dense(service, person_id, query) if wanted and not later else None
    try:
        talk, facts_known = await service.caught_up(person_id)
    except BaseException:
        _drop(dense_task)
        raise
    if not facts_known and (talk is None or not talk.windows):
        _drop(dense_task)
        return MemoryPart("")
    whole = await _whole(service, person_id, talk, facts_known, budget, exclude_turn_ids)
    if talk is not None:
        talk.shown_whole = whole is not None
    if whole is not None:
        _drop(dense_task)
        return render(whole)
    if later:
        dense_task = _dense(service, person_id, query)
    hits: dict[str, list[DenseHit]] = {}
    vector: Any = None
    if dense_task is not None:
        try:
            vector, hits = await dense_task
        except EmbeddingUnavailable:
            pass  # offline without the model: by words only (said once, in one line)
        except Exception:
            log.exception("dense recall failed; words only this time")
    ranked: list[tuple[float, str, Any]] = []
    named = days_named(query, service.clock.now().date()) if DATE_BOOST else []
    if facts_known:
        facts = await service.search(
            person_id, query, POOL, vector=vector, dense=hits.get(FACTS, []), catch_up=False
        )
        by_id = {r.memory.id: r for r in facts}
        words = sorted(
            ((r.memory.id, r.keyword) for r in facts if r.keyword > 0), key=lambda x: -x[1]
        )
        meaning = sorted(
            ((r.memory.id, r.similarity) for r in facts if r.similarity >= MIN_SIMILARITY),
            key=lambda x: -x[1],
        )
        for key, score in blend(words, meaning).items():
            lift = DATE_BOOST if named and _fact_on(by_id[key].memory, named) else 0.0
            ranked.append(((score + lift) * FACT_WEIGHT, "fact", by_id[key]))
    if talk is not None and talk.windows:
        sparse = talk.keyword.top(query, POOL, ASKING)
        dense = [
            (h.id, 1 - h.distance)
            for h in hits.get(TALK, [])
            if h.id in talk.windows and 1 - h.distance >= MIN_SIMILARITY
        ]
        fused = blend(sparse, dense, DENSE_WEIGHT)
        if named:
            on_days_named(talk, named, fused)
        ranked.extend((score, "talk", key) for key, score in fused.items())
    ranked = [
        (score / cost(talk, kind, what) ** COST_EXPONENT, kind, what)
        for score, kind, what in ranked
    ]
    ranked.sort(key=lambda r: -r[0])
    if _small(talk, facts_known):
        # Everything fits (a new acquaintance): all of it, whatever the match.
        every = await service.active(person_id, catch_up=False)  # caught up above
        ranked.extend((0.0, "fact", Recalled(m, 0.0, 0.0, 0.0)) for m in every)
        if talk is not None:
            ranked.extend((0.0, "talk", key) for key in talk.windows)

    chosen = Selection(talk, budget)
    shown_facts: set[str] = set()
    for _score, kind, what in ranked:
        if chosen.full():
            break
        if kind == "fact":
            recalled: Recalled = what
            if recalled.memory.id not in shown_facts and chosen.take_fact(recalled.memory):
                shown_facts.add(recalled.memory.id)
            continue
        assert talk is not None
        window = talk.windows.get(what)
        if window is not None:
            chosen.take_window(window, exclude_turn_ids)
    return render(chosen)


def _dense(service: MemoryService, person_id: int, query: str) -> asyncio.Future[Any]:
    return asyncio.ensure_future(
        service.vectors.search_spaces(person_id, query, POOL, (FACTS, TALK))
    )


def _drop(task: asyncio.Future[Any] | None) -> None:
    """A meaning search not needed after all: cancelled, its outcome taken (unlogged)."""
    if task is not None:
        task.cancel()
        task.add_done_callback(lambda t: t.cancelled() or t.exception())


async def _whole(
    service: MemoryService,
    person_id: int,
    talk: PersonTalk | None,
    facts_known: int,
    budget: int,
    exclude: frozenset[int] | set[int],
) -> Selection | None:
    """A small memory shown whole, when that is what the ranking would give anyway.

    A small memory's ranking ends with every window and fact; when all of them fit
    with room to spare (the selection never fills: a part costs more than the gap it
    closes, so no subset costs more than the whole), every candidate is taken,
    whatever the order. The lines are sorted by date, and the order of candidates
    shows only between facts said at the same moment: with none such, the ranking
    (the query's embedding, both searches, the fusion) would change nothing."""
    if not _small(talk, facts_known):
        return None
    facts = await service.active(person_id, catch_up=False)  # caught up a moment ago
    if len({m.said_at for m in facts}) < len(facts):
        return None
    chosen = Selection(talk, budget)
    if talk is not None and talk.windows:  # the windows cover every indexed turn
        every = [p for p, turn in enumerate(talk.turns) if turn.id not in exclude]
        if not chosen.take_turns(every):
            return None
    for memory in facts:
        if not chosen.take_fact(memory):
            return None
    return None if chosen.full() else chosen


def on_days_named(
    talk: PersonTalk, spans: list[tuple[date, date]], fused: dict[str, float]
) -> None:
    """A question that names a date ("on 3 June", "in August 2023") lifts the
    conversation of those days (a day either side: time zones, late nights)."""
    for first, last in near(spans):
        low = datetime.combine(first, time.min, tzinfo=UTC)
        high = datetime.combine(last, time.max, tzinfo=UTC)
        start = bisect_left(talk.turns, low, key=lambda t: t.at)
        end = bisect_right(talk.turns, high, key=lambda t: t.at)
        for position in range(max(0, start - WINDOW + 1), end):
            key = talk.by_start.get(position)
            if key is not None:
                fused[key] = fused.get(key, 0.0) + DATE_BOOST


def _fact_on(memory: Memory, spans: list[tuple[date, date]]) -> bool:
    days = [memory.said_at.date()] + ([memory.refers_to.date()] if memory.refers_to else [])
    return any(first <= d <= last for first, last in near(spans) for d in days)


def cost(talk: PersonTalk | None, kind: str, what: Any) -> float:
    """What a candidate costs in the budget if shown alone (a fact's line, a window's
    turns on a line of their own), in hundreds of tokens."""
    if kind == "fact":
        return fact_tokens(what.memory) / 100
    assert talk is not None
    words = talk.window_words.get(what)
    if words is None:  # a window's turns never change under its id: counted once
        window = talk.windows[what]
        words = sum(part_tokens(talk, p) for p in range(window.start, window.end))
        talk.window_words[what] = words
    return (words + LINE_TOKENS) / 100


SMALL = 60  # turns or facts below which a person's whole memory is offered


def _small(talk: PersonTalk | None, facts: int) -> bool:
    return facts <= SMALL and (talk is None or len(talk.turns) <= SMALL)


def render(chosen: Selection) -> MemoryPart:
    items: list[MemoryItem] = []
    # The part's tokens, counted by pieces: the count is additive over whitespace (no
    # word or mark spans a space or a line break), and each turn's count is known.
    tokens = 0
    if chosen.talk is not None:
        talk = chosen.talk
        for spans in chosen.sessions():
            line = session_line(talk, spans)
            items.append(
                MemoryItem(
                    "talk",
                    talk.turns[spans[-1][-1]].at,
                    line,
                    tuple(talk.turns[p].id for span in spans for p in span),
                )
            )
            first = talk.turns[spans[0][0]]
            tokens += count_tokens(f"{day(first.at)}: ") + GAP_TOKENS * (len(spans) - 1)
            tokens += sum(part_tokens(talk, p) for span in spans for p in span)
    for memory in chosen.facts:
        line = fact_line(memory)
        items.append(MemoryItem("fact", memory.said_at, line, memory.source_turn_ids, memory.id))
        tokens += count_tokens(line)
    items.sort(key=lambda i: (i.at, i.kind == "fact"), reverse=True)
    text = "\n".join(i.text for i in items)
    return MemoryPart(text, items, tokens)
