"""The Telegram channel: updates in through the durable inbox, replies out with limits.

We drive getUpdates ourselves rather than use python-telegram-bot's Application:
PTB confirms an update (advances the offset, or answers the webhook) as soon as it
is queued, so a crash would lose it. Here an update is written to the inbox first;
only then is its offset passed to Telegram (or the webhook answered 200). Updates of
one chat are handled in order, different chats concurrently; an entry is marked done
after its replies are sent, and pending entries are replayed at the next start."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import hmac
import json
import logging
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from adapters.telegram.convert import (
    PLATFORM,
    BotInfo,
    chat_id_of,
    to_incoming,
)
from adapters.telegram.files import download_file
from adapters.telegram.limits import Limits, RateLimiter
from adapters.telegram.render import CAPTION_LIMIT, split_text, to_html, to_plain, utf16_len
from bot.channel import DeliveryError, Handler
from bot.logs import register_secret
from bot.runtime import Runtime
from bot.types import Button, Capabilities, Identity, IncomingMessage, OutgoingMessage
from memory.inbox_replies import InboxReplies

log = logging.getLogger(__name__)

T = TypeVar("T")
ALLOWED_UPDATES = ["message", "callback_query"]
MAX_ATTEMPTS = 3  # an update that crashed the handler this often is set aside, not retried
FULL_NOTE_EVERY = 3600.0  # seconds between "my storage is full" notes to one chat
STORAGE_FULL_NOTE = (
    "I can't save new messages right now: the disk I keep them on is full. Your message "
    "is not lost; I'll answer it as soon as there is room again."
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True, slots=True)
class Tuning:
    """Knobs tests turn down; the defaults suit production."""

    poll_timeout: float = 30.0
    read_timeout: float = 20.0
    connect_timeout: float = 5.0
    typing_interval: float = 4.5
    typing_delay: float = 0.5  # show "typing..." only when the answer takes longer
    max_send_attempts: int = 6
    retry_backoff: float = 1.0
    resend_after: float = 30.0  # replies that surely did not go out: tried again then
    limits: Limits = field(default_factory=Limits)


def file_url_for(base_url: str) -> str:
    """``https://host/bot`` -> ``https://host/file/bot`` (the Bot API's layout)."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url.rstrip("/") + "/file/bot"


