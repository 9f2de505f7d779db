"""A fake OpenAI-compatible server on 127.0.0.1, driven by the real langchain-openai
client. Scripted replies, tool calls, and faults (429, 500, slow answers); also
speech: ``/v1/audio/transcriptions`` (scripted text, records the uploaded file) and
``/v1/audio/speech`` (records the request, answers with ``speech_audio``)."""

from __future__ import annotations

import asyncio
import io
import json
import math
import struct
import time
import wave
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Reply:
    """One scripted answer. ``tool_calls`` is a list of (name, args) pairs; args given
    as a string are sent as they are (a model's malformed JSON)."""

    text: str | None = None
    tool_calls: list[tuple[str, dict[str, Any] | str]] = field(default_factory=list)
    status: int = 200
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Callable[[dict[str, Any]], Reply]


def last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return " ".join(b.get("text", "") for b in content if b.get("type") == "text")
            return str(content)
    return ""


def is_background(body: dict[str, Any]) -> bool:
    """Memory extraction and reconciliation requests (their system prompt says so)."""
    messages = body.get("messages") or [{}]
    first = messages[0]
    return first.get("role") == "system" and str(first.get("content", "")).startswith("MEMORY")


def is_safety_check(body: dict[str, Any]) -> bool:
    """The safety feature's judgement of a message (its system prompt says so)."""
    messages = body.get("messages") or [{}]
    first = messages[0]
    return first.get("role") == "system" and str(first.get("content", "")).startswith(
        "SAFETY CHECK"
    )


def calm(body: dict[str, Any]) -> Reply:
    """The default safety judgement: no crisis."""
    return Reply(text='{"crisis": false, "kind": "none"}')


def echo(body: dict[str, Any]) -> Reply:
    return Reply(text=f"You said: {last_user_text(body)}")


class FakeOpenAI:
    def __init__(self, responder: Responder = echo) -> None:
        self.responder = responder
        # Answers the safety feature's parallel judgement; never takes scripted replies.
        self.safety_responder: Responder = calm
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._calls = 0
        self.extra_routes: list[tuple[str, str, Callable[..., Any]]] = []
        # --- speech
        self.transcript = "hello from the fake transcription server"
        self.audio_uploads: list[dict[str, Any]] = []  # model, language, file bytes, headers
        self.speech_requests: list[dict[str, Any]] = []
        self.speech_audio: bytes = tone_wav()
        self.speech_content_type = "audio/wav"
        self.audio_status = 200  # fault injection for both speech routes

    # --- scripting

    def push(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def say(self, *texts: str) -> None:
        self.push(*(Reply(text=t) for t in texts))

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def all_chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r]

    def chat_requests(self) -> list[dict[str, Any]]:
        """The conversation's requests, without the memory feature's background ones
        and the safety feature's judgements."""
        return [
            r for r in self.all_chat_requests() if not is_background(r) and not is_safety_check(r)
        ]

    def memory_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.all_chat_requests() if is_background(r)]

    def safety_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.all_chat_requests() if is_safety_check(r)]

    # --- server

    async def start(self) -> FakeOpenAI:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_post("/v1/audio/transcriptions", self._transcriptions)
        app.router.add_post("/v1/audio/speech", self._speech)
        for method, path, handler in self.extra_routes:
            app.router.add_route(method, path, handler)
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

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "fake", "object": "model"}]})

    async def _transcriptions(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        self.paths.append(request.path)
        self.audio_uploads.append(
            {
                "model": form.get("model"),
                "language": form.get("language"),
                "response_format": form.get("response_format"),
                "file": upload.file.read() if isinstance(upload, web.FileField) else None,
                "filename": upload.filename if isinstance(upload, web.FileField) else None,
                "authorization": request.headers.get("Authorization"),
            }
        )
        if self.audio_status != 200:
            return web.json_response({"error": {"message": "fake error"}}, status=self.audio_status)
        return web.json_response({"text": self.transcript})

    async def _speech(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.paths.append(request.path)
        self.speech_requests.append({**body, "authorization": request.headers.get("Authorization")})
        if self.audio_status != 200:
            return web.json_response({"error": {"message": "fake error"}}, status=self.audio_status)
        return web.Response(body=self.speech_audio, content_type=self.speech_content_type)

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.paths.append(request.path)
        # Background memory work and safety judgements never take a scripted reply
        # meant for the conversation.
        if is_safety_check(body):
            reply = self.safety_responder(body)
        elif self.script and not is_background(body):
            reply = self.script.popleft()
        else:
            reply = self.responder(body)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            return web.json_response(
                {"error": {"message": reply.error or "fake error", "type": "fake", "code": None}},
                status=reply.status,
                headers=reply.headers,
            )
        self._calls += 1
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": f"call_{self._calls}_{i}",
                    "type": "function",
                    "function": {
                        "name": name,
                        "arguments": args if isinstance(args, str) else json.dumps(args),
                    },
                }
                for i, (name, args) in enumerate(reply.tool_calls)
            ]
        return web.json_response(
            {
                "id": f"chatcmpl-{self._calls}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )


def tone_wav(seconds: float = 0.5, hz: float = 440.0, rate: int = 16_000) -> bytes:
    """A short sine tone as 16-bit WAV: stand-in speech for the speech route."""
    frames = b"".join(
        struct.pack("<h", int(12_000 * math.sin(2 * math.pi * hz * i / rate)))
        for i in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()
