"""A fake Discord on 127.0.0.1 for the real discord.py client: the REST API the
companion uses and the gateway (tests/fakes/discord_gateway.py), over a small
model of Discord's state (users, DM channels and each channel's history).

Point a bot at it with ``COMPANION_DISCORD_API_URL=<fake.api>`` (also from another
process): the adapter takes the gateway's address from ``GET /gateway/bot``.

What discord.py relies on, done as Discord does: JSON only with Content-Type exactly
``application/json``; login through ``/users/@me`` (401 for a rejected token) and
``/oauth2/applications/@me``; a 429 carries ``retry_after`` and a ``Via`` header
(without it discord.py takes the 429 for a Cloudflare ban); a send with a nonce and
``enforce_nonce`` that was already used in that channel returns the first message
instead of posting a second; channel history after an id comes newest first; an
interaction must be answered once and within 3 s.

A person writing (``say``) puts the message in the DM channel's history and
dispatches MESSAGE_CREATE to every connected session; with none connected it is
only in the history, as on Discord (events are not redelivered). Faults: per route
(``fail``), every REST call for a while (``storm``), and the gateway's (see there).
Every request is recorded (``requests``, ``sent``, ``paths``)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.discord_gateway import DIRECT_MESSAGES, GUILD_MESSAGES, FakeGateway, Session

BOT_ID = 900000000000000001
APP_ID = 900000000000000002
REJECTED_TOKEN = "rejected.token.value"
DISCORD_EPOCH_MS = 1420070400000
NONCE_WINDOW = 300.0  # seconds Discord remembers an enforced nonce (a few minutes)
INTERACTION_DEADLINE = 3.0  # seconds to acknowledge an interaction
BOT_USER = {
    "id": str(BOT_ID),
    "username": "Companion",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "flags": 0,
}


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    # The request takes effect (a message is posted), then this error is answered:
    # Discord does that now and then; the client cannot know its send went out.
    after: bool = False


def rate_limited(retry_after: float, *, scope: str = "user") -> Fault:
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
    headers = {"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Scope": scope}
    return Fault(429, body, headers)


def server_error(status: int = 500) -> Fault:
    return Fault(status, {"message": "Internal Server Error", "code": 0})


def forbidden() -> Fault:
    return Fault(403, {"message": "Cannot send messages to this user", "code": 50007})


@dataclass
class Request:
    method: str
    path: str
    json: dict[str, Any] | None
    files: dict[str, bytes]
    at: float
    query: dict[str, str] = field(default_factory=dict)
    status: int = 200
    late_fault: Fault | None = None  # answered after the request took effect


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def user_payload(user_id: int, name: str = "Sam", *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name.lower().replace(" ", "."),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "public_flags": 0,
        "bot": bot,
    }


class FakeDiscord:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.cdn: dict[str, bytes] = {}
        self.messages: dict[int, dict[str, Any]] = {}  # every message by id
        self.history: dict[int, list[int]] = defaultdict(list)  # channel -> ids, oldest first
        self.dm_channels: dict[int, int] = {}  # user -> their DM channel with the bot
        self.users: dict[int, dict[str, Any]] = {}
        self.rejected_tokens = {REJECTED_TOKEN}
        self.gateway = FakeGateway(self._ready, self.token_ok)
        self.url = ""
        self.message_sent = asyncio.Event()  # set at each message send (benchmarks wait on it)
        self.on_send: Callable[[dict[str, Any]], None] | None = None
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self._interactions: dict[str, float] = {}  # id -> when created
        self._acknowledged: set[str] = set()
        self._last_id = 0
        self._storm: tuple[float, Fault, Callable[[str], bool]] | None = None
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ scripting

    def fail(self, route: str, *faults: Fault) -> None:
        """Next requests to ``route`` get these: a route ("POST /channels/{id}/messages")
        or one path ("GET /channels/42/messages")."""
        self.faults[route].extend(faults)

    def storm(
        self, fault: Fault, seconds: float, routes: Callable[[str], bool] = lambda route: True
    ) -> None:
        """Every REST call whose route matches answers ``fault`` for ``seconds``."""
        self._storm = (time.monotonic() + seconds, fault, routes)

    def new_id(self) -> int:
        """A snowflake for now, strictly increasing (ids order messages, as on Discord)."""
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._last_id = max(self._last_id + 1, now_ms << 22)
        return self._last_id

    def dm_channel(self, user_id: int) -> int:
        """The DM channel between this user and the bot (made on first use)."""
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = user_id + 1  # derived, so tests can predict it
        return self.dm_channels[user_id]

    def message(
        self,
        channel_id: int,
        author: dict[str, Any],
        content: str,
        *,
        guild_id: int | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A message payload as Discord sends it (MESSAGE_CREATE, history, sends)."""
        message_id = self.new_id()
        data: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": snowflake_time(message_id).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        if guild_id is None:
            data["channel_type"] = 1
        else:
            data["guild_id"] = str(guild_id)
        data.update(fields)
        return data

    def store(self, data: dict[str, Any]) -> dict[str, Any]:
        message_id = int(data["id"])
        self.messages[message_id] = data
        self.history[int(data["channel_id"])].append(message_id)
        return data

    async def say(
        self, user_id: int, text: str, *, name: str = "Sam", bot: bool = False, **fields: Any
    ) -> dict[str, Any]:
        """``user_id`` writes ``text`` to the bot in DMs: it goes into the channel's
        history and out to every connected session. Returns the message."""
        author = self.users.setdefault(user_id, user_payload(user_id, name, bot=bot))
        data = self.store(self.message(self.dm_channel(user_id), author, text, **fields))
        await self.gateway.dispatch("MESSAGE_CREATE", data, intent=DIRECT_MESSAGES)
        return data

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event (MESSAGE_CREATE...) to every connected client as is."""
        intent = None
        if event == "MESSAGE_CREATE":
            intent = GUILD_MESSAGES if data.get("guild_id") else DIRECT_MESSAGES
        await self.gateway.dispatch(event, data, intent=intent)

    async def press(self, user_id: int, message_id: int, custom_id: str) -> dict[str, Any]:
        """``user_id`` presses the button ``custom_id`` under a bot message in DMs."""
        channel_id = self.dm_channel(user_id)
        user = self.users.setdefault(user_id, user_payload(user_id))
        interaction_id = self.new_id()
        data = {
            "version": 1,
            "type": 3,
            "token": f"interaction-token-{interaction_id}",
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "channel_id": str(channel_id),
            "channel": {"type": 1, "id": str(channel_id), "recipients": [user], "flags": 0},
            "user": user,
            "message": self.messages[message_id],
            "data": {"component_type": 2, "custom_id": custom_id},
            "locale": "en-US",
            "app_permissions": "0",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 1,
            "attachment_size_limit": 10485760,
        }
        self._interactions[str(interaction_id)] = time.monotonic()
        await self.gateway.dispatch("INTERACTION_CREATE", data)
        return data

    # ------------------------------------------------------------------ inspection

    def sent(self, channel_id: int | None = None) -> list[Request]:
        """Every message send the bot attempted (refused ones too), in order."""
        return [
            r
            for r in self.requests
            if r.method == "POST"
            and r.path.endswith("/messages")
            and (channel_id is None or f"/channels/{channel_id}/" in r.path)
        ]

    def sent_texts(self, channel_id: int | None = None) -> list[str]:
        return [(r.json or {}).get("content") or "" for r in self.sent(channel_id)]

    def posted(self, channel_id: int) -> list[str]:
        """What the bot's messages in a channel's history say: what a person sees
        (a send repeated with its nonce shows once)."""
        texts = []
        for message_id in self.history[channel_id]:
            message = self.messages[message_id]
            if int(message["author"]["id"]) == BOT_ID:
                texts.append(message["content"])
        return texts

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]

    def token_ok(self, token: str) -> bool:
        return bool(token) and token not in self.rejected_tokens

    @property
    def api(self) -> str:
        """The REST base, for COMPANION_DISCORD_API_URL (discord.py's Route.BASE)."""
        return f"{self.url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"{self.url.replace('http', 'ws', 1)}/gateway"

    # ------------------------------------------------------------------ server

    async def start(self, port: int = 0) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        r = app.router
        r.add_get("/api/v10/users/@me", self._me)
        r.add_get("/api/v10/oauth2/applications/@me", self._application)
        r.add_get("/api/v10/gateway/bot", self._gateway_bot)
        r.add_post("/api/v10/channels/{channel}/messages", self._send)
        r.add_get("/api/v10/channels/{channel}/messages", self._history)
        r.add_get("/api/v10/channels/{channel}/messages/{message}", self._get_message)
        r.add_post("/api/v10/channels/{channel}/typing", self._typing)
        r.add_post("/api/v10/users/@me/channels", self._open_dm)
        r.add_post("/api/v10/interactions/{id}/{token}/callback", self._callback)
        r.add_get("/cdn/{name:.*}", self._cdn)
        r.add_get("/gateway", self.gateway.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{bound}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, request: web.Request) -> Request | web.Response:
        """Log the request; answer a 401 for a rejected token and scripted faults,
        else hand the logged request back to the route."""
        body: dict[str, Any] | None = None
        files: dict[str, bytes] = {}
        if request.content_type == "application/json" and request.can_read_body:
            body = await request.json()
        elif request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                name = getattr(part, "name", None) or ""
                data = await part.read()  # type: ignore[union-attr]
                if name == "payload_json":
                    body = json.loads(data)
                else:
                    files[getattr(part, "filename", None) or name] = bytes(data)
        route = f"{request.method} {request.match_info.route.resource.canonical}"  # type: ignore[union-attr]
        route = route.replace("/api/v10", "").replace("{channel}", "{id}")
        entry = Request(
            request.method, request.path, body, files, time.monotonic(), dict(request.query)
        )
        self.requests.append(entry)
        fault: Fault | None = None
        auth = request.headers.get("Authorization", "")
        # Interaction callbacks are authorised by the interaction's token in the path.
        needs_auth = request.path.startswith("/api/") and "/interactions/" not in request.path
        if needs_auth and not self.token_ok(auth.removeprefix("Bot ")):
            fault = Fault(401, {"message": "401: Unauthorized", "code": 0})
        elif self._storm is not None and time.monotonic() < self._storm[0]:
            if self._storm[2](route):
                fault = self._storm[1]
        concrete = f"{request.method} {request.path.replace('/api/v10', '')}"
        for key in (concrete, route):  # "GET /channels/42/messages" before "{id}"
            if fault is None and self.faults.get(key):
                fault = self.faults[key].popleft()
        if fault is None:
            return entry
        if fault.after:
            entry.late_fault = fault
            return entry
        if fault.delay:
            await asyncio.sleep(fault.delay)
        entry.status = fault.status
        return _json(fault.body, fault.status, fault.headers)

    def _ready(self, session: Session) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],  # bots are not told their DM channels
            "relationships": [],
            "shard": [0, 1],
        }

    # ------------------------------------------------------------------ routes

    async def _me(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        return got if isinstance(got, web.Response) else _json(BOT_USER)

    async def _application(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        return _json(
            {
                "id": str(APP_ID),
                "name": "Companion",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": {**BOT_USER, "id": "900000000000000003", "bot": False},
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
            }
        )

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        return _json(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _send(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        body = got.json or {}
        channel_id = int(request.match_info["channel"])
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get((channel_id, str(nonce)))
            if seen is not None and time.monotonic() - seen[0] < NONCE_WINDOW:
                return _json(self.messages[seen[1]])  # Discord's answer to a repeat
        extra: dict[str, Any] = {}
        if body.get("message_reference"):
            extra["message_reference"] = body["message_reference"]
            extra["type"] = 19
        message = self.message(
            channel_id,
            BOT_USER,
            body.get("content") or "",
            flags=body.get("flags", 0),
            components=body.get("components", []),
            nonce=nonce,
            attachments=[
                {
                    "id": str(self.new_id()),
                    "filename": name,
                    "size": len(data),
                    "url": f"{self.url}/cdn/{name}",
                    "proxy_url": f"{self.url}/cdn/{name}",
                }
                for name, data in got.files.items()
            ],
            **extra,
        )
        self.store(message)
        if nonce is not None and body.get("enforce_nonce"):
            self._nonces[(channel_id, str(nonce))] = (time.monotonic(), int(message["id"]))
        self.message_sent.set()
        if self.on_send is not None:
            self.on_send(message)
        # Discord tells the bot about its own messages too (discord.py must skip them).
        await self.gateway.dispatch("MESSAGE_CREATE", message)
        if got.late_fault is not None:
            got.status = got.late_fault.status
            return _json(got.late_fault.body, got.late_fault.status, got.late_fault.headers)
        return _json(message)

    async def _history(self, request: web.Request) -> web.Response:
        """GET /channels/{id}/messages: with ``after`` the oldest ``limit`` messages
        after it, otherwise the newest (``before`` bounds them); newest first."""
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        ids = self.history.get(int(request.match_info["channel"]), [])
        limit = max(1, min(int(request.query.get("limit", 50)), 100))
        if "after" in request.query:
            after = int(request.query["after"])
            chosen = [i for i in ids if i > after][:limit]
        else:
            before = int(request.query.get("before", 1 << 63))
            chosen = [i for i in ids if i < before][-limit:]
        return _json([self.messages[i] for i in reversed(chosen)])

    async def _get_message(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        found = self.messages.get(int(request.match_info["message"]))
        if found is None:
            got.status = 404
            return _json({"message": "Unknown Message", "code": 10008}, 404)
        return _json(found)

    async def _typing(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        return got if isinstance(got, web.Response) else web.Response(status=204)

    async def _open_dm(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        user_id = int((got.json or {})["recipient_id"])
        user = self.users.get(user_id, user_payload(user_id, "someone"))
        return _json(
            {
                "id": str(self.dm_channel(user_id)),
                "type": 1,
                "last_message_id": None,
                "recipients": [user],
            }
        )

    async def _callback(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        interaction = request.match_info["id"]
        created = self._interactions.get(interaction)
        if created is not None and time.monotonic() - created > INTERACTION_DEADLINE:
            got.status = 404
            return _json({"message": "Unknown interaction", "code": 10062}, 404)
        if interaction in self._acknowledged:
            got.status = 400
            body = {"message": "Interaction has already been acknowledged.", "code": 40060}
            return _json(body, 400)
        self._acknowledged.add(interaction)
        return _json(
            {
                "interaction": {
                    "id": interaction,
                    "type": (got.json or {}).get("type", 6),
                    "response_message_loading": False,
                    "response_message_ephemeral": False,
                }
            }
        )

    async def _cdn(self, request: web.Request) -> web.Response:
        await self._record(request)
        data = self.cdn.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")
