"""The Discord channel (discord.py 2.6).

Runs beside the other channels in one event loop (``client.start`` in a task, never
``client.run``). Asks only for the intents it uses: direct messages and server
messages (no privileged message-content intent: Discord includes the text of DMs
and of messages that mention the bot). Every send passes ``AllowedMentions.none()``,
so nothing the companion says can ping anyone. Each message is recorded in the
durable inbox before it is handled; what a crash interrupted is fetched again from
Discord and handled at the next start."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import replace
from datetime import timedelta
from typing import Any

import discord
from discord.http import handle_message_parameters

from adapters.discord import render
from adapters.discord.convert import PLATFORM, to_incoming
from adapters.discord.voice import VoiceFile
from bot.channel import DeliveryError, Handler
from bot.clock import Clock, SystemClock
from bot.locks import KeyedLocks
from bot.types import Capabilities, ChannelRef, Identity, IncomingMessage, OutgoingMessage
from memory.inbox import Inbox

log = logging.getLogger(__name__)

MAX_UPLOAD = 10 * 1024 * 1024  # what a bot may attach without boosts
TYPING_EVERY = 8.0  # Discord shows "typing" for about 10 s
MAX_REPLAYS = 3
DUPLICATE = -1  # an update recorded before: a redelivery, already handled
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


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


class CompanionClient(discord.Client):
    def __init__(self, channel: DiscordChannel, **options: Any) -> None:
        super().__init__(**options)
        self.channel = channel

    async def setup_hook(self) -> None:
        self.add_dynamic_items(CoreButton)

    async def on_ready(self) -> None:
        log.info("Discord: connected as %s", self.user)
        await self.channel.replay()

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
    ) -> None:
        self._token = token
        self.inbox = inbox
        self.clock = clock or SystemClock()
        self.group_mode = group_mode
        self.worker = f"discord-{uuid.uuid4().hex[:8]}"
        self.client = CompanionClient(
            self, intents=intents(), allowed_mentions=discord.AllowedMentions.none()
        )
        self._handler: Handler | None = None
        self._inflight: set[asyncio.Task[Any]] = set()
        self._order = KeyedLocks()
        self._started_at = self.clock.now()
        self._replayed = False

    # ------------------------------------------------------------------ lifecycle

    def attach(self, handler: Handler) -> None:
        self._handler = handler

    async def start(self, handler: Handler) -> None:
        """Log in and listen until ``stop``; discord.py reconnects by itself."""
        self.attach(handler)
        self._started_at = self.clock.now()
        try:
            await self.client.start(self._token, reconnect=True)
        except discord.LoginFailure:
            log.error("Discord rejected the token: check COMPANION_DISCORD_TOKEN")
            raise

    async def stop(self) -> None:
        await self.idle()
        await self.client.close()

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

    # ------------------------------------------------------------------ incoming

    async def on_message(self, message: discord.Message) -> None:
        if self._handler is None or self.client.user is None:
            return
        incoming = to_incoming(message, bot_id=self.client.user.id, group_mode=self.group_mode)
        if incoming is None:
            return
        payload = {
            "kind": "message",
            "channel_id": message.channel.id,
            "message_id": message.id,
            "private": incoming.channel.is_private,
        }
        # Taken before the first await: one person's messages keep the gateway's order
        # through the inbox write to the core (whose own lock is per person, not per
        # arrival).
        async with self._tracked(), self._order.hold(message.author.id):
            entry = await self._record(str(message.id), payload, incoming)
            if entry != DUPLICATE:
                await self._process(incoming, message.channel, entry, answering=message)

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
                channel=ChannelRef(
                    PLATFORM, str(interaction.channel_id), is_private=interaction.guild_id is None
                ),
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
                "private": interaction.guild_id is None,
                "data": data,
            }
            entry = await self._record(f"i{interaction.id}", payload, incoming)
            if entry != DUPLICATE:
                kind = discord.ChannelType.private if interaction.guild_id is None else None
                target = self.client.get_partial_messageable(interaction.channel_id, type=kind)
                await self._process(incoming, target, entry)

    async def _record(
        self, update_id: str, payload: dict[str, Any], incoming: IncomingMessage
    ) -> int | None:
        """The inbox entry for this update (DUPLICATE when it was recorded before).
        Only ids are stored: the text stays on Discord."""
        if self.inbox is None:
            return None
        entry = await self.inbox.record(
            PLATFORM,
            update_id,
            json.dumps(payload),
            at=self.clock.now(),
            user_key=incoming.identity.platform_user_id,
        )
        if entry is None:
            return DUPLICATE
        await self.inbox.claim(entry, self.worker, at=self.clock.now())
        return entry

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
        for reply in replies:
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

    async def replay(self) -> None:
        """Handle what an earlier run recorded but did not finish (once per start)."""
        if self._replayed or self.inbox is None or self._handler is None:
            return
        self._replayed = True
        pending = await self.inbox.pending(PLATFORM, older_than=timedelta(0), now=self._started_at)
        for item in pending:
            if item.attempts >= MAX_REPLAYS:
                await self.inbox.fail(item.id, at=self.clock.now())
                continue
            async with self._tracked():
                await self.inbox.claim(item.id, self.worker, at=self.clock.now())
                try:
                    await self._replay_one(item.id, json.loads(item.payload))
                except discord.HTTPException as exc:
                    log.warning("could not fetch a pending Discord message: %s", exc.status)
                    await self.inbox.fail(item.id, at=self.clock.now())

    async def _replay_one(self, entry: int, payload: dict[str, Any]) -> None:
        assert self.client.user is not None
        private = bool(payload.get("private"))
        target = self.client.get_partial_messageable(
            int(payload["channel_id"]), type=discord.ChannelType.private if private else None
        )
        if payload.get("kind") == "button":
            incoming: IncomingMessage | None = IncomingMessage(
                identity=Identity(PLATFORM, str(payload["user_id"])),
                channel=ChannelRef(PLATFORM, str(payload["channel_id"]), is_private=private),
                callback_data=str(payload["data"]),
                display_name=payload.get("name"),
            )
        else:
            message = await target.fetch_message(int(payload["message_id"]))
            incoming = to_incoming(message, bot_id=self.client.user.id, group_mode=self.group_mode)
        if incoming is not None:
            incoming = dataclasses.replace(incoming, replayed=True)
        if incoming is None:
            await self.inbox.done(entry, at=self.clock.now())  # type: ignore[union-attr]
            return
        await self._process(incoming, target, entry)

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
