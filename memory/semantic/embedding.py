"""Chroma's all-MiniLM-L6-v2 ONNX embedding function, padded per batch.

Chroma's own version pads every text to 256 tokens, which makes a short query cost
as much as a long document (about 20x slower here); this one pads to the longest text
in the batch and gives the same vectors. The model comes from Chroma's usual download
folder, or from a local folder holding the six ONNX files (offline machines)."""

from __future__ import annotations

import logging
import os
import time
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

from memory.semantic.vectors import EmbeddingUnavailable

MODEL_FILES = (
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
)


log = logging.getLogger(__name__)

RETRY_DOWNLOAD_AFTER = 600.0  # seconds: offline, each message must not wait on a download


class MiniLM(ONNXMiniLM_L6_V2):
    """Same name and vectors as Chroma's default, so collections stay compatible."""

    _failed_at: float | None = None

    def _unavailable_message(self) -> str:
        folder = os.path.join(self.DOWNLOAD_PATH, self.EXTRACTED_FOLDER_NAME)
        return (
            f"memory search is off: the embedding model all-MiniLM-L6-v2 is not in {folder} "
            "and could not be downloaded; without internet, set COMPANION_EMBEDDING_MODEL_DIR "
            "to a folder holding its six ONNX files (see companion doctor)"
        )

    def raise_if_failed_recently(self) -> None:
        """Raise EmbeddingUnavailable when the download failed less than
        RETRY_DOWNLOAD_AFTER ago: a caller learns it without starting a thread."""
        failed = self._failed_at
        if failed is not None and time.monotonic() - failed < RETRY_DOWNLOAD_AFTER:
            raise EmbeddingUnavailable(self._unavailable_message())

    def _download_model_if_not_exists(self) -> None:
        folder = os.path.join(self.DOWNLOAD_PATH, self.EXTRACTED_FOLDER_NAME)
        if all(os.path.exists(os.path.join(folder, f)) for f in MODEL_FILES):
            return
        message = self._unavailable_message()
        self.raise_if_failed_recently()
        try:
            super()._download_model_if_not_exists()
        except Exception as exc:
            self._failed_at = time.monotonic()
            log.error("%s (%s: %s)", message, type(exc).__name__, str(exc)[:120])
            raise EmbeddingUnavailable(message) from None

    @cached_property
    def tokenizer(self) -> Any:
        tokenizer = self.Tokenizer.from_file(
            os.path.join(self.DOWNLOAD_PATH, self.EXTRACTED_FOLDER_NAME, "tokenizer.json")
        )
        tokenizer.enable_truncation(max_length=256)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the batch's longest
        return tokenizer

    @cached_property
    def model(self) -> Any:
        """One inference thread that sleeps instead of spinning: short queries are not
        faster with more, and spinning threads fight every other process for the CPU."""
        options = self.ort.SessionOptions()
        options.log_severity_level = 3
        options.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return self.ort.InferenceSession(
            os.path.join(self.DOWNLOAD_PATH, self.EXTRACTED_FOLDER_NAME, "model.onnx"),
            providers=["CPUExecutionProvider"],
            sess_options=options,
        )

    def _forward(self, documents: list[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        out = []
        for start in range(0, len(documents), batch_size):
            encoded = self.tokenizer.encode_batch(documents[start : start + batch_size])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self.model.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = np.expand_dims(mask, -1).astype(np.float32)
            pooled = (hidden * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
            out.append(self._normalize(pooled).astype(np.float32))
        return cast(npt.NDArray[np.float32], np.concatenate(out))


def embedding_function(model_dir: Path | None = None) -> MiniLM:
    """The embedding function; ``model_dir`` (COMPANION_EMBEDDING_MODEL_DIR) is a folder
    holding the six ONNX files, used instead of Chroma's download folder."""
    function = MiniLM()
    if model_dir is not None:
        model_dir = Path(model_dir).resolve()
        missing = [f for f in MODEL_FILES if not (model_dir / f).exists()]
        if missing:
            raise ValueError(
                f"COMPANION_EMBEDDING_MODEL_DIR={model_dir} lacks {', '.join(missing)}"
            )
        function.DOWNLOAD_PATH = model_dir.parent
        function.EXTRACTED_FOLDER_NAME = model_dir.name
    return function
