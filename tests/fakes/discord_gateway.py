"""The gateway half of the fake Discord: a websocket on 127.0.0.1 that the real
discord.py client connects to (``DiscordWebSocket.from_client``), speaking gateway
v10 the way Discord does (the opcodes and close codes of discord.py 2.6's
gateway.py).

- HELLO with the heartbeat interval; every HEARTBEAT gets its ACK.
- IDENTIFY -> READY with a new session (its id, ``resume_gateway_url``); a rejected
  token is closed with 4004, as Discord does, and discord.py gives up.
- Every session has its own sequence and keeps what it was sent: a RESUME within the
  session replays what the client missed, then RESUMED; an unknown or closed session
  gets INVALID_SESSION (false) and must IDENTIFY again. Events for a session whose
  socket dropped are kept for its resume; a session the client closed (1000/1001)
  is gone, and so are its missed events: Discord does not redeliver.
- Faults the tests script: RECONNECT (op 7), INVALID_SESSION, a server-side drop
  (close 4000: the client resumes), refusing connections (503 on the upgrade), a
  HEARTBEAT request from the server.

Several sessions may be open at once (several workers with one token): each gets
every event, as on Discord without sharding."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0,
    1,
    2,
    6,
    7,
    9,
    10,
    11,
)
AUTHENTICATION_FAILED = 4004
UNKNOWN_ERROR = 4000
BACKLOG = 1000  # events kept per session for a RESUME

# Intent bits an event needs (Discord sends nothing a session did not ask for).
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12


@dataclass
class Session:
    id: str
    intents: int
    token: str
    seq: int = 0
    socket: web.WebSocketResponse | None = None
    backlog: list[dict[str, Any]] = field(default_factory=list)
    ended: bool = False  # closed by the client or invalidated: cannot be resumed

    def frame(self, event: str, data: Any) -> dict[str, Any]:
        self.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.backlog.append(frame)
        del self.backlog[:-BACKLOG]
        return frame


class FakeGateway:
    """Sessions and their sockets. ``ready_payload`` builds READY's data;
    ``token_ok`` decides IDENTIFY (both come from the REST side of the fake)."""

    def __init__(
        self, ready_payload: Callable[[Session], dict[str, Any]], token_ok: Callable[[str], bool]
    ) -> None:
        self._ready_payload = ready_payload
        self._token_ok = token_ok
        self.heartbeat_interval_ms = 41250
        self.sessions: dict[str, Session] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.rejected: set[str] = set()  # tokens refused at IDENTIFY only (close 4004)
        self.refusing = False
        self.connections = 0
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()

    # ------------------------------------------------------------------ inspection

    def live(self) -> list[Session]:
        """Sessions with an open socket (identified or resumed)."""
        return [s for s in self.sessions.values() if s.socket is not None and not s.ended]

    async def wait_live(self, count: int = 1, within: float = 20.0) -> list[Session]:
        """Until ``count`` sessions are connected (READY or RESUMED sent)."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.live()) >= count)

        await asyncio.wait_for(enough(), within)
        return self.live()

    async def wait_for(self, predicate: Callable[[], bool], within: float = 20.0) -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(until(), within)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------------ events

    async def dispatch(self, event: str, data: Any, *, intent: int | None = None) -> int:
        """Send an event to every session that asked for it. A session whose socket
        dropped keeps it for its RESUME. Returns how many sockets it went out on."""
        sent = 0
        for session in list(self.sessions.values()):
            if session.ended or (intent is not None and not session.intents & intent):
                continue
            frame = session.frame(event, data)
            if session.socket is not None and await self._send(session.socket, frame):
                sent += 1
        return sent

    async def reconnect(self) -> None:
        """Op 7: Discord asks every client to reconnect (and resume)."""
        for session in self.live():
            assert session.socket is not None
            await self._send(session.socket, {"op": RECONNECT, "d": None, "s": None, "t": None})

    async def invalidate(self, *, resumable: bool = False) -> None:
        """Op 9 to every live session; not resumable: the sessions end, and what they
        would have received since is lost (the client must IDENTIFY afresh)."""
        for session in self.live():
            assert session.socket is not None
            if not resumable:
                session.ended = True
            frame = {"op": INVALID_SESSION, "d": resumable, "s": None, "t": None}
            await self._send(session.socket, frame)

    async def drop(self, code: int = UNKNOWN_ERROR) -> None:
        """The server closes every socket (a network blip, a Discord restart): the
        sessions stay resumable and keep collecting events."""
        for session in self.live():
            socket, session.socket = session.socket, None
            assert socket is not None
            await socket.close(code=code, message=b"fake gateway dropped the connection")
        await self._notify()

    async def request_heartbeat(self) -> None:
        """Op 1 from the server: the client must heartbeat at once."""
        for session in self.live():
            assert session.socket is not None
            await self._send(session.socket, {"op": HEARTBEAT, "d": None, "s": None, "t": None})

    def forget(self) -> None:
        """Every session expires (as after a long outage): nothing can be resumed."""
        for session in self.sessions.values():
            session.ended = True

    # ------------------------------------------------------------------ socket

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.refusing:
            return web.Response(status=503, text="gateway unavailable")
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.connections += 1
        hello = {"d": {"heartbeat_interval": self.heartbeat_interval_ms}}
        await self._send(socket, {"op": HELLO, **hello, "s": None, "t": None})
        session: Session | None = None
        try:
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                op, data = frame.get("op"), frame.get("d")
                if op == HEARTBEAT:
                    self.heartbeats += 1
                    await self._send(socket, {"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
                elif op == IDENTIFY:
                    session = await self._identify(socket, data)
                    if session is None:
                        break
                elif op == RESUME:
                    session = await self._resume(socket, data)
        finally:
            if session is not None and session.socket is socket:
                session.socket = None
                if socket.close_code in (WSCloseCode.OK, WSCloseCode.GOING_AWAY):
                    session.ended = True  # a clean close ends the session for good
            await self._notify()
        return socket

    async def _identify(
        self, socket: web.WebSocketResponse, data: dict[str, Any]
    ) -> Session | None:
        self.identifies.append(data)
        token = str(data.get("token", ""))
        if not self._token_ok(token) or token in self.rejected:
            await socket.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        session = Session(f"fake-session-{next(self._ids)}", int(data.get("intents", 0)), token)
        self.sessions[session.id] = session
        session.socket = socket
        await self._send(socket, session.frame("READY", self._ready_payload(session)))
        await self._notify()
        return session

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        self.resumes.append(data)
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or session.ended or session.token != data.get("token"):
            frame = {"op": INVALID_SESSION, "d": False, "s": None, "t": None}
            await self._send(socket, frame)
            return None
        if session.socket is not None and session.socket is not socket:
            await session.socket.close(code=UNKNOWN_ERROR)
        session.socket = socket
        seen = int(data.get("seq") or 0)
        for frame in [f for f in session.backlog if f["s"] > seen]:
            await self._send(socket, frame)
        await self._send(socket, session.frame("RESUMED", {}))
        await self._notify()
        return session

    @staticmethod
    async def _send(socket: web.WebSocketResponse, frame: dict[str, Any]) -> bool:
        if socket.closed:
            return False
        try:
            await socket.send_str(json.dumps(frame))
        except (ConnectionError, RuntimeError):
            return False
        return True