class TelegramChannel:
    platform = PLATFORM
    capabilities = Capabilities(max_length=4096, formatting=True, buttons=True, voice=True)

    def __init__(self, runtime: Runtime, *, tuning: Tuning | None = None) -> None:
        settings = runtime.settings
        if settings.telegram_token is None:
            raise ValueError("COMPANION_TELEGRAM_TOKEN is not set")
        self.runtime = runtime
        self.tuning = tuning or Tuning()
        token = settings.telegram_token.get_secret_value()
        base_url = settings.telegram_api_url
        self.bot = Bot(
            token,
            base_url=base_url,
            base_file_url=file_url_for(base_url),
            request=HTTPXRequest(
                connection_pool_size=16,
                read_timeout=self.tuning.read_timeout,
                write_timeout=self.tuning.read_timeout,
                connect_timeout=self.tuning.connect_timeout,
                pool_timeout=self.tuning.connect_timeout,
            ),
            get_updates_request=HTTPXRequest(
                connection_pool_size=1,
                read_timeout=self.tuning.poll_timeout + 10,
                connect_timeout=self.tuning.connect_timeout,
            ),
        )
        # httpx logs every URL at INFO, and the URL holds the token.
        for noisy in ("httpx", "httpcore"):
            logger = logging.getLogger(noisy)
            if logger.getEffectiveLevel() < logging.WARNING:
                logger.setLevel(logging.WARNING)
        self.webhook_url = settings.telegram_webhook_url
        secret = settings.telegram_webhook_secret
        self.webhook_secret = secret.get_secret_value() if secret else secrets.token_urlsafe(32)
        register_secret(self.webhook_secret)  # whoever holds it can post updates as anyone
        self.webhook_listen = settings.telegram_webhook_listen
        self.webhook_port = settings.telegram_webhook_port
        self.group_mode = settings.telegram_group_mode
        self.limiter = RateLimiter(self.tuning.limits)
        self.replies = InboxReplies(runtime.db)
        runtime.personal_data("unsent_replies", self._export_unsent, self._erase_unsent)
        # Stable across restarts of a single process (it takes its own work back at
        # once); unique per process when several workers share the inbox.
        self.worker = runtime.worker_id
        self.lease = timedelta(seconds=settings.inbox_lease_seconds)
        self.shared_inbox = settings.role == "worker"
        self.info = BotInfo(0, None, self.group_mode)
        self._handler: Handler | None = None
        self._queues: dict[str, deque[tuple[int, Update]]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._stopping = asyncio.Event()
        self._finished = asyncio.Event()
        self._running = False
        self._webhook_runner: web.AppRunner | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._fresh: set[int] = set()  # recorded by this process just now: nothing saved
        self._told_full: dict[int, float] = {}  # chat -> when told the disk is full
        self._resend_delays: dict[int, float] = {}  # entry -> next pause before resending
        self._pending_resends: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ lifecycle

    async def start(self, handler: Handler) -> None:
        """Runs until ``stop``: replays what a crash left pending, then polls (or
        serves the webhook). Returns after in-flight work has finished."""
        self._handler = handler
        self._running = True
        self._finished.clear()
        try:
            try:
                await self._call_idempotent(self.bot.initialize)
            except InvalidToken:
                log.error("Telegram refused the bot token; check COMPANION_TELEGRAM_TOKEN")
                raise
            self.info = BotInfo(self.bot.id, self.bot.username, self.group_mode)
            await self._register_commands()
            await self._replay()
            if self.shared_inbox:
                self._sweeper = asyncio.create_task(self._sweep_forever())
            if self.webhook_url:
                await self._serve_webhook()
            else:
                await self._call_idempotent(lambda: self.bot.delete_webhook())
                await self._poll()
        finally:
            if self._sweeper is not None:
                self._sweeper.cancel()
                with contextlib.suppress(BaseException):
                    await self._sweeper
            await self._drain()
            with contextlib.suppress(Exception):
                await self.bot.shutdown()
            self._running = False
            self._finished.set()

    async def stop(self) -> None:
        """Stop taking updates, finish the ones being handled, then return. What was
        received but not started stays pending in the inbox for the next start."""
        self._stopping.set()
        if self._running:
            await self._finished.wait()

    async def _users(self, person_id: int) -> list[tuple[str, str]]:
        return [
            (i.platform, i.platform_user_id)
            for i in await self.runtime.people.identities(person_id)
        ]

    async def _export_unsent(self, person_id: int) -> list[dict[str, Any]]:
        return await self.replies.export_for(await self._users(person_id))

    async def _erase_unsent(self, person_id: int) -> None:
        await self.replies.erase_for(await self._users(person_id))

    async def _drain(self) -> None:
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)
        if self._webhook_runner is not None:
            await self._webhook_runner.cleanup()
            self._webhook_runner = None

    async def _register_commands(self) -> None:
        commands = [
            BotCommand(c.name, (c.description or c.name)[:256])
            for c in self.runtime.companion.commands.visible()
            if c.name.islower() and len(c.name) <= 32
        ]
        try:
            await self._call_idempotent(lambda: self.bot.set_my_commands(commands))
        except TelegramError as exc:
            log.warning("could not register the command menu: %s", exc)

    # ------------------------------------------------------------------ receiving

    async def _poll(self) -> None:
        offset: int | None = None
        backoff = self.tuning.retry_backoff
        stop_wait = asyncio.create_task(self._stopping.wait())
        try:
            while not self._stopping.is_set():
                fetch = asyncio.create_task(
                    self.bot.get_updates(
                        offset=offset,
                        timeout=int(self.tuning.poll_timeout),
                        allowed_updates=ALLOWED_UPDATES,
                        read_timeout=self.tuning.poll_timeout + 10,
                    )
                )
                await asyncio.wait([fetch, stop_wait], return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    # Not confirmed: what this call would have returned comes again.
                    fetch.cancel()
                    with contextlib.suppress(BaseException):
                        await fetch
                    break
                try:
                    updates = fetch.result()
                except RetryAfter as exc:
                    await self._sleep_or_stop(_seconds(exc.retry_after))
                    continue
                except (InvalidToken, Forbidden):
                    log.error("Telegram refused the bot token; check COMPANION_TELEGRAM_TOKEN")
                    raise
                except TelegramError as exc:
                    log.warning("getUpdates failed (%s); retrying in %.0fs", exc, backoff)
                    await self._sleep_or_stop(backoff)
                    backoff = min(backoff * 2, 30.0)
                    continue
                backoff = self.tuning.retry_backoff
                try:
                    await self._receive_batch(updates)
                except Exception as exc:
                    # Not recorded: keep the offset here so Telegram sends them again.
                    log.exception("could not record %d update(s)", len(updates))
                    await self._say_storage_is_full(updates, exc)
                    await self._sleep_or_stop(backoff)
                    continue
                if updates:
                    offset = updates[-1].update_id + 1
        finally:
            stop_wait.cancel()

    async def _sleep_or_stop(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _receive_batch(self, updates: Sequence[Update]) -> None:
        """A whole getUpdates batch goes into the inbox in one write (redeliveries
        are recognised and dropped), then each new one is queued behind its chat."""
        items = []
        for update in updates:
            user = update.effective_user
            items.append((str(update.update_id), update.to_json(), str(user.id) if user else None))
        entries = await self.runtime.inbox.record_many(PLATFORM, items, at=self.runtime.clock.now())
        for update in updates:
            entry_id = entries.get(str(update.update_id))
            if entry_id is not None:
                self._fresh.add(entry_id)
                self._enqueue(entry_id, update)

    async def _receive(self, update: Update) -> None:
        """Write the update to the inbox (a redelivery is recognised and dropped),
        then queue it behind its chat's earlier updates."""
        user = update.effective_user
        entry_id = await self.runtime.inbox.record(
            PLATFORM,
            str(update.update_id),
            update.to_json(),
            at=self.runtime.clock.now(),
            user_key=str(user.id) if user else None,
        )
        if entry_id is not None:
            self._fresh.add(entry_id)
            self._enqueue(entry_id, update)

    async def _replay(self) -> None:
        for entry in await self.runtime.inbox.pending(PLATFORM):
            if entry.attempts >= MAX_ATTEMPTS:
                log.error("update %s failed %d times; set aside", entry.update_id, entry.attempts)
                await self.runtime.inbox.fail(entry.id, at=self.runtime.clock.now())
                continue
            try:
                update = Update.de_json(json.loads(entry.payload), self.bot)
            except Exception:
                log.exception("unreadable inbox entry %s; set aside", entry.id)
                await self.runtime.inbox.fail(entry.id, at=self.runtime.clock.now())
                continue
            self._enqueue(entry.id, update)
        if self._queues:
            count = sum(map(len, self._queues.values()))
            log.info("replaying %d pending Telegram update(s)", count)

    async def _say_storage_is_full(self, updates: Sequence[Update], error: Exception) -> None:
        """A full disk keeps messages waiting at Telegram until there is room (nothing
        is lost), but the person should not think they are ignored: one short note
        per private chat and hour. Other storage errors just retry quietly."""
        if not _is_disk_full(error):
            return
        now = time.monotonic()
        for update in updates:
            chat = update.effective_chat
            if chat is None or chat.type != "private":
                continue
            if now - self._told_full.get(chat.id, -FULL_NOTE_EVERY) < FULL_NOTE_EVERY:
                continue
            self._told_full[chat.id] = now
            with contextlib.suppress(TelegramError):
                await self.bot.send_message(chat.id, STORAGE_FULL_NOTE)

    def _enqueue(self, entry_id: int, update: Update) -> None:
        key = chat_id_of(update) or f"update-{update.update_id}"
        queue = self._queues.setdefault(key, deque())
        queue.append((entry_id, update))
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._chat_worker(key))

    async def _chat_worker(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue and not self._stopping.is_set():
                entry_id, update = queue.popleft()
                try:
                    await self._process(entry_id, update)
                except Exception:
                    log.exception("update %s could not be handled", update.update_id)
        finally:
            # No await between the last check and here: nothing can slip in unseen.
            self._queues.pop(key, None)
            self._workers.pop(key, None)

    async def _sweep_forever(self) -> None:
        """Several workers share the inbox: take over updates whose worker died
        mid-message (their lease ran out). Claiming decides who gets each one."""
        period = max(self.lease.total_seconds() / 2, 0.2)
        while not self._stopping.is_set():
            await self._sleep_or_stop(period)
            try:
                stale = await self.runtime.inbox.pending(
                    PLATFORM, older_than=self.lease, now=self.runtime.clock.now()
                )
            except Exception:
                log.exception("inbox sweep failed; trying again later")
                continue
            queued = {entry for queue in self._queues.values() for entry, _ in queue}
            for entry in stale:
                if entry.id in queued:
                    continue
                with contextlib.suppress(Exception):
                    self._enqueue(entry.id, Update.de_json(json.loads(entry.payload), self.bot))

    async def _wait_for_earlier(self, entry_id: int, update: Update) -> None:
        """Across workers, one person's messages go in order: wait (up to a lease)
        while another worker still handles an older one of theirs."""
        user = update.effective_user
        if not self.shared_inbox or user is None:
            return  # one process: the per-chat queue already keeps the order
        waited, step = 0.0, 0.05
        while waited < self.lease.total_seconds() and await self.runtime.inbox.earlier_unfinished(
            entry_id, PLATFORM, str(user.id)
        ):
            await asyncio.sleep(step)
            waited += step
            step = min(step * 2, 1.0)

    async def _process(self, entry_id: int, update: Update) -> None:
        inbox, clock = self.runtime.inbox, self.runtime.clock
        await self._wait_for_earlier(entry_id, update)
        if not await inbox.claim(entry_id, self.worker, at=clock.now(), lease=self.lease):
            return  # finished, or being handled, elsewhere
        msg = to_incoming(update, self.info, self._fetch_file)
        if msg is None or not (msg.channel.is_private or msg.addressed):
            # Ignored kinds, and group talk not meant for the bot: nothing to answer
            # (not even the refusal the core gives people who are not allowed).
            await inbox.done(entry_id, at=clock.now())
            return
        chat_id = msg.channel.chat_id
        group = not msg.channel.is_private
        # Only a replayed entry can have replies saved before a crash.
        fresh = entry_id in self._fresh
        self._fresh.discard(entry_id)
        saved = None if fresh else await self.replies.get(entry_id)
        if not fresh:
            msg = dataclasses.replace(msg, replayed=True)
        if saved is not None:
            replies, sent = saved  # the core answered before a crash: send the rest
        else:
            sent = 0
            try:
                replies = await self._ask_core(update, msg)
            except Exception:
                log.exception("the core failed on update %s", update.update_id)
                await inbox.fail(entry_id, at=clock.now())  # never asked again
                with contextlib.suppress(DeliveryError):
                    sorry = OutgoingMessage(text="Sorry, something went wrong on my side.")
                    await self._deliver(chat_id, sorry, group=group)
                return
            await self.replies.save(entry_id, replies, at=clock.now())
        status = "done"
        try:
            for index in range(sent, len(replies)):
                await self._deliver(chat_id, replies[index], group=group)
                if index + 1 < len(replies):
                    await self.replies.mark_sent(entry_id, index + 1)
        except DeliveryError as exc:
            if exc.permanent:
                await self.runtime.people.set_unreachable(msg.identity)
                log.info("a Telegram user blocked the bot; marked unreachable")
            elif exc.never_sent:
                # Saved and surely not sent (our pool was full, Telegram unreachable):
                # the entry stays pending and the rest is sent later, not dropped.
                log.warning(
                    "reply to update %s not sent yet (%s); trying again", update.update_id, exc
                )
                self._again_later(entry_id, update)
                return
            else:
                log.error("reply to update %s not delivered: %s", update.update_id, exc)
                status = "failed"
        self._resend_delays.pop(entry_id, None)
        await self.replies.close(entry_id, status=status, at=clock.now())

    def _again_later(self, entry_id: int, update: Update) -> None:
        """Queue the entry again after a pause that doubles each time (up to 10 min)."""
        delay = self._resend_delays.get(entry_id, self.tuning.resend_after)
        self._resend_delays[entry_id] = min(delay * 2, 600.0)

        async def later() -> None:
            await self._sleep_or_stop(delay)
            if not self._stopping.is_set():
                self._enqueue(entry_id, update)  # saved replies: only the rest is sent

        task = asyncio.create_task(later())
        self._pending_resends.add(task)
        task.add_done_callback(self._pending_resends.discard)

    async def _ask_core(self, update: Update, msg: IncomingMessage) -> list[OutgoingMessage]:
        assert self._handler is not None
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):  # an old query after a restart
                await update.callback_query.answer()
        async with self._typing(msg.channel.chat_id):
            return await self._handler(msg)

    @contextlib.asynccontextmanager
    async def _typing(self, chat_id: str) -> AsyncIterator[None]:
        """ "typing..." for as long as the core works (Telegram shows it for ~5 s)."""

        async def keep_typing() -> None:
            # A quick answer needs no indicator: one HTTP call saved per message.
            await asyncio.sleep(self.tuning.typing_delay)
            while True:
                # With a backlog the indicator is skipped: one more Telegram call per
                # waiting message would slow every answer further.
                if not self.runtime.companion.gate.backlog:
                    await _uncancelled(self.bot.send_chat_action(chat_id, ChatAction.TYPING))
                await asyncio.sleep(self.tuning.typing_interval)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _fetch_file(self, file_id: str, size: int | None) -> bytes:
        return await download_file(self.bot, file_id, size, retry=self._call_idempotent)

    # ------------------------------------------------------------------ webhook

    async def _serve_webhook(self) -> None:
        assert self.webhook_url is not None
        path = urlsplit(self.webhook_url).path or "/"
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post(path, self._webhook_request)
        self._webhook_runner = web.AppRunner(app, access_log=None)
        await self._webhook_runner.setup()
        site = web.TCPSite(self._webhook_runner, self.webhook_listen, self.webhook_port)
        await site.start()
        server = site._server
        if server is not None and server.sockets:  # type: ignore[attr-defined]
            self.webhook_port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        await self._call_idempotent(
            lambda: self.bot.set_webhook(
                self.webhook_url or "",
                secret_token=self.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        )
        log.info("Telegram webhook on %s:%s%s", self.webhook_listen, self.webhook_port, path)
        await self._stopping.wait()

    async def _webhook_request(self, request: web.Request) -> web.Response:
        """Telegram's POST. The secret header is checked on every request; the update
        is in the inbox before we answer 200 (an error makes Telegram send it again)."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.webhook_secret.encode()):
            log.warning("webhook request with a wrong secret token rejected")
            return web.Response(status=403, text="forbidden")
        if self._stopping.is_set():
            return web.Response(status=503, text="stopping")
        try:
            update = Update.de_json(await request.json(), self.bot)
        except Exception:
            return web.Response(status=400, text="not an update")
        try:
            await self._receive(update)
        except Exception as exc:
            log.exception("could not record webhook update %s", update.update_id)
            await self._say_storage_is_full([update], exc)
            return web.Response(status=500, text="try again")
        return web.Response(text="ok")

    # ------------------------------------------------------------------ sending

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        """A proactive message to a person's private chat (its id is the user id)."""
        try:
            await self._deliver(identity.platform_user_id, message, group=False)
        except DeliveryError as exc:
            if exc.permanent:
                await self.runtime.people.set_unreachable(identity)
            raise

    async def _deliver(self, chat_id: str, message: OutgoingMessage, *, group: bool) -> None:
        markup = _keyboard(message.buttons)
        has_file = message.voice is not None or message.document is not None
        caption: str | None = None
        pieces = split_text(message.text)
        if has_file and len(pieces) == 1 and utf16_len(to_html(pieces[0])) <= CAPTION_LIMIT:
            caption, pieces = pieces[0], []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1 and not has_file
            await self._send_text(chat_id, piece, markup if last else None, group=group)
        if message.voice is not None:
            voice = message.voice
            await self._send_with_caption(
                chat_id,
                caption,
                lambda text, mode: self.bot.send_voice(
                    chat_id,
                    voice=voice,
                    caption=text,
                    parse_mode=mode,
                    reply_markup=markup if message.document is None else None,
                ),
                group=group,
            )
            caption = None
        if message.document is not None:
            document = InputFile(message.document, filename=message.document_name or "file")
            await self._send_with_caption(
                chat_id,
                caption,
                lambda text, mode: self.bot.send_document(
                    chat_id, document=document, caption=text, parse_mode=mode, reply_markup=markup
                ),
                group=group,
            )

    async def _send_text(
        self, chat_id: str, text: str, markup: InlineKeyboardMarkup | None, *, group: bool
    ) -> None:
        await self._send_with_caption(
            chat_id,
            text,
            lambda body, mode: self.bot.send_message(
                chat_id, body or "", parse_mode=mode, reply_markup=markup
            ),
            group=group,
        )

    async def _send_with_caption(
        self,
        chat_id: str,
        text: str | None,
        send: Callable[[str | None, str | None], Awaitable[Any]],
        *,
        group: bool,
    ) -> None:
        """HTML first; if Telegram rejects the markup (400), the same words in plain
        text. A 400 means nothing was sent, so this is no double."""
        if text is None:
            await self._call_send(chat_id, lambda: send(None, None), group=group)
            return
        try:
            await self._call_send(chat_id, lambda: send(to_html(text), ParseMode.HTML), group=group)
        except BadRequest as exc:
            if not _markup_error(exc):
                raise DeliveryError(f"Telegram refused the message: {exc}") from exc
            log.warning("Telegram rejected our HTML (%s); sending plain text", exc)
            try:
                await self._call_send(chat_id, lambda: send(to_plain(text), None), group=group)
            except BadRequest as plain_exc:
                raise DeliveryError(f"Telegram refused the message: {plain_exc}") from plain_exc

    async def _call_send(self, chat_id: str, call: Callable[[], Awaitable[T]], *, group: bool) -> T:
        """One send, within the limits. 429: wait ``retry_after`` and try again.
        Connect and pool errors: the request never left, so retry. A timeout after
        sending is ambiguous: Telegram may have delivered it, so never resend."""
        backoff = self.tuning.retry_backoff
        for _attempt in range(self.tuning.max_send_attempts):
            await self.limiter.acquire(chat_id, group=group)
            try:
                return await call()
            except RetryAfter as exc:
                seconds = _seconds(exc.retry_after)
                log.info("Telegram asked us to wait %.0fs before writing to a chat", seconds)
                self.limiter.pause(chat_id, seconds)
            except Forbidden as exc:
                raise DeliveryError("the person blocked the bot", permanent=True) from exc
            except BadRequest:
                raise
            except NetworkError as exc:
                if not _never_sent(exc):
                    raise DeliveryError(
                        f"send failed and may have arrived; not resent ({exc})"
                    ) from exc
                log.warning("send failed before delivery (%s); retrying", exc)
                await asyncio.sleep(backoff)
                backoff *= 2
            except TelegramError as exc:
                raise DeliveryError(f"send failed: {exc}") from exc
        # Every attempt was refused before delivery (429s, connect or pool errors).
        raise DeliveryError("send still rate-limited or unreachable after retries", never_sent=True)

    async def _call_idempotent(self, call: Callable[[], Awaitable[T]]) -> T:
        """Calls that change nothing when repeated (getMe, getFile, setMyCommands...):
        retried on any network or server error."""
        backoff = self.tuning.retry_backoff
        for attempt in range(self.tuning.max_send_attempts):
            try:
                return await call()
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
            except (Forbidden, InvalidToken, BadRequest):
                raise
            except NetworkError:
                if attempt == self.tuning.max_send_attempts - 1:
                    raise
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
        return await call()


def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows if row]
    )


