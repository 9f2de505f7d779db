"""The Telegram channel: receive, convert, render and send. The inbox cycle (record,
claim, per-person order, handle, save replies, send, done, replay, sweep) is the
core's (bot/inbox_path.py); this module only speaks Telegram.

We drive getUpdates ourselves rather than use python-telegram-bot's Application:
PTB confirms an update (advances the offset, or answers the webhook) as soon as it
is queued, so a crash would lose it. Here a batch is written to the inbox first; only
then is its offset passed to Telegram (or the webhook answered 200). Updates are read
one by one from the raw JSON: one that the library cannot parse is kept raw for the
operator and skipped past, and never stops the others (PTB parses a whole batch at
once, and one bad update would raise for all of them)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
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

from adapters.telegram.convert import PLATFORM, BotInfo, to_incoming
from adapters.telegram.files import download_file
from adapters.telegram.limits import Limits, RateLimiter
from adapters.telegram.render import CAPTION_LIMIT, split_text, to_html, to_plain, utf16_len
from adapters.telegram.transport import SendingRequest
from bot.channel import ChannelRefused, DeliveryError, Handler
from bot.inbox_path import (
    STORAGE_FULL_NOTE,
    Arrival,
    FullDiskNotes,
    Inbound,
    InboxPath,
    storage_full,
)
from bot.logs import register_secret
from bot.runtime import Runtime
from bot.types import Button, Capabilities, Identity, OutgoingMessage
from memory.inbox import InboxEntry

log = logging.getLogger(__name__)

T = TypeVar("T")
ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TOKEN_SETTING = "COMPANION_TELEGRAM_TOKEN"
# Connections for sending (getUpdates has its own). Telegram takes about 30 messages
# a second from a bot; eight connections carry that with up to a quarter of a second
# per round trip. More cost CPU on every send: httpcore checks each idle connection
# before and after each request (bench: 2.0 ms of CPU per send with 16, 1.5 with 8).
SEND_POOL = 8


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


class _Stopped(Exception):
    """Start-up was interrupted by ``stop`` (SIGTERM during a reconnect)."""


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
            raise ValueError(f"{TOKEN_SETTING} is not set")
        self.runtime = runtime
        self.tuning = tuning or Tuning()
        token = settings.telegram_token.get_secret_value()
        base_url = settings.telegram_api_url
        self.bot = Bot(
            token,
            base_url=base_url,
            base_file_url=file_url_for(base_url),
            request=SendingRequest(
                connection_pool_size=SEND_POOL,
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
        # Sends wait for a free connection here, not inside httpcore's pool: the pool
        # scans every queued request at each hand-over, so with hundreds of replies
        # ready at once it spent more CPU than the sends (and queued ones time out).
        self._pool_slots = asyncio.Semaphore(SEND_POOL)
        self.path = InboxPath(runtime, self, resend_after=self.tuning.resend_after)
        self.replies = self.path.replies
        self.info = BotInfo(0, None, self.group_mode)
        self._stopping = asyncio.Event()
        self._finished = asyncio.Event()
        self._running = False
        self._webhook_runner: web.AppRunner | None = None
        self._side: set[asyncio.Task[None]] = set()
        self._full_notes = FullDiskNotes()

    # ------------------------------------------------------------------ lifecycle

    async def start(self, handler: Handler) -> None:
        """Runs until ``stop``: replays what a crash left pending, then polls (or
        serves the webhook). Returns after in-flight work has finished. Raises
        :class:`ChannelRefused` for a rejected token; other start-up failures (the
        Bot API unreachable) raise as they are, for the caller to retry."""
        self._running = True
        self._finished.clear()
        try:
            try:
                # Once: if Telegram is unreachable, the channel's supervisor tries
                # again with a back-off and says so (adapters/channels.py).
                await self._unless_stopped(self.bot.initialize())
            except InvalidToken:
                raise ChannelRefused("Telegram", TOKEN_SETTING) from None
            self.info = BotInfo(self.bot.id, self.bot.username, self.group_mode)
            # The command menu is a nicety: never wait for it before receiving.
            self._spawn(self._register_commands())
            await self.path.start(handler)
            if self.webhook_url:
                await self._serve_webhook()
            else:
                await self._unless_stopped(self._call_idempotent(self.bot.delete_webhook))
                await self._poll()
        except _Stopped:
            pass
        finally:
            for task in list(self._side):
                task.cancel()
            await asyncio.gather(*self._side, return_exceptions=True)
            await self.path.stop()
            if self._webhook_runner is not None:
                await self._webhook_runner.cleanup()
                self._webhook_runner = None
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

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._side.add(task)
        task.add_done_callback(self._side.discard)

    async def _unless_stopped(self, work: Awaitable[T]) -> T:
        """Start-up work that ``stop`` must be able to interrupt (a connect back-off)."""
        task = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait([task, stop], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            raise _Stopped
        return task.result()

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
                fetch = asyncio.create_task(self._get_updates(offset))
                await asyncio.wait([fetch, stop_wait], return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    # Not confirmed: what this call would have returned comes again.
                    fetch.cancel()
                    with contextlib.suppress(BaseException):
                        await fetch
                    break
                try:
                    raw = fetch.result()
                except RetryAfter as exc:
                    await self._sleep_or_stop(_seconds(exc.retry_after))
                    continue
                except (InvalidToken, Forbidden):
                    raise ChannelRefused("Telegram", TOKEN_SETTING) from None
                except TelegramError as exc:
                    log.warning("getUpdates failed (%s); retrying in %.0fs", exc, backoff)
                    await self._sleep_or_stop(backoff)
                    backoff = min(backoff * 2, 30.0)
                    continue
                backoff = self.tuning.retry_backoff
                arrivals = [a for a in map(self._arrival, raw) if a is not None]
                try:
                    await self.path.receive(arrivals)
                except Exception as exc:
                    # Not recorded: keep the offset here so Telegram sends them again.
                    log.exception("could not record %d update(s)", len(arrivals))
                    await self._say_storage_is_full(arrivals, exc)
                    await self._sleep_or_stop(backoff)
                    continue
                ids = [u["update_id"] for u in raw if _update_id(u) is not None]
                if ids:
                    offset = max(ids) + 1
        finally:
            stop_wait.cancel()

    async def _get_updates(self, offset: int | None) -> list[Any]:
        """getUpdates, unparsed: each update is read on its own (see the module
        docstring). PTB's ``_post`` is the request ``get_updates`` itself makes, minus
        the parsing of the whole batch at once."""
        data: dict[str, Any] = {
            "timeout": int(self.tuning.poll_timeout),
            "offset": offset,
            "allowed_updates": ALLOWED_UPDATES,
        }
        result = await self.bot._post(
            "getUpdates", data, read_timeout=self.tuning.poll_timeout + 10
        )
        return result if isinstance(result, list) else []

    def _arrival(self, raw: Any) -> Arrival | None:
        """One raw update for the inbox, or None when it is not an update at all."""
        update_id = _update_id(raw)
        if update_id is None:
            log.warning("a Telegram update without a valid update_id was skipped")
            return None
        payload = json.dumps(raw)
        try:
            update = Update.de_json(raw, self.bot)
            msg = to_incoming(update, self.info, self._fetch_file)
        except Exception as exc:
            # A field this library version cannot read, a type it does not know...:
            # kept raw for the operator (within the retention), and skipped past.
            log.warning(
                "Telegram update %s could not be read (%s: %s); skipped",
                update_id,
                type(exc).__name__,
                str(exc)[:200],
            )
            return Arrival.not_readable(str(update_id), payload, _sender(raw))
        return Arrival.of(str(update_id), payload, msg, update)

    async def _sleep_or_stop(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _say_storage_is_full(self, arrivals: Sequence[Arrival], error: Exception) -> None:
        """One short note per private chat and hour while the disk is full (other
        storage errors just retry quietly)."""
        if not storage_full(error):
            return
        for arrival in arrivals:
            if arrival.inbound is None:
                continue
            channel = arrival.inbound.message.channel
            if channel.is_private and self._full_notes.due(channel.chat_id):
                with contextlib.suppress(TelegramError):
                    await self.bot.send_message(channel.chat_id, STORAGE_FULL_NOTE)

    # ------------------------------------------------------------------ the inbox path's side

    async def rebuild(self, entry: InboxEntry) -> Inbound | None:
        """The message again from the raw update recorded (replay, take-over)."""
        update = Update.de_json(json.loads(entry.payload), self.bot)
        msg = to_incoming(update, self.info, self._fetch_file)
        return Inbound(msg, update) if msg is not None else None

    async def deliver(self, inbound: Inbound, reply: OutgoingMessage) -> None:
        channel = inbound.message.channel
        await self._deliver(channel.chat_id, reply, group=not channel.is_private)

    @contextlib.asynccontextmanager
    async def working(self, inbound: Inbound) -> AsyncIterator[None]:
        """While the core works: the button press acknowledged, "typing..." shown."""
        update = inbound.native
        if isinstance(update, Update) and update.callback_query is not None:
            with contextlib.suppress(TelegramError):  # an old query after a restart
                await update.callback_query.answer()
        async with self._typing(inbound.message.channel.chat_id):
            yield

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
                    async with self._pool_slots:  # not after the answer if none is free
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
        await self._unless_stopped(
            self._call_idempotent(
                lambda: self.bot.set_webhook(
                    self.webhook_url or "",
                    secret_token=self.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
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
            raw = await request.json()
        except Exception:
            return web.Response(status=400, text="not an update")
        arrival = self._arrival(raw)
        if arrival is None:
            return web.Response(status=400, text="not an update")
        try:
            await self.path.receive([arrival])
        except Exception as exc:
            log.exception("could not record webhook update %s", arrival.update_id)
            await self._say_storage_is_full([arrival], exc)
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
        has_file = has_file or message.image is not None
        caption: str | None = None
        pieces = split_text(message.text)
        if has_file and len(pieces) == 1 and utf16_len(to_html(pieces[0])) <= CAPTION_LIMIT:
            caption, pieces = pieces[0], []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1 and not has_file
            await self._send_text(chat_id, piece, markup if last else None, group=group)
        if message.image is not None:  # a chart (sendPhoto); the words are its caption
            photo = InputFile(message.image, filename="picture.png")
            alone = message.voice is None and message.document is None
            await self._send_with_caption(
                chat_id,
                caption,
                lambda text, mode: self.bot.send_photo(
                    chat_id,
                    photo,
                    caption=text,
                    parse_mode=mode,
                    reply_markup=markup if alone else None,
                ),
                group=group,
            )
            caption = None
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
                return await self._in_pool(call, chat_id)
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

    async def _in_pool(self, call: Callable[[], Awaitable[T]], chat_id: str) -> T:
        async with self._pool_slots:
            self.limiter.sent(chat_id)  # after any wait for a connection
            return await call()

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


def _update_id(raw: Any) -> int | None:
    if not isinstance(raw, dict):
        return None
    value = raw.get("update_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sender(raw: dict[str, Any]) -> str | None:
    """Best effort, from an update the library could not read: who sent it (so the
    allow-list and /deleteme apply to what is kept of it)."""
    for kind in ("message", "callback_query", "edited_message"):
        body = raw.get(kind)
        if isinstance(body, dict):
            sender = body.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return str(sender["id"])
    return None


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
