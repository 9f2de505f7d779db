"""openai-whisper, the reference implementation (PyTorch). Optional:
``pip install 'companion[openai-whisper]'``; imported only when chosen."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from bot.media.transcriber import Transcript, weighted

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "the openai-whisper backend needs its extra: pip install 'companion[openai-whisper]' "
    "(it brings PyTorch), or use COMPANION_WHISPER_BACKEND=faster-whisper"
)


class OpenAIWhisperTranscriber:
    name = "openai-whisper"

    def __init__(self, model: str, *, download_root: Path) -> None:
        self.model_name = model
        self.download_root = download_root
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        """Load once. A name (``base``...) is downloaded on first use by whisper
        itself, with its progress bar; a ``.pt`` file or a folder holding one is
        used as it is."""
        with self._lock:
            if self._model is None:
                try:
                    import whisper
                except ImportError as exc:
                    raise RuntimeError(INSTALL_HINT) from exc
                source = checkpoint_path(self.model_name)
                log.info("loading Whisper model %s (openai-whisper, CPU)", source)
                self.download_root.mkdir(parents=True, exist_ok=True)
                self._model = whisper.load_model(
                    source, device="cpu", download_root=str(self.download_root)
                )
            return self._model

    def transcribe(self, samples: np.ndarray, language: str | None) -> Transcript:
        model = self.load()
        result = model.transcribe(
            samples.astype(np.float32),
            language=language,
            fp16=False,
            temperature=0.0,
            condition_on_previous_text=False,
            verbose=None,
        )
        segments = result.get("segments") or []
        weights = [(s["end"] - s["start"]) or 1.0 for s in segments]
        return Transcript(
            text=str(result.get("text", "")).strip(),
            language=result.get("language"),
            avg_logprob=weighted(
                [(s["avg_logprob"], w) for s, w in zip(segments, weights, strict=True)]
            ),
            no_speech_prob=weighted(
                [(s["no_speech_prob"], w) for s, w in zip(segments, weights, strict=True)]
            ),
        )


def checkpoint_path(model: str) -> str:
    """A model name stays a name; a directory must hold exactly one ``.pt`` file."""
    path = Path(model).expanduser()
    if path.is_dir():
        found = sorted(path.glob("*.pt"))
        if len(found) != 1:
            raise RuntimeError(f"{path} should hold one openai-whisper .pt checkpoint")
        return str(found[0])
    return str(path) if path.is_file() else model
