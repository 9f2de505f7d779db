"""`companion doctor` says where the embedding model is, or how to provide it offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.memories.doctor import check_memory_embeddings, check_memory_store
from tests.conftest import make_settings
from tests.memory.helpers import local_minilm_dir


async def test_embedding_model_found_in_a_local_folder(tmp_path: Path) -> None:
    result = await check_memory_embeddings(
        make_settings(tmp_path, embedding_model_dir=local_minilm_dir())
    )
    assert result.ok and "all-MiniLM-L6-v2" in result.detail


def test_incomplete_folder_is_named_at_start(tmp_path: Path) -> None:
    (tmp_path / "onnx").mkdir()
    with pytest.raises(ValidationError) as info:
        make_settings(tmp_path, embedding_model_dir=tmp_path / "onnx")
    assert "COMPANION_EMBEDDING_MODEL_DIR" in str(info.value) and "model.onnx" in str(info.value)


async def test_unreachable_chroma_server_fails(tmp_path: Path) -> None:
    result = await check_memory_store(make_settings(tmp_path, chroma_url="http://127.0.0.1:9"))
    assert not result.ok and "did not answer" in result.detail
    assert (await check_memory_store(make_settings(tmp_path))).ok
