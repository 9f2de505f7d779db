"""A fake Discord REST API on 127.0.0.1 for the real discord.py client.

discord.py only reads JSON when Content-Type is exactly ``application/json``, logs
in through ``/users/@me`` and ``/oauth2/applications/@me``, and treats a 429
without a ``Via`` header as a Cloudflare ban: this fake does all three. It records
every request (sends, typing, interaction callbacks) and injects faults per route.
It also speaks enough of the gateway (HELLO, IDENTIFY -> READY, heartbeats, then
dispatches the test pushes) for ``client.start`` to run for real."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 900000000000000001
APP_ID = 900000000000000002
REJECTED_TOKEN = "rejected.token.value"
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


def rate_limited(retry_after: float) -> Fault:
    return Fault(
        429,
        {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
        {"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Scope": "user"},
    )


def forbidden() -> Fault:
    return Fault(403, {"message": "Cannot send messages to this user", "code": 50007})


@dataclass
class Request:
    method: str
    path: str
    json: dict[str, Any] | None
    files: dict[str, bytes]
    at: float


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


class FakeDiscord:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.cdn: dict[str, bytes] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(950000000000000000)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.identify: dict[str, Any] | None = None
        self.identified = asyncio.Event()
        self.message_sent = asyncio.Event()  # set at each message send (benchmarks wait on it)
        self._socket: web.WebSocketResponse | None = None
        self._seq = 0

    # --- scripting and inspection

    def fail(self, route: str, *faults: Fault) -> None:
        """Next requests to ``route`` ("POST /channels/{id}/messages") get these."""
        self.faults[route].extend(faults)

    def sent(self, channel_id: int | None = None) -> list[Request]:
        return [
            r
            for r in self.requests
            if r.method == "POST"
            and r.path.endswith("/messages")
            and (channel_id is None or f"/channels/{channel_id}/" in r.path)
        ]

    def sent_texts(self, channel_id: int | None = None) -> list[str]:
        return [(r.json or {}).get("content") or "" for r in self.sent(channel_id)]

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]

    @property
    def api(self) -> str:
        return f"{self.url}/api/v10"

    # --- server

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        r = app.router
        r.add_get("/api/v10/users/@me", self._me)
        r.add_get("/api/v10/oauth2/applications/@me", self._application)
        r.add_post("/api/v10/channels/{channel}/messages", self._send)
        r.add_get("/api/v10/channels/{channel}/messages/{message}", self._get_message)
        r.add_post("/api/v10/channels/{channel}/typing", self._typing)
        r.add_post("/api/v10/users/@me/channels", self._open_dm)
        r.add_post("/api/v10/interactions/{id}/{token}/callback", self._callback)
        r.add_get("/cdn/{name:.*}", self._cdn)
        r.add_get("/api/v10/gateway/bot", self._gateway_bot)
        r.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, request: web.Request) -> Request | web.Response:
        import time

        body: dict[str, Any] | None = None
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
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
        entry = Request(request.method, request.path, body, files, time.monotonic())
        self.requests.append(entry)
        queue = self.faults.get(route)
        if queue:
            fault = queue.popleft()
            return _json(fault.body, fault.status, fault.headers)
        return entry

    # --- gateway

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event (MESSAGE_CREATE...) to the connected client."""
        assert self._socket is not None, "no client connected to the gateway"
        self._seq += 1
        await self._socket.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        await self._record(request)
        return _json(
            {
                "url": f"{self.url.replace('http', 'ws')}/gateway",
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        hello = {"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}
        await socket.send_str(json.dumps(hello))
        async for frame in socket:
            message = json.loads(frame.data)
            if message["op"] == 1:  # heartbeat
                await socket.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif message["op"] == 2:  # identify
                self.identify = message["d"]
                self._socket = socket
                ready = {
                    "v": 10,
                    "user": BOT_USER,
                    "guilds": [],
                    "session_id": "fake-session",
                    "resume_gateway_url": f"{self.url.replace('http', 'ws')}/gateway",
                    "application": {"id": str(APP_ID), "flags": 0},
                    "private_channels": [],
                    "relationships": [],
                    "shard": [0, 1],
                }
                await self.dispatch("READY", ready)
                self.identified.set()
        self._socket = None
        return socket

    async def _me(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if request.headers.get("Authorization") == f"Bot {REJECTED_TOKEN}":
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
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

    async def _send(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        body = got.json or {}
        message_id = next(self._ids)
        message = {
            "id": str(message_id),
            "channel_id": request.match_info["channel"],
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": "2026-05-04T09:00:00.000000+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [
                {
                    "id": str(next(self._ids)),
                    "filename": name,
                    "size": len(data),
                    "url": f"{self.url}/cdn/{name}",
                    "proxy_url": f"{self.url}/cdn/{name}",
                }
                for name, data in got.files.items()
            ],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
            "components": body.get("components", []),
        }
        self.messages[message_id] = message
        self.message_sent.set()
        return _json(message)

    async def _get_message(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        found = self.messages.get(int(request.match_info["message"]))
        if found is None:
            return _json({"message": "Unknown Message", "code": 10008}, 404)
        return _json(found)

    async def _typing(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        return got if isinstance(got, web.Response) else web.Response(status=204)

    async def _open_dm(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        user_id = str((got.json or {})["recipient_id"])
        return _json(
            {
                "id": str(int(user_id) + 1),  # the DM channel's id, derived for the tests
                "type": 1,
                "last_message_id": None,
                "recipients": [
                    {"id": user_id, "username": "someone", "discriminator": "0", "avatar": None}
                ],
            }
        )

    async def _callback(self, request: web.Request) -> web.Response:
        got = await self._record(request)
        if isinstance(got, web.Response):
            return got
        return _json(
            {
                "interaction": {
                    "id": request.match_info["id"],
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
