"""The one inbox path every channel uses: what arrives is recorded before it is
confirmed to the platform, handled once and in order, and its replies are sent once.

    record (idempotent by the platform's update id; the new entry is claimed at once)
    -> per-person order (a queue per conversation here; across workers, an older
       pending entry of the same person is waited for)
    -> claim with a lease under a stable worker id (replays and take-overs)
    -> handle (Companion.handle) -> save the replies -> send them through the channel
    -> done; replayed at the next start, swept when a lease runs out; after
       MAX_ATTEMPTS failed tries the entry is set aside and the person told.

A channel only converts, renders and sends (nanobot's channels -> bus -> agent, with
our durability). How a channel plugs in (see also /work/wt/INBOX_API.md):

1. It implements :class:`InboxChannel`: ``platform``; ``rebuild(entry)``, the message
   again from the payload it recorded (replay after a restart, take-over from a dead
   worker); ``deliver(inbound, reply)``, one reply rendered and sent where the message
   came from (raising :class:`bot.channel.DeliveryError` as that class describes); and
   ``working(inbound)``, a context held while the core thinks ("typing...", answering a
   button press), or ``contextlib.nullcontext()``.
2. It makes one ``InboxPath(runtime, channel)``; in its own ``start(handler)`` it calls
   ``await path.start(handler)`` (replays what is pending) before it receives, and
   ``await path.stop()`` when it stops (in-flight entries finish; queued ones stay
   pending for the next start).
3. A push channel (Telegram, Discord) converts each platform update to an
   :class:`Arrival` and calls ``await path.receive(arrivals)``: when it returns the
   updates are durable and the platform may be confirmed (offset moved, webhook
   answered 200); if it raises, nothing was recorded: do not confirm (see
   :func:`storage_full` for telling people why). Replies go out later through
   ``deliver``. A pull channel (the console) calls ``replies = await
   path.submit(arrival)``: recorded, handled, delivered through ``deliver``, and
   returned once finished.

Ids: ``Arrival.update_id`` is the platform's own id for the update, unique per platform
(Telegram's update_id; Discord's message id, or ``i<interaction id>`` for a button);
the same id arriving again is recognised and dropped. The person's key is
``message.identity.platform_user_id``; the conversation's is ``message.channel.chat_id``.
The payload is whatever the channel needs to rebuild the message (raw JSON is best);
it is kept until the entry is finished plus ``COMPANION_INBOX_RETENTION_HOURS``.

Not recorded at all: updates with nothing to answer (``inbound`` None), group talk not
addressed to the bot, and people outside ``COMPANION_ALLOWED_USERS`` (they get one
polite refusal, remembered durably, and nothing of theirs is kept)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import json
import logging
import time
from collections import deque
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.channel import DeliveryError, Handler
from bot.group_commit import GroupCommit
from bot.types import ChannelRef, Identity, IncomingMessage, OutgoingMessage
from memory.channel_cursors import ChannelCursors
from memory.inbox import ROW_KEEP, InboxEntry, NewEntry
from memory.inbox_replies import InboxReplies

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # an entry that failed this often is set aside (and the person told)
PURGE_EVERY = 600.0  # seconds between retention purges
SORRY = "Sorry, something went wrong on my side."
GAVE_UP = (
    "Sorry, I couldn't answer one of your messages: it failed on my side several times. "
    "Could you send it again?"
)
STORAGE_FULL_NOTE = (
    "I can't save new messages right now: the disk I keep them on is full. Your message "
    "is not lost; I'll answer it as soon as there is room again."
)
FULL_NOTE_EVERY = 3600.0  # seconds between "my storage is full" notes to one chat


@dataclass(frozen=True, slots=True)
class Inbound:
    """A received message on its way through the path: the core's view of it, and
    the channel's own object for it (a python-telegram-bot Update, a discord.Message),
    which the path never looks into and hands back to ``deliver`` and ``working``."""

    message: IncomingMessage
    native: Any = None


@dataclass(frozen=True, slots=True)
class Arrival:
    """One platform update as a channel hands it over.

    ``inbound`` None: nothing to answer (an edit, a bot's message): not recorded.
    ``unreadable``: the channel could not parse it; kept raw (within the retention)
    for the operator, never handled. ``user_key`` is needed only then (best effort;
    otherwise it comes from the message)."""

    update_id: str
    payload: str
    inbound: Inbound | None = None
    unreadable: bool = False
    user_key: str | None = None

    @classmethod
    def of(
        cls, update_id: str, payload: str, message: IncomingMessage | None, native: Any = None
    ) -> Arrival:
        return cls(update_id, payload, Inbound(message, native) if message else None)

    @classmethod
    def not_readable(cls, update_id: str, payload: str, user_key: str | None) -> Arrival:
        return cls(update_id, payload, None, unreadable=True, user_key=user_key)


class RebuildLater(Exception):
    """Raised by ``InboxChannel.rebuild`` when the message cannot be had right now (the
    platform unreachable): the entry stays pending and is tried again later (the
    sweeper takes it once its lease has run out). A ``ConnectionError`` counts too."""


class InboxChannel(Protocol):
    """What a channel implements for the path (the module docstring says how)."""

    platform: str

    async def rebuild(self, entry: InboxEntry) -> Inbound | None: ...

    async def deliver(self, inbound: Inbound, reply: OutgoingMessage) -> None: ...

    def working(self, inbound: Inbound) -> AbstractAsyncContextManager[None]: ...


def names_what_to_forget(msg: IncomingMessage) -> bool:
    """A /forget line holds the very words being forgotten: its raw update is emptied
    as soon as it is answered, not kept for the retention like other messages."""
    return (msg.text or "").lstrip().lower().startswith("/forget")


def message_payload(msg: IncomingMessage) -> str:
    """A payload for channels whose messages are plain text (the console): what
    :func:`message_from_payload` turns back into the message. Attachments are not
    kept (their bytes live on the platform)."""
    return json.dumps(
        {
            "platform": msg.identity.platform,
            "user": msg.identity.platform_user_id,
            "chat": msg.channel.chat_id,
            "private": msg.channel.is_private,
            "text": msg.text,
            "name": msg.display_name,
            "message_id": msg.message_id,
            "callback_data": msg.callback_data,
            "sent_at": msg.sent_at.isoformat() if msg.sent_at else None,
        }
    )


def message_from_payload(payload: str) -> IncomingMessage:
    data = json.loads(payload)
    platform = str(data["platform"])
    return IncomingMessage(
        identity=Identity(platform, str(data["user"])),
        channel=ChannelRef(platform, str(data["chat"]), is_private=bool(data["private"])),
        text=str(data.get("text") or ""),
        display_name=data.get("name"),
        message_id=data.get("message_id"),
        callback_data=data.get("callback_data"),
        sent_at=datetime.fromisoformat(data["sent_at"]) if data.get("sent_at") else None,
    )


def storage_full(error: BaseException) -> bool:
    """Did recording fail because the disk is full? SQLite says "database or disk is
    full"; the OS says ENOSPC; PostgreSQL "could not extend file ... No space left"."""
    seen: BaseException | None = error
    for _depth in range(10):  # the chain of causes, not forever
        if seen is None:
            return False
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        text = str(seen).lower()
        if "disk is full" in text or "no space left" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class FullDiskNotes:
    """A full disk keeps messages waiting at the platform until there is room (nothing
    is lost), but people should not think they are ignored: one short note per chat
    and hour. ``due(chat)`` says whether to send :data:`STORAGE_FULL_NOTE` now."""

    def __init__(self, every: float = FULL_NOTE_EVERY) -> None:
        self.every = every
        self._told: dict[str, float] = {}

    def due(self, chat: str) -> bool:
        now = time.monotonic()
        if now - self._told.get(chat, -self.every) < self.every:
            return False
        if len(self._told) > 10_000:
            self._told.clear()
        self._told[chat] = now
        return True


class InboxPath:
    def __init__(
        self,
        runtime: Runtime,
        channel: InboxChannel,
        *,
        resend_after: float = 30.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.channel = channel
        self.platform = channel.platform
        self.inbox = runtime.inbox
        self.replies = InboxReplies(runtime.db)
        # The two writes every message costs, committed together with those of other
        # conversations finishing at the same moment (bot/group_commit.py).
        self._insert = GroupCommit(self._record_batch)
        self._save = GroupCommit(self._save_batch)
        self._close = GroupCommit(self._close_batch)
        # Stable across restarts of a single process (it takes its own work back at
        # once); unique per process when several workers share the inbox.
        self.worker = runtime.worker_id
        self.lease = timedelta(seconds=settings.inbox_lease_seconds)
        self.shared = settings.role == "worker"
        self.retention = timedelta(hours=settings.inbox_retention_hours)
        self.resend_after = resend_after
        self.max_attempts = max_attempts
        self._handler: Handler | None = None
        self._queues: dict[str, deque[tuple[int, Inbound]]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._queued: set[int] = set()  # in a queue here, or being handled
        self._fresh: dict[int, float] = {}  # recorded (and claimed) here just now: when
        self._resend: set[int] = set()  # waiting to send saved replies again
        self._resend_delays: dict[int, float] = {}
        self._waiters: dict[int, asyncio.Future[list[OutgoingMessage]]] = {}
        self._side: set[asyncio.Task[None]] = set()  # refusals, resends
        self._stopping = asyncio.Event()
        self._maintainer: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return self.platform.capitalize()

    # ------------------------------------------------------------------ lifecycle

    async def start(self, handler: Handler) -> None:
        """Take back what a crash or a dead worker left pending, then keep sweeping
        and purging in the background. Call before receiving."""
        self._handler = handler
        self._stopping = asyncio.Event()
        await self._replay()
        self._maintainer = asyncio.create_task(self._maintain())

    async def stop(self) -> None:
        """Take nothing new; let the entries being handled finish. Queued entries stay
        pending in the inbox for the next start (or another worker)."""
        self._stopping.set()
        if self._maintainer is not None:
            self._maintainer.cancel()
            await asyncio.gather(self._maintainer, return_exceptions=True)
            self._maintainer = None
        while self._workers or self._side:
            await asyncio.gather(*self._workers.values(), *self._side, return_exceptions=True)
        for future in self._waiters.values():
            if not future.done():
                future.set_result([])
        self._waiters.clear()

    def abandon(self) -> None:
        """Stop at once (a person's Ctrl-C): the turns in flight are cancelled; their
        entries stay pending, so the next start answers them."""
        self._stopping.set()
        for task in [*self._workers.values(), *self._side]:
            task.cancel()

    async def idle(self) -> None:
        """Wait until nothing is queued, handled, refused or waiting to be resent here
        (tests, and channels that want a quiet moment)."""
        while self._workers or self._side:
            await asyncio.gather(*self._workers.values(), *self._side, return_exceptions=True)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    @property
    def busy(self) -> int:
        """Entries queued or being handled in this process."""
        return len(self._queued)

    # ------------------------------------------------------------------ receiving

    async def receive(self, arrivals: Sequence[Arrival]) -> None:
        """Record a batch in one write, then queue each new entry behind its
        conversation. Returns once they are durable; raises if they could not be
        recorded (then the platform must not be told they were received)."""
        for entry_id, inbound in await self._record(arrivals):
            self._enqueue(entry_id, inbound)

    async def submit(self, arrival: Arrival) -> list[OutgoingMessage]:
        """For a channel that waits for its answer (the console): record, handle,
        deliver through the channel, and return the replies once it is finished."""
        recorded = await self._record([arrival])
        if not recorded:
            return []  # a redelivery, nothing to answer, or refused
        entry_id, inbound = recorded[0]
        future: asyncio.Future[list[OutgoingMessage]] = asyncio.get_running_loop().create_future()
        self._waiters[entry_id] = future
        self._enqueue(entry_id, inbound)
        return await future

    async def _record(self, arrivals: Sequence[Arrival]) -> list[tuple[int, Inbound]]:
        companion = self.runtime.companion
        rows: list[NewEntry] = []
        kept: list[Arrival] = []
        for arrival in arrivals:
            if arrival.unreadable:
                # Kept for the operator, unless it may be a refused person's.
                if companion.admits_user(self.platform, arrival.user_key or ""):
                    rows.append(
                        NewEntry(
                            arrival.update_id, arrival.payload, arrival.user_key, None, "unreadable"
                        )
                    )
                continue
            if arrival.inbound is None:
                continue
            msg = arrival.inbound.message
            if not msg.channel.is_private and not msg.addressed:
                continue  # group talk not meant for us: not even a refusal
            if not companion.admits(msg.identity):
                self._refuse(arrival.inbound)  # one polite refusal; nothing of theirs kept
                continue
            rows.append(
                NewEntry(
                    arrival.update_id,
                    arrival.payload,
                    msg.identity.platform_user_id,
                    msg.channel.chat_id,
                )
            )
            kept.append(arrival)
        if not rows:
            return []
        ids = await self._insert(rows)
        out: list[tuple[int, Inbound]] = []
        at = time.monotonic()
        for arrival in kept:
            entry_id = ids.pop(arrival.update_id, None)  # pop: a batch may repeat an id
            if entry_id is not None and arrival.inbound is not None:
                self._fresh[entry_id] = at
                out.append((entry_id, arrival.inbound))
        for update_id in ids:
            log.warning(
                "%s update %s could not be read; kept for the operator", self.name, update_id
            )
        return out

    def _refuse(self, inbound: Inbound) -> None:
        if self._handler is None:
            return
        self._spawn(self._refusal(inbound))

    async def _refusal(self, inbound: Inbound) -> None:
        """The core decides (once per person, remembered durably) what to say."""
        assert self._handler is not None
        try:
            for reply in await self._handler(inbound.message):
                await self.channel.deliver(inbound, reply)
        except Exception as exc:
            log.warning("a refusal could not be sent on %s: %s", self.name, type(exc).__name__)

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self._side.add(task)
        task.add_done_callback(self._side.discard)

    # ------------------------------------------------------------------ replay and sweep

    async def _replay(self) -> None:
        """Everything pending that this worker held before (a restart) or that nobody
        holds any more (a dead worker's lease ran out)."""
        entries = await self.inbox.stale(
            self.platform, lease=self.lease, now=self.runtime.clock.now(), worker=self.worker
        )
        taken = 0
        for entry in entries:
            if entry.id not in self._queued and await self._take_up(entry):
                taken += 1
        if taken:
            log.info("replaying %d pending %s update(s)", taken, self.name)

    async def _sweep(self) -> None:
        entries = await self.inbox.stale(
            self.platform, lease=self.lease, now=self.runtime.clock.now()
        )
        for entry in entries:
            if self._stopping.is_set():
                return
            if entry.id not in self._queued and entry.id not in self._resend:
                await self._take_up(entry)

    async def _take_up(self, entry: InboxEntry) -> bool:
        """Queue a recorded entry again: rebuilt by the channel from its payload."""
        now = self.runtime.clock.now()
        try:
            inbound = await self.channel.rebuild(entry)
        except (RebuildLater, ConnectionError) as exc:
            log.warning(
                "%s inbox entry %s cannot be read now (%s); later", self.name, entry.id, exc
            )
            return False
        except Exception:
            log.exception("unreadable %s inbox entry %s; set aside", self.name, entry.id)
            await self.inbox.fail(entry.id, at=now)
            return False
        if inbound is None:
            await self.inbox.done(entry.id, at=now)
            return False
        if entry.attempts >= self.max_attempts:
            log.error(
                "%s update %s failed %d times; set aside",
                self.name,
                entry.update_id,
                entry.attempts,
            )
            await self.inbox.fail(entry.id, at=now)
            await self._tell(inbound, GAVE_UP)
            return False
        self._enqueue(entry.id, inbound)
        return True

    async def _maintain(self) -> None:
        """Sweep for entries whose worker died or hangs, keep this worker's leases
        fresh, and purge raw updates past the retention."""
        period = max(self.lease.total_seconds() / 3, 0.2)
        next_purge = 0.0
        while not self._stopping.is_set():
            if time.monotonic() >= next_purge:
                next_purge = time.monotonic() + PURGE_EVERY
                await self._purge()
            await self._sleep_or_stop(period)
            if self._stopping.is_set():
                return
            try:
                if self.shared and (self._queued or self._resend):
                    await self.inbox.renew(
                        self._queued | self._resend, self.worker, at=self.runtime.clock.now()
                    )
                await self._sweep()
            except Exception:
                log.exception("inbox sweep failed; trying again later")

    async def _purge(self) -> None:
        now = self.runtime.clock.now()
        try:
            emptied, gone = await self.inbox.purge(
                payloads_before=now - self.retention, rows_before=now - ROW_KEEP
            )
        except Exception:
            log.exception("inbox purge failed; trying again later")
            return
        if emptied or gone:
            log.info(
                "inbox retention: %d raw update(s) emptied, %d old row(s) removed", emptied, gone
            )

    async def _sleep_or_stop(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    # ------------------------------------------------------------------ handling

    def _enqueue(self, entry_id: int, inbound: Inbound) -> None:
        key = inbound.message.channel.chat_id
        self._queued.add(entry_id)
        queue = self._queues.setdefault(key, deque())
        queue.append((entry_id, inbound))
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._chat_worker(key))

    async def _chat_worker(self, key: str) -> None:
        """One conversation's entries, one at a time, in the order received."""
        queue = self._queues[key]
        try:
            while queue and not self._stopping.is_set():
                entry_id, inbound = queue.popleft()
                try:
                    await self._process(entry_id, inbound)
                except Exception:
                    log.exception("%s inbox entry %s could not be handled", self.name, entry_id)
                    self._settle(entry_id, [])
                finally:
                    self._queued.discard(entry_id)
                    self._fresh.pop(entry_id, None)
        finally:
            # No await between the last check and here: nothing can slip in unseen.
            for entry_id, _inbound in queue:
                self._queued.discard(entry_id)
                self._fresh.pop(entry_id, None)
            self._queues.pop(key, None)
            self._workers.pop(key, None)

    async def _process(self, entry_id: int, inbound: Inbound) -> None:
        inbox, clock = self.inbox, self.runtime.clock
        msg = inbound.message
        if self.shared:
            if not await self._wait_for_earlier(entry_id, msg.identity.platform_user_id):
                return  # stopping while an older one waits: left for the next start
        recorded_at = self._fresh.pop(entry_id, None)
        fresh = recorded_at is not None
        # A fresh entry was claimed when it was recorded; after a long wait in the
        # queue (several workers) the claim is checked again before the work.
        reclaim = not fresh or (
            self.shared and time.monotonic() - (recorded_at or 0.0) > self.lease.total_seconds() / 3
        )
        if reclaim and not await inbox.claim(
            entry_id, self.worker, at=clock.now(), lease=self.lease
        ):
            self._settle(entry_id, [])  # finished, or being handled, elsewhere
            return
        saved = None if fresh else await self.replies.get(entry_id)
        if not fresh:
            # Handled before a crash perhaps: the person's words may be stored already.
            inbound = dataclasses.replace(inbound, message=dataclasses.replace(msg, replayed=True))
        kept = True  # the replies are saved under the entry
        if saved is not None:
            replies, sent = saved  # the core answered before a crash: send the rest
        else:
            sent = 0
            assert self._handler is not None
            try:
                async with self.channel.working(inbound):
                    replies = await self._handler(inbound.message)
            except Exception:
                log.exception("the core failed on %s inbox entry %s", self.name, entry_id)
                await inbox.fail(entry_id, at=clock.now())  # never asked again
                await self._tell(inbound, SORRY)
                self._settle(entry_id, [OutgoingMessage(text=SORRY)])
                return
            # False when the message erased its own entry (/deleteme): the replies
            # are sent all the same, and nothing about the person is written again.
            kept = await self._save((entry_id, replies))
        status = "done"
        try:
            for index in range(sent, len(replies)):
                reply = replies[index]
                if reply.key is None:
                    # Stable across a resend: a platform that takes an idempotency key
                    # (Discord's nonce) shows a reply once even after a crash mid-send.
                    reply = dataclasses.replace(reply, key=f"inbox:{entry_id}:{index}")
                await self.channel.deliver(inbound, reply)
                if kept and index + 1 < len(replies):
                    await self.replies.mark_sent(entry_id, index + 1)
        except DeliveryError as exc:
            if exc.permanent:
                await self.runtime.people.set_unreachable(msg.identity)
                log.info("a %s user blocked the bot; marked unreachable", self.name)
            elif exc.never_sent and kept:
                # Saved and surely not sent (our pool was full, the platform
                # unreachable): the entry stays pending and the rest goes out later.
                log.warning(
                    "reply to %s inbox entry %s not sent yet (%s); trying again",
                    self.name,
                    entry_id,
                    exc,
                )
                self._again_later(entry_id, inbound)
                return
            else:
                log.error("reply to %s inbox entry %s not delivered: %s", self.name, entry_id, exc)
                status = "failed"
        self._resend_delays.pop(entry_id, None)
        if kept:
            empty_now = self.retention.total_seconds() <= 0 or names_what_to_forget(msg)
            await self._close((entry_id, status, empty_now))
        self._settle(entry_id, replies)

    async def _record_batch(self, calls: Sequence[list[NewEntry]]) -> list[dict[str, int]]:
        """Several receive calls (webhook requests arriving together) in one write;
        an update id given twice is new for the first call only."""
        rows = [row for call in calls for row in call]
        ids = await self.inbox.record_many(
            self.platform, rows, at=self.runtime.clock.now(), claim_for=self.worker
        )
        out: list[dict[str, int]] = []
        for call in calls:
            mine: dict[str, int] = {}
            for row in call:
                entry_id = ids.pop(row.update_id, None)
                if entry_id is not None:
                    mine[row.update_id] = entry_id
            out.append(mine)
        return out

    async def _save_batch(self, items: Sequence[tuple[int, list[OutgoingMessage]]]) -> list[bool]:
        at = self.runtime.clock.now()
        if len(items) == 1:  # alone: the one-statement form is cheaper
            [(entry_id, replies)] = items
            return [await self.replies.save(entry_id, replies, at=at)]
        return await self.replies.save_many(items, at=at)

    async def _close_batch(self, items: Sequence[tuple[int, str, bool]]) -> list[None]:
        return await self.replies.close_many(items, at=self.runtime.clock.now())

    def _settle(self, entry_id: int, replies: list[OutgoingMessage]) -> None:
        future = self._waiters.pop(entry_id, None)
        if future is not None and not future.done():
            future.set_result(replies)

    async def _tell(self, inbound: Inbound, text: str) -> None:
        with contextlib.suppress(Exception):
            await self.channel.deliver(inbound, OutgoingMessage(text=text))

    def _again_later(self, entry_id: int, inbound: Inbound) -> None:
        """Queue the entry again after a pause that doubles each time (up to 10 min);
        its saved replies are there, so only the rest is sent."""
        delay = self._resend_delays.get(entry_id, self.resend_after)
        self._resend_delays[entry_id] = min(delay * 2, 600.0)
        self._resend.add(entry_id)

        async def later() -> None:
            try:
                await self._sleep_or_stop(delay)
            finally:
                self._resend.discard(entry_id)
            if not self._stopping.is_set():
                self._enqueue(entry_id, inbound)

        self._spawn(later())

    async def _wait_for_earlier(self, entry_id: int, user_key: str) -> bool:
        """Across workers, one person's messages go in order: wait (up to a lease)
        while another worker still handles an older one of theirs. False when this
        process began stopping meanwhile (the entry is left pending)."""
        waited, step = 0.0, 0.05
        while waited < self.lease.total_seconds() and await self.inbox.earlier_unfinished(
            entry_id, self.platform, user_key
        ):
            if self._stopping.is_set():
                return False
            await asyncio.sleep(step)
            waited += step
            step = min(step * 2, 1.0)
        return True


def install(runtime: Runtime) -> None:
    """What the inbox keeps about a person, for /export and /deleteme: the raw
    updates still within the retention, replies not yet sent, and the positions
    channels read their chats from."""
    replies = InboxReplies(runtime.db)

    async def users(person_id: int) -> list[tuple[str, str]]:
        return [
            (i.platform, i.platform_user_id) for i in await runtime.people.identities(person_id)
        ]

    async def export_unsent(person_id: int) -> list[dict[str, Any]]:
        return await replies.export_for(await users(person_id))

    async def erase_unsent(person_id: int) -> None:
        await replies.erase_for(await users(person_id))

    async def export_updates(person_id: int) -> list[dict[str, Any]]:
        return await runtime.inbox.export_for(await users(person_id))

    async def erase_updates(person_id: int) -> None:
        await runtime.inbox.erase_for(await users(person_id))

    cursors = ChannelCursors(runtime.db)

    async def export_chats(person_id: int) -> list[dict[str, Any]]:
        return await cursors.export_for(await users(person_id))

    async def erase_chats(person_id: int) -> None:
        await cursors.erase_for(await users(person_id))

    runtime.personal_data("unsent_replies", export_unsent, erase_unsent)
    runtime.personal_data("inbox", export_updates, erase_updates)
    # Where a channel reads its chats' history from (Discord catch-up). Registered in
    # every process, whichever channels it runs: a /deleteme taken by a Telegram-only
    # worker must still erase the person's Discord chat positions.
    runtime.personal_data("chat_positions", export_chats, erase_chats)
