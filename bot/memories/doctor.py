"""`companion doctor` checks for memory: the embedding model and the Chroma store."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.config import Settings
from bot.doctor import CheckResult, register, unreachable
from memory.semantic.embedding import MODEL_FILES, embedding_function


@register
async def check_memory_embeddings(settings: Settings) -> CheckResult:
    """Memory search needs the embedding model: on disk, or downloadable from here."""
    try:
        function = embedding_function(settings.embedding_model_dir)
    except ValueError as exc:
        return CheckResult("memory embeddings", False, str(exc), "Point it at the six ONNX files.")
    folder = Path(function.DOWNLOAD_PATH) / function.EXTRACTED_FOLDER_NAME
    if all((folder / f).exists() for f in MODEL_FILES):
        return CheckResult("memory embeddings", True, f"all-MiniLM-L6-v2 in {folder}")
    url = function.MODEL_DOWNLOAD_URL
    problem = await unreachable(url)
    if problem is None:
        return CheckResult(
            "memory embeddings",
            True,
            f"all-MiniLM-L6-v2 is not in {folder} yet: downloaded (about 80 MB) on first use",
        )
    return CheckResult(
        "memory embeddings",
        False,
        f"all-MiniLM-L6-v2 is not in {folder} and cannot be downloaded here ({problem}): "
        "memory search would be off",
        "Without internet, set COMPANION_EMBEDDING_MODEL_DIR to a folder holding the six "
        f"ONNX files ({', '.join(MODEL_FILES)}), e.g. copied from "
        "~/.cache/chroma/onnx_models/all-MiniLM-L6-v2/onnx on a machine that has them.",
    )


@register
async def check_memory_store(settings: Settings) -> CheckResult:
    if not settings.chroma_url:
        return CheckResult(
            "memory store", True, f"embedded Chroma in {settings.data_dir / 'chroma'}"
        )

    def beat() -> int:
        from urllib.parse import urlparse

        import chromadb

        url = urlparse(settings.chroma_url or "")
        client = chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
        )
        return int(client.heartbeat())

    try:
        await asyncio.wait_for(asyncio.to_thread(beat), timeout=15)
    except Exception as exc:
        return CheckResult(
            "memory store",
            False,
            f"Chroma at {settings.chroma_url} did not answer: {type(exc).__name__}",
            "Start the Chroma server or fix COMPANION_CHROMA_URL.",
        )
    return CheckResult("memory store", True, f"Chroma server at {settings.chroma_url}")
