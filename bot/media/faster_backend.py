"""faster-whisper (CTranslate2) on the CPU with int8 weights: the default. Fast,
offline once the model is on disk, and no PyTorch."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

from bot.media.transcriber import Transcript, weighted

log = logging.getLogger(__name__)


class FasterWhisperTranscriber:
    name = "faster-whisper"

    def __init__(
        self,
        model: str,
        *,
        download_root: Path,
        cpu_threads: int = 0,
        beam_size: int = 5,
        workers: int = 1,
    ) -> None:
        self.model_name = model
        self.workers = workers
        self.beam_size = beam_size
        self.download_root = download_root
        self.cpu_threads = cpu_threads
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        """Load once (thread-safe). A name is downloaded on first use, with progress."""
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                path = resolve_model(self.model_name, self.download_root)
                log.info("loading Whisper model from %s (faster-whisper, CPU int8)", path)
                self._model = WhisperModel(
                    path,
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self.cpu_threads,
                    num_workers=max(1, self.workers),  # parallel calls really run in parallel
                )
            return self._model

    def transcribe(self, samples: np.ndarray, language: str | None) -> Transcript:
        model = self.load()
        segments, info = model.transcribe(
            samples, language=language, beam_size=self.beam_size, condition_on_previous_text=False
        )
        parts = list(segments)  # the generator does the work: consume it here, in the thread
        text = " ".join(s.text.strip() for s in parts if s.text.strip())
        weights = [(s.end - s.start) or 1.0 for s in parts]
        return Transcript(
            text=text,
            language=info.language,
            avg_logprob=weighted([(s.avg_logprob, w) for s, w in zip(parts, weights, strict=True)]),
            no_speech_prob=weighted(
                [(s.no_speech_prob, w) for s, w in zip(parts, weights, strict=True)]
            ),
        )


def resolve_model(name: str, download_root: Path) -> str:
    """A local directory as it is; a model name (``base``, ``small.en``, or a
    Hugging Face repo id) from the cache, else downloaded now with a progress bar."""
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    import huggingface_hub

    repo_id = repo_for(name)
    download_root.mkdir(parents=True, exist_ok=True)
    try:
        return str(
            huggingface_hub.snapshot_download(
                repo_id, cache_dir=str(download_root), allow_patterns=FILES, local_files_only=True
            )
        )
    except Exception:
        return download_with_progress(name, repo_id, download_root)  # first use


def is_cached(name: str, download_root: Path) -> bool:
    import huggingface_hub

    try:
        huggingface_hub.snapshot_download(
            repo_for(name),
            cache_dir=str(download_root),
            allow_patterns=FILES,
            local_files_only=True,
        )
    except Exception:
        return False
    return True


FILES = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]


def repo_for(name: str) -> str:
    from faster_whisper import utils

    repo_id = name if "/" in name else getattr(utils, "_MODELS", {}).get(name)
    if repo_id is None:
        raise ValueError(
            f"unknown Whisper model {name!r}: use a name like base, small.en, a Hugging Face "
            "repo id, or a local model directory"
        )
    return str(repo_id)


def download_with_progress(name: str, repo_id: str, download_root: Path) -> str:
    """First use of a model name: fetch it from Hugging Face, showing progress bars
    on standard error (faster-whisper's own helper hides them)."""
    import huggingface_hub

    print(
        f"Downloading the Whisper model {name!r} ({repo_id}) to {download_root}; "
        "this happens once.",
        file=sys.stderr,
    )
    log.info("downloading Whisper model %s from %s", name, repo_id)
    return str(
        huggingface_hub.snapshot_download(
            repo_id, cache_dir=str(download_root), allow_patterns=FILES
        )
    )
