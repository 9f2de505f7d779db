"""Any OpenAI-compatible transcription server (``POST /v1/audio/transcriptions``),
for people who would rather not run a model locally. The audio is sent as WAV,
which every such server reads."""

from __future__ import annotations

import httpx
import numpy as np

from bot.media.audio import Audio, to_wav
from bot.media.transcriber import Transcript, endpoint


class ApiTranscriber:
    name = "api"

    def __init__(
        self, base_url: str, *, model: str, api_key: str | None, timeout: float = 120.0
    ) -> None:
        self.url = endpoint(base_url, "/audio/transcriptions")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout

    def transcribe(self, samples: np.ndarray, language: str | None) -> Transcript:
        data = {"model": self.model, "response_format": "json"}
        if language:
            data["language"] = language
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        response = httpx.post(
            self.url,
            data=data,
            files={"file": ("voice.wav", to_wav(Audio(samples)), "audio/wav")},
            headers=headers,
            timeout=self.timeout,
        )
        if response.status_code != 200:
            # The body may echo request details; the status is enough for the log.
            raise RuntimeError(f"transcription server answered HTTP {response.status_code}")
        body = response.json()
        return Transcript(text=str(body.get("text", "")).strip(), language=body.get("language"))
