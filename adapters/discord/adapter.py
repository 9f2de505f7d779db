"""The Discord channel (discord.py 2.6) on the core's inbox path.

Runs beside the other channels in one event loop (``login`` and ``connect`` in a
task, never ``client.run``). Asks only for the intents it uses: direct messages and
server messages (no privileged message-content intent: Discord includes the text of
DMs and of messages that mention the bot). Every send passes
``AllowedMentions.none()``, so nothing the companion says can ping anyone.

The adapter converts, renders and sends; recording, claiming, ordering, replay and
take-over are the inbox path's (bot/inbox_path.py). Only ids go into the inbox (the
text stays on Discord and is fetched again when an entry is rebuilt). Discord does
not redeliver gateway events, so after every (re)connect each known DM chat's
history is read for what was missed (adapters/discord/catchup.py)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import yarl
from discord.http import Route, handle_message_parameters

from adapters.discord import render
from adapters.discord.catchup import CatchUp
from adapters.discord.convert import PLATFORM, is_private, to_incoming
from adapters.discord.voice import VoiceFile
from bot.channel import ChannelRefused, DeliveryError, Handler
from bot.inbox_path import (
    STORAGE_FULL_NOTE,
    Arrival,
    FullDiskNotes,
    Inbound,
    InboxPath,
    RebuildLater,
    storage_full,
)
from bot.types import Capabilities, ChannelRef, Identity, IncomingMessage, OutgoingMessage
from memory.channel_cursors import ChannelCursors
from memory.inbox import InboxEntry

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_UPLOAD = 10 * 1024 * 1024  # what a bot may attach without boosts
TYPING_EVERY = 8.0  # Discord shows "typing" for about 10 s
TOKEN_SETTING = "COMPANION_DISCORD_TOKEN"
RETRY_FIRST, RETRY_MAX = 2.0, 60.0  # seconds between tries to read a chat that failed
# Gateway close codes after which reconnecting cannot help (discord.py re-raises them).
REFUSED_CLOSE_CODES = {
    4004: "refused the bot token",
    4013: "refused the gateway intents",
    4014: "requires a privileged intent that is not enabled for the bot",
}


class DiscordUnavailable(ConnectionError):
    """Discord could not be reached (network, 5xx, gateway down): try again later,
    with a back-off. A rejected token is :class:`bot.channel.ChannelRefused`."""


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


@dataclass
class Where:
    """Where a message came from, to answer there (``Inbound.native``): the chat,
    and in a server the message to reply to (only the first reply quotes it)."""

    target: discord.abc.Messageable
    message: discord.Message | None = None
    quoted: bool = False


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
        runtime: Runtime,
        group_mode: str | None = None,
        api_url: str | None = None,
    ) -> None:
        settings = runtime.settings
        self._token = token
        self.runtime = runtime
        self.group_mode = group_mode or settings.discord_group_mode
        self.api_url = api_url or settings.discord_api_url
        self.path = InboxPath(runtime, self)
        self.cursors = ChannelCursors(runtime.db)
        self.catchup = CatchUp(self.cursors, runtime.inbox)
        # The rows themselves are exported and erased by the core (bot/inbox_path.py);
        # this process also forgets the chats it has cached.
        runtime.erasers.append(self._forget_chats)
        self.client = self._new_client()
        self._inflight: set[asyncio.Task[Any]] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._stopping = asyncio.Event()
        self._finished = asyncio.Event()
        self._running = False
        self._full_notes = FullDiskNotes()

    def _new_client(self) -> CompanionClient:
        return CompanionClient(
            self, intents=intents(), allowed_mentions=discord.AllowedMentions.none()
        )

    # ------------------------------------------------------------------ lifecycle

    async def start(self, handler: Handler) -> None:
        """Log in, take back what is pending, and listen until ``stop``; discord.py
        reconnects (and resumes) by itself once connected. Raises
        :class:`ChannelRefused` when Discord rejects the token (fatal) and
        :class:`DiscordUnavailable` when it cannot be reached (retry later)."""
        self._stopping.clear()
        self._finished.clear()
        self._running = True
        if self.client.is_closed():
            self.client = self._new_client()  # a closed discord.py client cannot log in again
        try:
            login = asyncio.create_task(self._login())
            if not await self._done_before_stop(login):
                await self._abandon(login)
                return
            login.result()
            await self.path.start(handler)  # replays what an earlier run left
            connect = asyncio.create_task(self.client.connect(reconnect=True))
            if await self._done_before_stop(connect):
                self._raise_for(connect)
                return
            # Stopping: answers being worked on go out first, then the connection closes
            # (without waiting out a reconnect back-off discord.py may be sleeping in).
            await self.path.stop()
            await self.idle()
            await self._abandon(connect, grace=2.0)
        finally:
            for task in list(self._background):
                task.cancel()
            await asyncio.gather(*self._background, return_exceptions=True)
            await self.path.stop()
            await self.idle()
            with suppress(Exception):
                await self.client.close()
            self._running = False
            self._finished.set()

    async def listen(self, handler: Handler) -> None:
        """Take messages without connecting (tests feed gateway payloads to a
        client logged in by hand): the inbox path runs, nothing is replayed twice."""
        await self.path.start(handler)

    async def stop(self) -> None:
        """Stop listening promptly (also while discord.py waits to reconnect); what
        is being handled finishes, what is queued stays pending for the next start."""
        self._stopping.set()
        if self._running:
            await self._finished.wait()
        else:  # listening without a connection (``listen``)
            await self.path.stop()
            await self.idle()

    async def idle(self) -> None:
        """Wait until what arrived is handled and answered (shutdown, and tests)."""
        while self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)
        await self.path.idle()

    async def _done_before_stop(self, task: asyncio.Task[Any]) -> bool:
        """Wait for start-up work: True when it ended (the caller reads how), False
        when ``stop`` came first."""
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait([task, stop], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        return task.done()

    async def _abandon(self, task: asyncio.Task[Any], grace: float = 0.0) -> None:
        """Close the client under unfinished start-up work, give it ``grace`` seconds
        to wind down, then cancel it."""
        with suppress(Exception):
            await self.client.close()
        if grace:
            with suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(task), grace)
        task.cancel()
        with suppress(BaseException):
            await task

    async def _login(self) -> None:
        if self.api_url:
            # discord.py keeps its REST base in a class attribute: one Discord per process.
            Route.BASE = self.api_url.rstrip("/")
        try:
            await self.client.login(self._token)
            if self.api_url:
                _shards, url, _limits = await self.client.http.get_bot_gateway()
                discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        except discord.LoginFailure:
            raise ChannelRefused("Discord", TOKEN_SETTING) from None
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise DiscordUnavailable(f"cannot reach Discord: {_describe(exc)}") from exc

    def _raise_for(self, connect: asyncio.Task[None]) -> None:
        """How ``connect`` ended, as the channel's two kinds of failure."""
        exc = connect.exception()
        if exc is None:
            return
        if isinstance(exc, discord.ConnectionClosed) and exc.code in REFUSED_CLOSE_CODES:
            raise ChannelRefused("Discord", TOKEN_SETTING, REFUSED_CLOSE_CODES[exc.code]) from None
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            raise ChannelRefused("Discord", TOKEN_SETTING, REFUSED_CLOSE_CODES[4014]) from None
        if isinstance(exc, AttributeError) and self.client.ws is None:
            # discord.py 2.6: when its very first gateway connection fails, its retry
            # path reads the missing websocket's sequence. The gateway was unreachable.
            raise DiscordUnavailable("cannot reach Discord's gateway") from exc
        expected = (
            TimeoutError,
            discord.ConnectionClosed,
            discord.GatewayNotFound,
            discord.HTTPException,
            aiohttp.ClientError,
            OSError,
        )
        if isinstance(exc, expected):
            raise DiscordUnavailable(f"lost Discord: {_describe(exc)}") from exc
        raise exc

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

    def connected(self) -> None:
        """A gateway session began or resumed: read what the DM chats got meanwhile."""
        self.catchup.forget()
        self._in_background(self.catch_up())

    def _in_background(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _pause(self, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _say_storage_is_full(self, target: discord.abc.Messageable, chat: str) -> None:
        """One short note per chat and hour while the disk is full: the message is not
        lost (it is in the chat's history), but the person should not feel ignored."""
        if self._full_notes.due(chat):
            with suppress(discord.HTTPException, aiohttp.ClientError, OSError):
                await target.send(
                    STORAGE_FULL_NOTE, allowed_mentions=discord.AllowedMentions.none()
                )

    # ------------------------------------------------------------------ personal data

    async def _forget_chats(self, person_id: int) -> None:
        self.catchup.unknown()

    # ------------------------------------------------------------------ receiving

    async def on_message(self, message: discord.Message) -> None:
        if self.client.user is None or message.author.bot:
            return  # its own messages and other bots': before any lock or write
        chat = str(message.channel.id)
        async with self._tracked(), self.catchup.hold(chat):
            try:
                if is_private(message.channel):
                    # What this chat missed goes in first: the inbox keeps the order.
                    await self.catchup.channel(self.client, chat, self._take_missed)
                await self.path.receive([self._arrival(message)])
                who = Identity(PLATFORM, str(message.author.id))
                if is_private(message.channel) and self.runtime.companion.admits(who):
                    # Someone the companion refuses leaves nothing behind, not even this.
                    when = self.runtime.clock.now()
                    await self.catchup.remember(chat, who.platform_user_id, message.id, when)
            except Exception as exc:
                # Not recorded; Discord will not send it again, but it stays in the
                # chat's history: the chat is read again until it is taken in.
                log.exception("could not record a Discord message; reading its chat again later")
                self.catchup.forget(chat)
                if is_private(message.channel):
                    self._in_background(self._read_again(chat, since=message.id - 1))
                    if storage_full(exc):
                        await self._say_storage_is_full(message.channel, chat)

    async def _take_missed(self, messages: list[discord.Message]) -> None:
        # Its own replies and other bots' messages are in the history too: skipped.
        await self.path.receive([self._arrival(m) for m in messages if not m.author.bot])

    def _arrival(self, message: discord.Message) -> Arrival:
        assert self.client.user is not None
        incoming = to_incoming(message, bot_id=self.client.user.id, group_mode=self.group_mode)
        payload = {
            "kind": "message",
            "channel_id": message.channel.id,
            "message_id": message.id,
            "private": is_private(message.channel),
        }
        where = Where(message.channel, message)
        return Arrival.of(str(message.id), json.dumps(payload), incoming, where)

    async def on_button(self, interaction: discord.Interaction, data: str) -> None:
        async with self._tracked():
            with suppress(discord.HTTPException):
                await interaction.response.defer()  # acknowledge within Discord's 3 s
            if interaction.guild_id is not None or interaction.channel_id is None:
                # Buttons are only ever sent in DMs: in a server anyone could press them.
                log.info("ignoring a button press in a server channel")
                return
            chat = str(interaction.channel_id)
            payload = {
                "kind": "button",
                "channel_id": interaction.channel_id,
                "user_id": interaction.user.id,
                "name": interaction.user.display_name,
                "private": True,
                "data": data,
            }
            incoming = IncomingMessage(
                identity=Identity(PLATFORM, str(interaction.user.id)),
                channel=ChannelRef(PLATFORM, chat, is_private=True),
                callback_data=data,
                display_name=interaction.user.display_name,
                message_id=str(interaction.id),
                sent_at=interaction.created_at,
            )
            where = Where(self._dm(interaction.channel_id))
            arrival = Arrival.of(f"i{interaction.id}", json.dumps(payload), incoming, where)
            async with self.catchup.hold(chat):
                try:
                    await self.catchup.channel(self.client, chat, self._take_missed)
                    await self.path.receive([arrival])
                except Exception:
                    log.exception("could not record a Discord button press")

    def _dm(self, channel_id: int) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)

    # ------------------------------------------------------------------ the inbox path's side

    async def rebuild(self, entry: InboxEntry) -> Inbound | None:
        """The update again from the ids recorded (replay, take-over): a message is
        fetched from Discord (None if it was deleted); a button press is rebuilt."""
        payload = json.loads(entry.payload)
        private = bool(payload.get("private"))
        channel_id = int(payload["channel_id"])
        if payload.get("kind") == "button":
            incoming = IncomingMessage(
                identity=Identity(PLATFORM, str(payload["user_id"])),
                channel=ChannelRef(PLATFORM, str(channel_id), is_private=True),
                callback_data=str(payload["data"]),
                display_name=payload.get("name"),
                message_id=entry.update_id,
            )
            return Inbound(incoming, Where(self._dm(channel_id)))
        kind = discord.ChannelType.private if private else None
        target = self.client.get_partial_messageable(channel_id, type=kind)
        try:
            message = await target.fetch_message(int(payload["message_id"]))
        except discord.NotFound:
            return None  # deleted since: nothing to answer
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise RebuildLater(f"could not fetch it from Discord: {_describe(exc)}") from exc
        assert self.client.user is not None
        msg = to_incoming(message, bot_id=self.client.user.id, group_mode=self.group_mode)
        return Inbound(msg, Where(target, message)) if msg is not None else None

    async def deliver(self, inbound: Inbound, reply: OutgoingMessage) -> None:
        """One reply where the message came from: in a server as a Discord reply to
        the message that mentioned the bot, and without buttons (anyone there could
        press them)."""
        where = inbound.native if isinstance(inbound.native, Where) else None
        chat = inbound.message.channel
        if where is None:
            where = Where(self._dm(int(chat.chat_id)) if chat.is_private else self._chat(chat))
        reference = None
        if not chat.is_private:
            reply = replace(reply, buttons=())
            if where.message is not None and not where.quoted:
                reference = where.message.to_reference(fail_if_not_exists=False)
        try:
            await self._send_to(where.target, reply, reference=reference)
        except (discord.Forbidden, discord.NotFound) as exc:
            # In DMs: the person blocked the bot or left every shared server.
            raise DeliveryError(
                f"Discord refused: {exc.status} {exc.text}", permanent=chat.is_private
            ) from exc
        except discord.RateLimited as exc:
            raise DeliveryError(f"Discord rate limit: {exc}", never_sent=True) from exc
        except aiohttp.ClientConnectorError as exc:
            raise DeliveryError(f"Discord unreachable: {exc}", never_sent=True) from exc
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            # Maybe posted: again only when the nonce makes a repeat harmless.
            again = reply.key is not None
            raise DeliveryError(f"Discord error: {_describe(exc)}", never_sent=again) from exc
        where.quoted = True

    def _chat(self, chat: ChannelRef) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(int(chat.chat_id))

    @asynccontextmanager
    async def working(self, inbound: Inbound) -> AsyncIterator[None]:
        """'typing...' while the core thinks (a button press was acknowledged when it
        arrived: Discord wants that within 3 s)."""
        where = inbound.native if isinstance(inbound.native, Where) else None
        target = (
            where.target if where is not None else self._dm(int(inbound.message.channel.chat_id))
        )

        async def keep_typing() -> None:
            while True:
                with suppress(discord.HTTPException, aiohttp.ClientError, OSError):
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
        listening, and take it in (in order, once); chats that cannot be read now
        (Discord or the database failing) are tried again after a pause."""
        read, pause = 0, RETRY_FIRST
        while not self._stopping.is_set():
            try:
                got, behind = await self.catchup.every_channel(self.client, self._take_missed)
                read += got
                if not behind:
                    return read
                log.warning(
                    "Discord catch-up: %d chat(s) not read yet; again in %.0fs", behind, pause
                )
            except Exception:
                log.exception("Discord catch-up failed; again in %.0fs", pause)
            await self._pause(pause)
            pause = min(pause * 2, RETRY_MAX)
        return read

    async def _read_again(self, chat: str, since: int) -> None:
        """A message of this chat could not be taken in: read the chat again (from
        just before it) after a pause, until it is in."""
        pause = RETRY_FIRST
        while not self._stopping.is_set():
            await self._pause(pause)
            pause = min(pause * 2, RETRY_MAX)
            try:
                async with self.catchup.hold(chat):
                    await self.catchup.channel(self.client, chat, self._take_missed, cursor=since)
            except Exception:
                log.warning("reading a Discord chat again failed; again in %.0fs", pause)
                self.catchup.forget(chat)
                continue
            if self.catchup.is_caught_up(chat):
                return

    # ------------------------------------------------------------------ sending

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
        if out.image is not None:  # a chart, as a file attachment
            files.append(discord.File(io.BytesIO(out.image), filename="picture.png"))
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
            nonce = nonce_for(out.key, len(chunks)) if out.key is not None else None
            await self._send_voice(target, out.voice, nonce)

    async def _send_voice(
        self, target: discord.abc.Messageable, audio: bytes, nonce: str | None = None
    ) -> None:
        """As a Discord voice message (waveform, duration, the voice flag); as a plain
        audio file if Discord refuses that form."""
        none = discord.AllowedMentions.none()
        channel = await target._get_channel()
        params = handle_message_parameters(
            file=VoiceFile(audio),
            flags=discord.MessageFlags(voice=True),
            allowed_mentions=none,
            nonce=nonce,
        )
        try:
            with params:
                await self.client.http.send_message(channel.id, params=params)
        except discord.HTTPException as exc:
            if exc.status in (401, 403, 404, 429) or exc.status >= 500:
                raise
            log.info("voice message refused (%s); sending the audio as a file", exc.status)
            file = discord.File(io.BytesIO(audio), filename="reply.ogg")
            extra: dict[str, Any] = {"nonce": f"{nonce[:23]}-f"} if nonce else {}
            await target.send(file=file, allowed_mentions=none, **extra)


def _describe(exc: BaseException) -> str:
    """An error in words for the log, without anything secret (no token is in
    discord.py's or aiohttp's messages; the URL is the API's)."""
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
