"""Follow-ups from what people say: noted when they mention an event with a time,
moved when they move it, dropped when they call it off or tell how it went first.

Registered as ``runtime.services.followups``. ``accept_event`` is the hook for the
memory extractor's dated events (when a chat model is configured): the lead wires it."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.schedule.followups.concepts import (
    ANY_WORD,
    BY_NAME,
    GENERIC,
    LANGS,
    PATTERNS,
    Concept,
)
from bot.schedule.followups.dates import Moment
from bot.schedule.followups.detect import (
    Mention,
    guess_language,
    mentions,
    timing,
    worth_following,
)
from bot.schedule.when import zone
from bot.types import Person
from memory.followup_store import FollowupStore, NewFollowup
from memory.schedule_schema import FollowupRow

log = logging.getLogger(__name__)

SAME_EVENT = timedelta(days=1)  # a second mention this close is the same event
SAME_MESSAGE = timedelta(seconds=5)  # a message's time as the rules and the turn saw it


class FollowupService:
    def __init__(self, store: FollowupStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    @property
    def expire_after(self) -> timedelta:
        return timedelta(hours=self.settings.checkin_followup_hours)

    def _tz(self, person: Person) -> ZoneInfo:
        return zone(person.timezone, self.settings.default_timezone)

    async def on_message(self, person: Person, text: str, said_at: datetime) -> list[int]:
        """Read one message from the person: new follow-ups (their ids), and pending
        ones moved, called off or answered. Cheap when the message names no event."""
        if not ANY_WORD.search(text or ""):
            return []
        tz = self._tz(person)
        found = mentions(text, said_at.astimezone(tz))
        if not found:
            return []
        pending = await self.store.pending(person.id)
        created: list[int] = []
        for mention in found:
            same = [f for f in pending if f.concept == mention.concept.name]
            if await self._settles(person.id, mention, same, said_at):
                continue
            if mention.moment is None:
                continue
            when = timing(mention.concept, mention.moment, tz, expire_after=self.expire_after)
            if not worth_following(mention, when, said_at):
                continue
            new = NewFollowup(
                concept=mention.concept.name,
                what=mention.word,
                said=mention.sentence,
                lang=mention.lang,
                event_at=when.event_at,
                precision=mention.moment.precision,
                due_at=when.due_at,
                expires_at=when.expires_at,
                said_at=said_at,
            )
            twin = _twin(same, when.event_at, said_at, moved=mention.moved)
            if twin is not None:
                if mention.moved or _finer(mention.moment, twin):
                    await self.store.reschedule(person.id, twin.id, new)
                    log.info("follow-up %s moved (person %s)", twin.id, person.id)
                continue
            followup_id = await self.store.add(person.id, new, now=said_at)
            created.append(followup_id)
            pending.append(await self.store.get(person.id, followup_id))  # type: ignore[arg-type]
            log.info(
                "follow-up %s noted for person %s: %s, %s",
                followup_id,
                person.id,
                mention.concept.name,
                mention.moment.precision,
            )
        return created

    async def _settles(
        self, person_id: int, mention: Mention, same: list[FollowupRow], said_at: datetime
    ) -> bool:
        """Called off, or already told: pending follow-ups of this kind are closed.
        True when the mention is fully used up by that."""
        if not same:
            return False
        if mention.called_off and mention.moment is None:
            ids = [f.id for f in same if f.event_at > said_at - SAME_EVENT]
            await self.store.set_status(person_id, ids, "dropped")
            return True
        # Told how it went: the past tense, or talk of it after it, without a new date
        # (a date of its own is a next one: "another exam on Thursday").
        started = [f for f in same if f.event_at <= said_at]
        told = [
            f.id
            for f in started
            if mention.past or (said_at >= f.due_at and mention.moment is None)
        ]
        if told:
            await self.store.set_status(person_id, told, "answered")
            log.info("follow-ups %s answered in conversation (person %s)", told, person_id)
        return bool(told) and mention.moment is None

    async def accept_event(
        self,
        person: Person,
        text: str,
        refers_to: datetime,
        *,
        said_at: datetime,
        turn_id: int | None = None,
        message: str | None = None,
    ) -> int | None:
        """A dated event the memory extractor found ("has a job interview on
        2026-05-07"): a follow-up, unless the rules already have this one. ``refers_to``
        at local midnight (or naive: the person's own time) means the day, not a time.
        ``message``, the words it came from, with ``said_at`` its time: an event of the
        same kind the rules took from that same message is this one, whatever date
        each side read ("next week" against "the 13th")."""
        tz = self._tz(person)
        local = refers_to.astimezone(tz) if refers_to.tzinfo else refers_to.replace(tzinfo=tz)
        if local.tzinfo is None or local <= said_at.astimezone(tz) - timedelta(hours=1):
            return None
        lang = guess_language(text)[0]
        concept, word = GENERIC, text
        for try_lang in [lang, *[x for x in LANGS if x != lang]]:
            m = PATTERNS[try_lang].search(text)
            if m is not None and m.lastgroup is not None:
                concept, word, lang = BY_NAME[m.lastgroup], m.group(), try_lang
                break
        precision = "day" if local.time().hour == 0 and local.minute == 0 else "time"
        moment = Moment(local.date(), None if precision == "day" else local.time(), precision, 0, 0)
        when = timing(concept, moment, tz, expire_after=self.expire_after)
        if when.due_at <= said_at:
            return None
        pending = await self.store.pending(person.id)
        if any(_same_event(f, concept, text, when.event_at) for f in pending):
            return None  # the rules (or an earlier extraction) have it already
        if any(_same_message(f, concept, said_at, turn_id, message) for f in pending):
            return None
        return await self.store.add(
            person.id,
            NewFollowup(
                concept=concept.name,
                what=" ".join(word.split())[:200],
                said=text,
                lang=lang,
                event_at=when.event_at,
                precision=precision,
                due_at=when.due_at,
                expires_at=when.expires_at,
                said_at=said_at,
                source="model",
                turn_id=turn_id,
            ),
            now=said_at,
        )


def _same_event(row: FollowupRow, concept: Concept, text: str, event_at: datetime) -> bool:
    """Whether ``row`` is this event read again: within a day of it and of the same
    kind. A generic event (no known word) is the same only when it shares a word with
    what the row says: the dentist and a sister's wedding on one Friday are two."""
    if abs(row.event_at - event_at) > SAME_EVENT:
        return False
    if concept is not GENERIC and row.concept != GENERIC.name:
        return row.concept == concept.name
    return bool(_words(text) & _words(f"{row.what} {row.said}"))


def _words(text: str) -> set[str]:
    """The words that can name an event: four letters or more, not the common ones."""
    return {w for w in re.findall(r"\w{4,}", text.lower()) if w not in _COMMON}


_COMMON = frozenset(
    "have has having with their they them this that then there going goes will would "
    "about from into some what when your just been were also very much next week "
    "today tomorrow monday tuesday wednesday thursday friday saturday sunday".split()
)


def _same_message(
    row: FollowupRow, concept: Concept, said_at: datetime, turn_id: int | None, message: str | None
) -> bool:
    """Whether ``row`` was taken from the same message as an event of ``concept``:
    by the extractor from the same turn, or by the rules from the same words at the
    same moment. A generic event is taken for the one the rules saw there."""
    if concept is not GENERIC and row.concept != concept.name:
        return False
    if turn_id is not None and row.turn_id == turn_id:
        return True
    return (
        row.source == "rules"
        and message is not None
        and bool(row.said)
        and row.said in message
        and abs(row.said_at - said_at) <= SAME_MESSAGE
    )


def _twin(
    same: list[FollowupRow], event_at: datetime, said_at: datetime, *, moved: bool
) -> FollowupRow | None:
    """The pending follow-up this mention is about: the same kind of event, not yet
    happened, within a day of it; or, when the person says it moved, the one such."""
    upcoming = [f for f in same if f.event_at > said_at]
    close = [f for f in upcoming if abs(f.event_at - event_at) <= SAME_EVENT]
    if close:
        return close[0]
    return upcoming[0] if moved and len(upcoming) == 1 else None


def _finer(moment: Moment, row: FollowupRow) -> bool:
    order = {"week": 0, "weekend": 1, "day": 2, "part": 3, "time": 4}
    return order.get(moment.precision, 0) > order.get(row.precision, 0)
