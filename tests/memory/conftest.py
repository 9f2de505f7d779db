"""Memory tests run offline: Chroma's MiniLM embedding is pointed at the six ONNX files
in ``../shared/models`` (beside the clone in CI), so nothing is downloaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.memory.helpers import use_local_minilm


@pytest.fixture(scope="session", autouse=True)
def _offline_minilm() -> Iterator[Path]:
    with use_local_minilm() as folder:
        yield folder