def _markup_error(exc: BadRequest) -> bool:
    text = str(exc).lower()
    return "parse" in text or "entit" in text or "tag" in text


def _never_sent(exc: NetworkError) -> bool:
    """Safe to send again: the request never left (connect and pool errors), or the
    server answered with a 5xx status, saying it did not take the message. Only a
    timeout after sending is ambiguous: it may have arrived."""
    cause = exc.__cause__
    if isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return True
    if isinstance(exc, TimedOut):
        return "Pool timeout" in str(exc)
    # python-telegram-bot raises a bare NetworkError for an HTTP 5xx answer; transport
    # failures carry the httpx error as their cause.
    return not isinstance(cause, httpx.TransportError)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _is_disk_full(error: BaseException) -> bool:
    """SQLite says "database or disk is full"; the OS says ENOSPC; PostgreSQL says
    "could not extend file ... No space left on device"."""
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


_unwaited: set[asyncio.Future[object]] = set()


async def _uncancelled(call: Awaitable[object]) -> None:
    """Await a request that the caller may stop waiting for, without cancelling it:
    a request cancelled while httpcore's pool is busy can leak its connection slot for
    good (encode/httpcore#1093), and enough leaks leave no room for the replies."""
    task = asyncio.ensure_future(call)
    _unwaited.add(task)  # a task nobody references may be collected mid-flight
    task.add_done_callback(_unwaited.discard)
    # Failures of a call nobody waits for any more are not worth a warning.
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    with contextlib.suppress(TelegramError):
        await asyncio.shield(task)
