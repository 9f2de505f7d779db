"""The Discord channel (discord.py 2.6).

Runs beside the other channels in one event loop (``login`` and ``connect`` in a
task, never ``client.run``). Asks only for the intents it uses: direct messages and
server messages (no privileged message-content intent: Discord includes the text of
DMs and of messages that mention the bot). Every send passes
``AllowedMentions.none()``, so nothing the companion says can ping anyone.

Each message is recorded in the durable inbox before it is handled (only its ids:
the text stays on Discord and is fetched again if the entry is replayed). Discord
does not redeliver gateway events, so after every (re)connect each known DM chat's
history is read for what was missed (adapters/discord/catchup.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import io
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import yarl
from discord.http import Route, handle_message_parameters

from adapters.discord import render
from adapters.discord.catchup import CatchUp
from adapters.discord.convert import PLATFORM, is_private, to_incoming
from adapters.discord.voice import VoiceFile
from bot.channel import DeliveryError, Handler
from bot.clock import Clock, SystemClock
from bot.locks import KeyedLocks
from bot.types import Capabilities, ChannelRef, Identity, IncomingMessage, OutgoingMessage
from memory.channel_cursors import ChannelCursors
from memory.inbox import DEFAULT_LEASE, Inbox

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_UPLOAD = 10 * 1024 * 1024  # what a bot may attach without boosts
TYPING_EVERY = 8.0  # Discord shows "typing" for about 10 s
MAX_ATTEMPTS = 3
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
TOKEN_VARIABLE = "COMPANION_DISCORD_TOKEN"
# Gateway close codes after which reconnecting cannot help (discord.py re-raises them).
REJECTED_CLOSE_CODES = {4004: "authentication failed", 4013: "invalid intents"}


class DiscordTokenRejected(RuntimeError):
    """Fatal at start: Discord refused the token (retrying will not help)."""

    setting = TOKEN_VARIABLE


class DiscordUnavailable(ConnectionError):
    """Discord could not be reached at start (network, 5xx, gateway down): try again
    later, with a back-off."""


def intents() -> discord.Intents:
    """Only what the companion uses; message_content stays off (privileged)."""
    wanted = discord.Intents.none()
    wanted.guilds = True  # know the servers and channels it is in
    wanted.dm_messages = True
    wanted.guild_messages = True  # mentions in servers (their text comes without the intent)
    return wanted


class CoreButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"c\|(?P<data>.{1,64})",
):
    """A core button. Its data lives in the custom id, so presses route after a
    restart too (discord.py rebuilds the item from the id)."""

    def __init__(self, label: str, data: str, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=(label or "•")[:80],
                custom_id=f"c|{data}",
                style=discord.ButtonStyle.secondary,
            ),
            row=row,
        )
        self.data = data

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button[discord.ui.View],
        match: Any,
        /,
    ) -> CoreButton:
        return cls(item.label or "", match["data"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        client = interaction.client
        if isinstance(client, CompanionClient):
            await client.channel.on_button(interaction, self.data)


def build_view(rows: tuple[tuple[Any, ...], ...]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for index, row in enumerate(rows[:5]):  # Discord: 5 rows of 5 buttons
        for button in row[:5]:
            view.add_item(CoreButton(button.label, button.data, row=index))
    return view


def nonce_for(key: str, part: int) -> str:
    """Discord's send nonce (at most 25 characters) for part ``part`` of the message
    with idempotency key ``key``: sent again within a few minutes (a retry after a
    crash), Discord returns the first message instead of posting a second."""
    return hashlib.blake2b(f"{key}#{part}".encode(), digest_size=12).hexdigest()


class CompanionClient(discord.Client):
    def __init__(self, channel: DiscordChannel, **options: Any) -> None:
        super().__init__(**options)
        self.channel = channel

    async def setup_hook(self) -> None:
        self.add_dynamic_items(CoreButton)

    async def on_connect(self) -> None:
        # READY: a new gateway session. Whatever was sent meanwhile is not replayed.
        log.info("Discord: connected as %s", self.user)
        self.channel.connected()

    async def on_resumed(self) -> None:
        log.info("Discord: connection resumed")
        self.channel.connected()

    async def on_disconnect(self) -> None:
        if self.channel.catchup is not None:
            self.channel.catchup.forget()

    async def on_message(self, message: discord.Message) -> None:
        await self.channel.on_message(message)


class DiscordChannel:
    platform = PLATFORM
    capabilities = Capabilities(
        max_length=render.MAX_LENGTH, formatting=True, buttons=True, voice=True, documents=True
    )

    def __init__(
        self,
        token: str,
        *,
        inbox: Inbox | None = None,
        clock: Clock | None = None,
        group_mode: str = "mention",
        runtime: Runtime | None = None,
        api_url: str | None = None,
        worker: str | None = None,
        lease: timedelta | None = None,
        shared_inbox: bool = False,
    ) -> None:
        self._token = token
        self.inbox = inbox if inbox is not None else (runtime.inbox if runtime else None)
        self.clock = clock or (runtime.clock if runtime else SystemClock())
        self.group_mode = group_mode
        settings = runtime.settings if runtime is not None else None
        self.api_url = api_url or (settings.discord_api_url if settings else None)
        # Stable across restarts of one process (it takes its own unfinished work back
        # at once); unique per process when several workers share the inbox.
        self.worker = worker or (runtime.worker_id if runtime else "discord")
        if lease is None:
            lease = timedelta(seconds=settings.inbox_lease_seconds) if settings else DEFAULT_LEASE
        self.lease = lease
        self.shared_inbox = shared_inbox or (settings is not None and settings.role == "worker")
        db = runtime.db if runtime else (self.inbox.db if self.inbox else None)
        self.cursors = ChannelCursors(db) if db is not None else None
        self.catchup = CatchUp(self.cursors) if self.cursors is not None else None
        if runtime is not None and self.cursors is not None:
            runtime.personal_data("discord_chats", self._export_chats, self._erase_chats)
        self._runtime = runtime
        self.client = self._new_client()
        self._handler: Handler | None = None
        self._inflight: set[asyncio.Task[Any]] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._order = KeyedLocks()  # server messages: per author
        self._held: set[int] = set()  # inbox entries this process is handling
        self._replayed = False
        self._stopping = asyncio.Event()

    def _new_client(self) -> CompanionClient:
        return CompanionClient(
            self, intents=intents(), allowed_mentions=discord.AllowedMentions.none()
        )

    # ------------------------------------------------------------------ lifecycle

    def attach(self, handler: Handler) -> None:
        self._handler = handler

    async def start(self, handler: Handler) -> None:
        """Log in and listen until ``stop``; discord.py reconnects (and resumes) by
        itself once connected. Raises DiscordTokenRejected (fatal) or
        DiscordUnavailable (try again later) when it cannot get that far."""
        self.attach(handler)
        self._stopping.clear()
        if self.client.is_closed():
            self.client = self._new_client()  # a closed discord.py client cannot log in again
        try:
            await self._login()
            connect = asyncio.create_task(self.client.connect(reconnect=True))
            stopping = asyncio.create_task(self._stopping.wait())
            try:
                await asyncio.wait([connect, stopping], return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopping.cancel()
            if not connect.done():
                # stop(): discord.py may be asleep in a reconnect back-off; do not wait it out.
                await self.client.close()
                with suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(asyncio.shield(connect), 2.0)
                connect.cancel()
                with suppress(BaseException):
                    await connect
                return
            self._raise_for(connect)
        finally:
            await self._quiet_close()

    async def _login(self) -> None:
        if self.api_url:
            # discord.py keeps its REST base in a class attribute: one Discord per process.
            Route.BASE = self.api_url.rstrip("/")
        try:
            await self.client.login(self._token)
            if self.api_url:
                _shards, url, _limits = await self.client.http.get_bot_gateway()
                discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        except discord.LoginFailure as exc:
            log.error("Discord rejected the token: check %s", TOKEN_VARIABLE)
            raise DiscordTokenRejected(
                f"Discord rejected the bot token: check {TOKEN_VARIABLE}"
            ) from exc
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise DiscordUnavailable(f"cannot reach Discord: {_describe(exc)}") from exc

    def _raise_for(self, connect: asyncio.Task[None]) -> None:
        """Turn how ``connect`` ended into the channel's two kinds of failure."""
        exc = connect.exception()
        if exc is None:
            return
        if isinstance(exc, discord.ConnectionClosed) and exc.code in REJECTED_CLOSE_CODES:
            reason = REJECTED_CLOSE_CODES[exc.code]
            log.error("Discord closed the gateway (%s): check %s", reason, TOKEN_VARIABLE)
            raise DiscordTokenRejected(
                f"Discord refused the gateway connection ({reason}): check {TOKEN_VARIABLE}"
            ) from exc
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            raise DiscordTokenRejected(
                "Discord requires a privileged intent the bot has not enabled"
            ) from exc
        if isinstance(exc, AttributeError) and self.client.ws is None:
            # discord.py 2.6: when its very first gateway connection fails, its retry
            # path reads the missing websocket's sequence. The gateway was unreachable.
            raise DiscordUnavailable("cannot reach Discord's gateway") from exc
        expected = (
            discord.ConnectionClosed,
            discord.GatewayNotFound,
            discord.HTTPException,
            aiohttp.ClientError,
            OSError,
            asyncio.TimeoutError,
        )
        if isinstance(exc, expected):
            raise DiscordUnavailable(f"lost Discord: {_describe(exc)}") from exc
        raise exc

    async def _quiet_close(self) -> None:
        with suppress(Exception):
            await self.client.close()

    async def stop(self) -> None:
        """Stop listening, let what is being handled finish, then close."""
        self._stopping.set()
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.idle()
        await self._quiet_close()

    async def idle(self) -> None:
        """Wait for messages being handled (shutdown, and tests)."""
        while self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)

    @asynccontextmanager
    async def _tracked(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def connected(self) -> None:
        """A gateway session began or resumed: finish what an earlier run left
        (first time only), read what the DM chats got meanwhile, and in a shared
        inbox keep taking over what dead workers left."""
        if self.catchup is not None:
            self.catchup.forget()
        first = not self._replayed
        self._replayed = True
        self._spawn(self._after_connect(first))

    async def _after_connect(self, first: bool) -> None:
        if first:
            await self.replay()
            if self.shared_inbox:
                self._spawn(self._sweep_forever())
        await self.catch_up()

    # ------------------------------------------------------------------ personal data

    async def _users(self, person_id: int) -> list[tuple[str, str]]:
        assert self._runtime is not None
        return [
            (i.platform, i.platform_user_id)
            for i in await self._runtime.people.identities(person_id)
        ]

    async def _export_chats(self, person_id: int) -> list[dict[str, Any]]:
        assert self.cursors is not None
        return await self.cursors.export_for(await self._users(person_id))

    async def _erase_chats(self, person_id: int) -> None:
        assert self.cursors is not None
        await self.cursors.erase_for(await self._users(person_id))

    # ------------------------------------------------------------------ incoming

    async def on_message(self, message: discord.Message) -> None:
        if self._handler is None or self.client.user is None:
            return
        if message.author.bot or message.author.id == self.client.user.id:
            return  # its own messages and other bots' (before any lock or write)
        private = is_private(message.channel)
        async with self._tracked():
            if private and self.catchup is not None:
                channel_id = str(message.channel.id)
                async with self.catchup.hold(channel_id):
                    # Missed messages of this chat go in first: the inbox keeps their order.
                    await self.catchup.channel(self.client, channel_id, self._take_missed)
                    await self._take(message, live=True)
            else:
                async with self._order.hold(message.author.id):
                    await self._take(message, live=True)

    async def _take_missed(self, message: discord.Message) -> None:
        await self._take(message, live=False)

    async def _take(self, message: discord.Message, *, live: bool) -> None:
        """Record a message in the inbox, move the chat's cursor past it, then
        handle it (call with the chat's lock held: messages go in in order)."""
        assert self.client.user is not None
        incoming = to_incoming(message, bot_id=self.client.user.id, group_mode=self.group_mode)
        entry: int | None = None
        new = True
        private = is_private(message.channel)
        if incoming is not None:
            payload = {
                "kind": "message",
                "channel_id": message.channel.id,
                "message_id": message.id,
                "private": incoming.channel.is_private,
            }
            entry, new = await self._record(str(message.id), payload, incoming)
        if private and self.cursors is not None and (incoming is not None or not live):
            user_key = None if message.author.bot else str(message.author.id)
            await self.cursors.advance(
                PLATFORM,
                str(message.channel.id),
                message.id,
                user_key=user_key,
                at=self.clock.now(),
            )
        if incoming is None or not new:
            return
        await self._claim_and_process(entry, incoming, message.channel, answering=message)

    async def on_button(self, interaction: discord.Interaction, data: str) -> None:
        if self._handler is None or interaction.channel_id is None:
            return
        async with self._tracked():
            with suppress(discord.HTTPException):
                await interaction.response.defer()  # acknowledge within Discord's 3 s
            if interaction.guild_id is not None:
                # Buttons are only ever sent in DMs: in a server anyone could press them.
                log.info("ignoring a button press in a server channel")
                return
            incoming = IncomingMessage(
                identity=Identity(PLATFORM, str(interaction.user.id)),
                channel=ChannelRef(PLATFORM, str(interaction.channel_id), is_private=True),
                callback_data=data,
                display_name=interaction.user.display_name,
                message_id=str(interaction.id),
                sent_at=interaction.created_at,
            )
            payload = {
                "kind": "button",
                "channel_id": interaction.channel_id,
                "user_id": interaction.user.id,
                "name": interaction.user.display_name,
                "private": True,
                "data": data,
            }
            target = self.client.get_partial_messageable(
                interaction.channel_id, type=discord.ChannelType.private
            )
            async with (
                self.catchup.hold(str(interaction.channel_id)) if self.catchup else _nothing()
            ):
                entry, new = await self._record(f"i{interaction.id}", payload, incoming)
                if new:
                    await self._claim_and_process(entry, incoming, target)

    async def _record(
        self, update_id: str, payload: dict[str, Any], incoming: IncomingMessage
    ) -> tuple[int | None, bool]:
        """The inbox entry for this update, and whether it is new (a message seen
        live and in a chat's history, or by two workers, is recorded once)."""
        if self.inbox is None:
            return None, True
        entry = await self.inbox.record(
            PLATFORM,
            update_id,
            json.dumps(payload),
            at=self.clock.now(),
            user_key=incoming.identity.platform_user_id,
        )
        if entry is not None:
            self._held.add(entry)  # before any await: a replay must not take it too
        return entry, entry is not None

    async def _claim_and_process(
        self,
        entry: int | None,
        incoming: IncomingMessage,
        target: discord.abc.Messageable,
        answering: discord.Message | None = None,
    ) -> None:
        """Handle an entry just recorded (held by this process since) if this worker
        wins its claim (another live worker may hold it: then it is theirs)."""
        try:
            if entry is not None:
                assert self.inbox is not None
                now = self.clock.now()
                if not await self.inbox.claim(entry, self.worker, at=now, lease=self.lease):
                    return
            await self._process(incoming, target, entry, answering=answering)
        finally:
            if entry is not None:
                self._held.discard(entry)

    async def _process(
        self,
        incoming: IncomingMessage,
        target: discord.abc.Messageable,
        entry: int | None,
        answering: discord.Message | None = None,
    ) -> None:
        """Handle one update and send the replies: in a server as a Discord reply to
        the message that mentioned the bot, and without buttons (anyone there could
        press them)."""
        assert self._handler is not None
        failed = False
        async with self._typing(target):
            try:
                replies = await self._handler(incoming)
            except Exception:
                log.exception("handling a Discord message failed")
                replies, failed = [OutgoingMessage(text=SORRY)], True
        reference = None
        if not incoming.channel.is_private:
            replies = [replace(r, buttons=()) for r in replies]
            if answering is not None:
                reference = answering.to_reference(fail_if_not_exists=False)
        for index, reply in enumerate(replies):
            if entry is not None and reply.key is None:
                reply = replace(reply, key=f"discord-inbox:{entry}:{index}")
            try:
                await self._send_to(target, reply, reference=reference)
                reference = None  # only the first message is a reply
            except discord.HTTPException as exc:
                log.warning("Discord reply not delivered: %s %s", exc.status, exc.text)
        if self.inbox is not None and entry is not None:
            if failed:
                await self.inbox.fail(entry, at=self.clock.now())
            else:
                await self.inbox.done(entry, at=self.clock.now())

    @asynccontextmanager
    async def _typing(self, target: discord.abc.Messageable) -> AsyncIterator[None]:
        async def keep_typing() -> None:
            while True:
                with suppress(discord.HTTPException):
                    await target.typing()
                await asyncio.sleep(TYPING_EVERY)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    # ------------------------------------------------------------------ recovery

    async def catch_up(self) -> int:
        """Read every known DM chat's history for what arrived while the bot was not
        listening, and take it in (in order, once)."""
        if self.catchup is None or self._handler is None:
            return 0
        async with self._tracked():
            try:
                return await self.catchup.every_channel(self.client, self._take_missed)
            except Exception:
                log.exception("Discord catch-up failed; the next reconnect tries again")
                return 0

    async def replay(self, older_than: timedelta | None = None) -> None:
        """Handle what was recorded but not finished: at start what an earlier run
        of this worker left, in a shared inbox also what a dead worker left (its
        lease ran out). An entry another live worker holds is not taken."""
        if self.inbox is None or self._handler is None:
            return
        now = self.clock.now()
        pending = await self.inbox.pending(PLATFORM, older_than=older_than, now=now)
        for item in pending:
            if item.id in self._held:
                continue
            if item.attempts >= MAX_ATTEMPTS:
                log.error("Discord update %s failed %d times; set aside", item.id, item.attempts)
                await self.inbox.fail(item.id, at=self.clock.now())
                continue
            async with self._tracked():
                try:
                    payload = json.loads(item.payload)
                    await self._replay_one(item.id, payload)
                except discord.HTTPException as exc:
                    log.warning("could not fetch a pending Discord message: %s", exc.status)
                    if exc.status in (403, 404):
                        await self.inbox.fail(item.id, at=self.clock.now())

    async def _sweep_forever(self) -> None:
        period = max(self.lease.total_seconds() / 2, 0.2)
        while not self._stopping.is_set():
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=period)
            if self._stopping.is_set():
                return
            try:
                await self.replay(older_than=self.lease)
            except Exception:
                log.exception("Discord inbox sweep failed; trying again later")

    async def _replay_one(self, entry: int, payload: dict[str, Any]) -> None:
        assert self.client.user is not None and self.inbox is not None
        private = bool(payload.get("private"))
        channel_id = int(payload["channel_id"])
        target = self.client.get_partial_messageable(
            channel_id, type=discord.ChannelType.private if private else None
        )
        lock = self.catchup.hold(str(channel_id)) if private and self.catchup else _nothing()
        async with lock:
            if entry in self._held:
                return
            self._held.add(entry)
            try:
                now = self.clock.now()
                if not await self.inbox.claim(entry, self.worker, at=now, lease=self.lease):
                    return  # finished meanwhile, or a live worker holds it
                answering = None
                if payload.get("kind") == "button":
                    incoming: IncomingMessage | None = IncomingMessage(
                        identity=Identity(PLATFORM, str(payload["user_id"])),
                        channel=ChannelRef(PLATFORM, str(channel_id), is_private=private),
                        callback_data=str(payload["data"]),
                        display_name=payload.get("name"),
                    )
                else:
                    answering = await target.fetch_message(int(payload["message_id"]))
                    incoming = to_incoming(
                        answering, bot_id=self.client.user.id, group_mode=self.group_mode
                    )
                if incoming is None:
                    await self.inbox.done(entry, at=self.clock.now())
                    return
                incoming = dataclasses.replace(incoming, replayed=True)
                await self._process(incoming, target, entry, answering=answering)
            finally:
                self._held.discard(entry)

    # ------------------------------------------------------------------ outgoing

    async def send(self, identity: Identity, message: OutgoingMessage) -> None:
        """A proactive message to a person's DMs."""
        try:
            channel = await self.client.create_dm(discord.Object(id=int(identity.platform_user_id)))
            await self._send_to(channel, message)
        except (discord.Forbidden, discord.NotFound) as exc:
            # 50007: the person blocked the bot, left every shared server or closed DMs.
            reason = f"Discord refused: {exc.status} {exc.text}"
            raise DeliveryError(reason, permanent=True) from exc
        except discord.HTTPException as exc:
            raise DeliveryError(f"Discord error: {exc.status} {exc.text}") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise DeliveryError(f"Discord unreachable: {exc}") from exc

    async def _send_to(
        self,
        target: discord.abc.Messageable,
        out: OutgoingMessage,
        reference: discord.MessageReference | None = None,
    ) -> None:
        none = discord.AllowedMentions.none()  # replied_user too: a reply pings nobody
        chunks = render.render(out.text) if out.text.strip() else []
        view = build_view(out.buttons) if out.buttons else None
        files: list[discord.File] = []
        if out.document is not None:
            if len(out.document) > MAX_UPLOAD:
                chunks.append(
                    f"The file is too big for Discord ({len(out.document) // (1024 * 1024)} MB); "
                    "the console (`companion chat`) can save it instead."
                )
            else:
                name = out.document_name or "companion-export.json"
                files.append(discord.File(io.BytesIO(out.document), filename=name))
        if not chunks and (view is not None or files):
            chunks = [""]
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            extra: dict[str, Any] = {"files": files if last else []}
            if last and view is not None:
                extra["view"] = view
            if index == 0 and reference is not None:
                extra["reference"] = reference
            if out.key is not None:
                extra["nonce"] = nonce_for(out.key, index)
            await target.send(content=chunk or None, allowed_mentions=none, **extra)
        if out.voice is not None:
            await self._send_voice(target, out.voice)

    async def _send_voice(self, target: discord.abc.Messageable, audio: bytes) -> None:
        """As a Discord voice message (waveform, duration, the voice flag); as a plain
        audio file if Discord refuses that form."""
        none = discord.AllowedMentions.none()
        channel = await target._get_channel()
        params = handle_message_parameters(
            file=VoiceFile(audio),
            flags=discord.MessageFlags(voice=True),
            allowed_mentions=none,
        )
        try:
            with params:
                await self.client.http.send_message(channel.id, params=params)
        except discord.HTTPException as exc:
            if exc.status in (401, 403, 404, 429) or exc.status >= 500:
                raise
            log.info("voice message refused (%s); sending the audio as a file", exc.status)
            file = discord.File(io.BytesIO(audio), filename="reply.ogg")
            await target.send(file=file, allowed_mentions=none)


@asynccontextmanager
async def _nothing() -> AsyncIterator[None]:
    yield


def _describe(exc: BaseException) -> str:
    """An error in words for the log, without anything secret (no token is in
    discord.py's or aiohttp's messages; the URL is the API's)."""
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
