"""Shared fixtures: real SQLite (and PostgreSQL when one answers on 127.0.0.1), a
fake OpenAI-compatible server, a manual clock and a runtime built from them."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.postgres import fresh_database
from tests.memory.helpers import use_local_minilm

PG_HOST = os.environ.get("COMPANION_TEST_PG_HOST", "127.0.0.1")
PG_ADMIN_URL = f"postgresql://postgres@{PG_HOST}:5432/postgres"


def postgres_available() -> bool:
    try:
        with socket.create_connection((PG_HOST, 5432), timeout=1):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # CI must exercise PostgreSQL: there a missing server fails instead of skipping.
    if os.environ.get("CI") and not postgres_available():
        raise pytest.UsageError("CI=true but no PostgreSQL answers on 127.0.0.1:5432")


def postgres_database() -> AbstractAsyncContextManager[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    return fresh_database(PG_ADMIN_URL, "companion_test")


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    if not postgres_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    async with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'companion.db'}"
        return
    if not postgres_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    async with postgres_database() as url:
        yield url


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeOpenAI]:
    server = await FakeOpenAI().start()
    yield server
    await server.stop()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings that ignore the machine's environment and any .env file."""
    base: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "model_timeout": 5.0,
        "model_max_retries": 0,
        "scheduler_enabled": False,
        # The safety feature's "I'm an AI" line at a person's first contact (on by
        # default in the product) adds a message to the first reply that most tests
        # compare exactly; tests/test_safety*.py test it with it on.
        "ai_notice": False,
    }
    base.update(overrides)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path, fake_llm: FakeOpenAI) -> Settings:
    return make_settings(
        tmp_path,
        model="openai:fake-model",
        model_base_url=fake_llm.base_url,
        model_api_key="sk-test-not-a-real-key-000000",
    )


@pytest.fixture
async def runtime(settings: Settings, clock: ManualClock) -> AsyncIterator[Runtime]:
    rt = await build_runtime(settings, clock=clock)
    yield rt
    await rt.close()


@pytest.fixture(scope="session", autouse=True)
def _offline_minilm() -> Iterator[Path]:
    """Chroma's MiniLM embedding from the six ONNX files in ``../shared/models`` (beside
    the clone in CI): nothing is ever downloaded, in this process or a subprocess."""
    with use_local_minilm() as folder:
        yield folder


@pytest.fixture(autouse=True)
def _clean_companion_env(monkeypatch: pytest.MonkeyPatch, _offline_minilm: Path) -> Iterator[None]:
    """Tests never pick up a developer's own COMPANION_* or provider variables; the
    embedding model is the local copy (subprocesses inherit it)."""
    for key in list(os.environ):
        if key.startswith("COMPANION_") and key != "COMPANION_TEST_PG_HOST":
            monkeypatch.delenv(key, raising=False)
    for key in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COMPANION_EMBEDDING_MODEL_DIR", str(_offline_minilm))
    yield
    _forget_cached_openai_clients()


def _forget_cached_openai_clients() -> None:
    """langchain-openai keeps one httpx client per (base URL, timeout) for the whole
    process. Each test has its own event loop and fake server; when a later fake
    server gets a port an earlier one had, the cached client's pooled connections
    belong to a closed loop and a dead server, and the turn fails ("returned an
    error") now and then. In a real deployment there is one loop and one provider."""
    from langchain_openai.chat_models import _client_utils

    for name in ("_cached_async_httpx_client", "_cached_sync_httpx_client"):
        cached = getattr(_client_utils, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()
