"""Speaking: voice replies through an OpenAI-compatible speech endpoint
(``POST /v1/audio/speech``), always delivered as OGG/Opus so Telegram shows a
voice bubble and Discord a voice message. Other formats are converted with PyAV."""

from __future__ import annotations

import asyncio
import re

from bot.background import import_heavy
from bot.config import Settings
from bot.media.transcriber import endpoint, speech_api_key

MAX_INPUT = 4000  # OpenAI's speech endpoint takes up to 4,096 characters


class Speaking:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = endpoint(settings.tts_url, "/audio/speech") if settings.tts_url else None

    @property
    def available(self) -> bool:
        return self.url is not None

    async def synthesize(self, text: str) -> bytes:
        """Speech for ``text`` as OGG/Opus bytes. Raises on any failure."""
        assert self.url is not None
        key = speech_api_key(self.settings, self.url)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        payload = {
            "model": self.settings.tts_model,
            "voice": self.settings.tts_voice,
            "input": speakable(text),
            "response_format": "opus",
        }
        import httpx  # loaded with the first voice reply, not at start

        to_ogg_opus = import_heavy("bot.media.audio").to_ogg_opus  # numpy: bot/background.py

        async with httpx.AsyncClient(timeout=self.settings.model_timeout) as client:
            response = await client.post(self.url, json=payload, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"speech server answered HTTP {response.status_code}")
        if not response.content:
            raise RuntimeError("speech server sent no audio")
        return await asyncio.to_thread(to_ogg_opus, response.content)


_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_MARKS = re.compile(r"(\*\*|__|`|(?<!\w)_|_(?!\w))")


def speakable(text: str) -> str:
    """The reply as it should sound: no Markdown marks, links read by their label."""
    text = _MARKS.sub("", _LINK.sub(r"\1", text)).strip()
    if len(text) <= MAX_INPUT:
        return text
    cut = text[:MAX_INPUT]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > MAX_INPUT // 2 else cut
