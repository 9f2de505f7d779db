"""A fake Telegram Bot API server on 127.0.0.1, driven by the real python-telegram-bot.

PTB posts form-encoded fields (each non-string value JSON-encoded) and multipart for
uploads, to ``{url}/bot<token>/<method>``; files download from
``{url}/file/bot<token>/<path>``. The fake keeps what was sent, queues updates for
long polling (an update is confirmed only when a later getUpdates passes a higher
offset, as on Telegram), and injects faults: 429 with retry_after, 403, 400 bad
markup, 500, slow responses.

With ``webhook_targets`` set, it plays Telegram in webhook mode *and* the HTTP load
balancer in front of several workers: each pushed update is POSTed to one of the
targets instead of waiting for getUpdates (see ``_push_chat`` for the order and
retry rules)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
import zlib
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any, Self

import aiohttp
from aiohttp import web

BOT_ID = 777000111
BOT_USERNAME = "companion_test_bot"


@dataclass
class Fault:
    """One injected failure for the next call of a method."""

    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    delay: float = 0.0  # slow answer: sleep before responding (the call may still succeed)
    succeed_after_delay: bool = False


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 200


@dataclass
class WebhookAttempt:
    """One POST of an update to a webhook target; status 0: no HTTP answer
    (connection refused, reset, or timed out)."""

    update_id: int
    chat: str
    target: str
    status: int
    at: float


SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class FakeTelegram:
    def __init__(self, token: str) -> None:
        self.token = token
        self.url = ""
        self.calls: list[Call] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.updates: list[dict[str, Any]] = []
        self.confirmed = 0  # updates with an id below this were confirmed by an offset
        self.files: dict[str, tuple[str, bytes]] = {}
        self.streams: dict[str, tuple[str, int]] = {}  # file_id -> (path, size): see add_stream
        self.streamed = 0  # bytes of streamed files actually written to a client
        self.webhook: dict[str, Any] | None = None
        self.commands: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.hung_up = 0  # requests the client abandoned before sending them whole
        # Webhook mode: the load balancer's backends (full URLs). Empty: getUpdates.
        self.webhook_targets: list[str] = []
        self.webhook_secret: str | None = None  # default: what setWebhook registered
        self.webhook_retry_pause = 0.2  # seconds before a failed update is tried again
        self.webhook_timeout = 30.0
        self.webhook_max_connections = 40  # Telegram's default for setWebhook
        # "round-robin", or "chat": a sticky balancer sending each chat to one target
        # (a hash of its id), which needs one that reads the update's body.
        self.webhook_balance = "round-robin"
        self.webhook_attempts: list[WebhookAttempt] = []
        self._chat_queues: dict[str, deque[dict[str, Any]]] = {}
        self._pushers: dict[str, asyncio.Task[None]] = {}
        self._next_target = itertools.count()
        self._slots: asyncio.Semaphore | None = None
        self._session: aiohttp.ClientSession | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self, port: int = 0) -> Self:
        """Serve on ``port`` (0: any free one; a fixed one plays Telegram coming back)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()
        for task in list(self._pushers.values()):
            task.cancel()
        await asyncio.gather(*self._pushers.values(), return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def drop_connections(self) -> None:
        """Close every connection a client holds open (a restart of Telegram's front
        end, a proxy's idle timeout): kept-alive ones must not be written to again."""
        server = self._runner.server if self._runner is not None else None
        for handler in list(server.connections if server is not None else ()):
            if handler.transport is not None:
                handler.transport.close()
        await asyncio.sleep(0.05)

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ scripting

    def fail(self, method: str, *faults: Fault) -> None:
        self.faults[method.lower()].extend(faults)

    def add_file(self, data: bytes, path: str) -> str:
        file_id = f"file{next(self._ids)}"
        self.files[file_id] = (path, data)
        return file_id

    def add_stream(self, size: int, path: str) -> str:
        """A file with no size anywhere (getFile gives no ``file_size``, the download no
        Content-Length), made up chunk by chunk as it is read; ``streamed`` counts what
        reached the client."""
        file_id = f"file{next(self._ids)}"
        self.streams[file_id] = (path, size)
        return file_id

    def push(self, **update: Any) -> int:
        """Queue an update (``message=...`` or ``callback_query=...``); returns its id.
        In webhook mode it goes out to a target at once (needs a running loop)."""
        update_id = next(self._update_ids)
        body = {"update_id": update_id, **update}
        if self.webhook_targets:
            self._push_webhook(body)
        else:
            self.updates.append(body)
            self._new_update.set()
        return update_id

    def message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Sam",
        **fields: Any,
    ) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id if chat_id is not None else user_id}
        chat["type"] = chat_type
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "A group"
        msg: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            **fields,
        }
        if text is not None:
            msg["text"] = text
        return msg

    def push_text(self, user_id: int, text: str, **kw: Any) -> int:
        return self.push(message=self.message(user_id, text, **kw))

    def push_callback(self, user_id: int, data: str, *, message_text: str = "Choose") -> int:
        query = {
            "id": f"cq{next(self._ids)}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Sam"},
            "chat_instance": "ci1",
            "data": data,
            "message": {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": "Sam"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Companion"},
                "text": message_text,
            },
        }
        return self.push(callback_query=query)

    # ------------------------------------------------------------------ queries

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method.lower()
            and c.status == 200
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [str(c.params.get("text")) for c in self.sent("sendMessage", chat_id)]

    async def wait_for(self, predicate: Any, within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for the fake Telegram server")
            await asyncio.sleep(0.02)

    async def stop_webhook(self) -> int:
        """Stop pushing (the webhook's backends are gone) and drop what was not yet
        delivered, so a polling bot started next does not get stale updates.
        Returns how many were dropped."""
        self.webhook_targets = []
        dropped = sum(len(q) for q in self._chat_queues.values()) + len(self.updates)
        for task in list(self._pushers.values()):
            task.cancel()
        await asyncio.gather(*self._pushers.values(), return_exceptions=True)
        self._chat_queues.clear()
        self.updates.clear()
        return dropped

    def webhook_delivered(self) -> dict[str, int]:
        """Updates answered 200, by target: how the balancer spread the load."""
        counts = dict.fromkeys(self.webhook_targets, 0)
        for attempt in self.webhook_attempts:
            if attempt.status == 200:
                counts[attempt.target] = counts.get(attempt.target, 0) + 1
        return counts

    # ------------------------------------------------------------------ webhook push

    def _push_webhook(self, update: dict[str, Any]) -> None:
        key = _chat_key(update)
        queue = self._chat_queues.setdefault(key, deque())
        queue.append(update)
        if key not in self._pushers:
            self._pushers[key] = asyncio.create_task(self._push_chat(key))

    async def _push_chat(self, key: str) -> None:
        """One chat's updates, one at a time and in order: the next is POSTed only
        after the previous one got its 200. That is how Telegram behaves (an update
        stays queued at Telegram, and blocks the later ones of its chat, until the
        webhook accepts it), so a bot sees one chat's messages in order; different
        chats go out concurrently, up to ``webhook_max_connections`` at once."""
        queue = self._chat_queues[key]
        try:
            while queue and not self._closing:
                await self._deliver_webhook(queue[0], key)
                queue.popleft()
        finally:
            # No await since the last check: nothing can be appended unseen.
            self._chat_queues.pop(key, None)
            self._pushers.pop(key, None)

    async def _deliver_webhook(self, update: dict[str, Any], key: str) -> None:
        """Round robin over the targets (or by chat); after a non-200 answer or no answer, wait
        ``webhook_retry_pause`` and try the *next* target, as Telegram retries and a
        balancer steers away from a failed backend. Retried until accepted: a
        timeout after the worker recorded it means it may arrive twice, which the
        bot must recognise (Telegram redelivers in that case too)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.webhook_max_connections)
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0),
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
            )
        if self.webhook_balance == "chat":
            index = zlib.crc32(key.encode())
        else:
            index = next(self._next_target)
        while not self._closing:
            if not self.webhook_targets:  # switched back to polling meanwhile
                self.updates.append(update)
                self._new_update.set()
                return
            target = self.webhook_targets[index % len(self.webhook_targets)]
            secret = self.webhook_secret
            if secret is None and self.webhook is not None:
                secret = self.webhook.get("secret_token")
            headers = {SECRET_HEADER: str(secret)} if secret else {}
            status = 0
            async with self._slots:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with self._session.post(target, json=update, headers=headers) as r:
                        await r.read()
                        status = r.status
            self.webhook_attempts.append(
                WebhookAttempt(update["update_id"], key, target, status, time.monotonic())
            )
            if status == 200:
                return
            index += 1
            await asyncio.sleep(self.webhook_retry_pause)

    # ------------------------------------------------------------------ HTTP

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
            return params, files
        if request.method == "POST":
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                elif key in ("text", "caption", "data", "callback_query_id"):
                    params[key] = value
                else:
                    try:
                        params[key] = json.loads(value)
                    except (TypeError, ValueError):
                        params[key] = value
        return params, files

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"].lower()
        try:
            params, files = await self._params(request)
        except ConnectionResetError:
            # The client hung up mid-request (PTB cancelled, e.g. a "typing..." that
            # was no longer needed): nobody to answer, nothing happened.
            self.hung_up += 1
            return web.Response(status=499)
        call = Call(method, params, time.monotonic(), files)
        self.calls.append(call)
        if method == "getupdates" and self.webhook_targets:
            call.status = 409  # as Telegram: no polling while a webhook is set
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        queue = self.faults.get(method)
        if queue:
            fault = queue.popleft()
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if not fault.succeed_after_delay:
                call.status = fault.status
                extra = {"retry_after": fault.retry_after} if fault.retry_after else None
                return _error(fault.status, fault.description, extra)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            call.status = 404
            return _error(404, "Not Found: method not found")
        result = await handler(params, files)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        path = request.match_info["path"]
        for stored_path, size in self.streams.values():
            if stored_path == path:
                return await self._stream(request, size)
        for stored_path, data in self.files.values():
            if stored_path == path:
                return web.Response(body=data, content_type="application/octet-stream")
        return _error(404, "Not Found")

    async def _stream(self, request: web.Request, size: int) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = bytes(64 * 1024)
        with contextlib.suppress(ConnectionError, aiohttp.ClientConnectionResetError):
            for start in range(0, size, len(chunk)):
                piece = chunk[: min(len(chunk), size - start)]
                await response.write(piece)
                self.streamed += len(piece)
            await response.write_eof()
        return response

    # ------------------------------------------------------------------ methods

    async def _m_getme(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Companion",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset") or 0)
        if offset:
            self.confirmed = max(self.confirmed, offset)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while not self.updates and not self._closing and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        limit = int(params.get("limit") or 100)
        return self.updates[:limit]

    def _message_result(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Companion"},
            **extra,
        }

    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self._message_result(params, text=params.get("text", ""))

    async def _m_sendchataction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _m_sendvoice(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        voice = {"file_id": "v1", "file_unique_id": "v1u", "duration": 1}
        return self._message_result(params, voice=voice)

    async def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        photo = [{"file_id": "p1", "file_unique_id": "p1u", "width": 640, "height": 360}]
        return self._message_result(params, photo=photo)

    async def _m_senddocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        document = {"file_id": "d1", "file_unique_id": "d1u"}
        return self._message_result(params, document=document)

    async def _m_getfile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = str(params["file_id"])
        if file_id in self.streams:
            path = self.streams[file_id][0]
            return {"file_id": file_id, "file_unique_id": file_id + "u", "file_path": path}
        if file_id not in self.files:
            raise web.HTTPBadRequest(text='{"ok":false,"description":"Bad Request: invalid file"}')
        path, data = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": file_id + "u",
            "file_size": len(data),
            "file_path": path,
        }

    async def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _m_setmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.commands = list(params.get("commands") or [])
        return True

    async def _m_setwebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = params
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        """Back to getUpdates, as on Telegram: later updates wait to be fetched."""
        self.webhook = None
        self.webhook_targets = []
        return True


def _chat_key(update: dict[str, Any]) -> str:
    """The chat an update belongs to (its order is kept per chat)."""
    for kind in ("message", "edited_message", "channel_post"):
        if kind in update:
            return str(update[kind]["chat"]["id"])
    query = update.get("callback_query")
    if query and query.get("message"):
        return str(query["message"]["chat"]["id"])
    return f"update-{update['update_id']}"


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)
