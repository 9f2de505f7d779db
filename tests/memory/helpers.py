"""Test helpers for memory: the local MiniLM files, a scripted model for extraction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

from memory.semantic.embedding import MODEL_FILES
from tests.fakes.openai_server import Reply, echo, last_user_text

MODEL_DIR_NAME = "all-MiniLM-L6-v2-onnx"


def local_minilm_dir() -> Path:
    """``<repo>/../shared/models/...`` (CI), or any ``shared`` folder above the checkout
    (worktrees). Missing files fail the run: these tests never download."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        folder = parent / "shared" / "models" / MODEL_DIR_NAME
        if all((folder / f).exists() for f in MODEL_FILES):
            return folder
    raise RuntimeError(f"the MiniLM ONNX files ({MODEL_DIR_NAME}) are not in any ../shared/models")


@contextmanager
def use_local_minilm() -> Iterator[Path]:
    folder = local_minilm_dir()
    saved = (ONNXMiniLM_L6_V2.DOWNLOAD_PATH, ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME)
    ONNXMiniLM_L6_V2.DOWNLOAD_PATH = folder.parent
    ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME = folder.name
    try:
        yield folder
    finally:
        ONNXMiniLM_L6_V2.DOWNLOAD_PATH, ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME = saved


def system_text(body: dict[str, Any]) -> str:
    for message in body.get("messages", []):
        if message.get("role") == "system":
            return str(message.get("content"))
    return ""


class ScriptedMemoryModel:
    """A responder for the fake OpenAI server: extraction and reconciliation prompts
    get the JSON scripted for the person's message; conversation gets an echo."""

    def __init__(self) -> None:
        self.extractions: dict[str, list[dict[str, Any]]] = {}
        self.decisions: list[Callable[[str], list[dict[str, Any]]]] = []
        self.reconcile_inputs: list[str] = []
        self.chat: Callable[[dict[str, Any]], Reply] = echo

    def extracts(self, message: str, *memories: dict[str, Any]) -> None:
        self.extractions[message] = list(memories)

    def __call__(self, body: dict[str, Any]) -> Reply:
        system = system_text(body)
        user = last_user_text(body)
        if system.startswith("MEMORY EXTRACTION"):
            for message, memories in self.extractions.items():
                if message in user:
                    return Reply(text="```json\n" + json.dumps({"memories": memories}) + "\n```")
            return Reply(text='{"memories": []}')
        if system.startswith("MEMORY RECONCILIATION"):
            self.reconcile_inputs.append(user)
            decide = self.decisions.pop(0) if self.decisions else (lambda _u: [])
            return Reply(text=json.dumps({"decisions": decide(user)}))
        return self.chat(body)
