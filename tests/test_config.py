"""Configuration: names, defaults, validation messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings


def test_defaults_use_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    s = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert s.resolved_database_url == f"sqlite+aiosqlite:///{(tmp_path / 'companion.db').resolve()}"
    assert s.model is None


def test_environment_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COMPANION_DATABASE_URL", "postgresql://u:p@db/companion")
    monkeypatch.setenv("COMPANION_MODEL", "ollama:llama3.2")
    monkeypatch.setenv("COMPANION_MODEL_BASE_URL", "http://127.0.0.1:11434")
    monkeypatch.setenv("COMPANION_ALLOWED_USERS", "123, 456")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.data_dir == tmp_path
    assert s.resolved_database_url == "postgresql+asyncpg://u:p@db/companion"
    assert s.provider == "ollama"
    assert s.allowed_users == ["123", "456"]


def test_api_key_falls_back_to_the_provider_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai-var")
    s = Settings(_env_file=None, model="openai:gpt-4o-mini")  # type: ignore[call-arg]
    assert s.api_key() == "sk-from-openai-var"
    s = Settings(_env_file=None, model="openai:gpt-4o-mini", model_api_key="sk-own")  # type: ignore[call-arg]
    assert s.api_key() == "sk-own"
    assert "sk-own" in s.secrets()


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("COMPANION_MODEL=anthropic:claude-3-5-haiku-latest\n")
    s = Settings(_env_file=env)  # type: ignore[call-arg]
    assert s.model == "anthropic:claude-3-5-haiku-latest"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("model", "gpt-4o", "provider:model"),
        ("database_url", "mysql://x", "COMPANION_DATABASE_URL"),
        ("allowed_users", "alice", "numeric"),
    ],
)
def test_bad_values_explain_themselves(field: str, value: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(_env_file=None, **{field: value})  # type: ignore[arg-type]
    assert words in str(info.value)


def test_cli_prints_a_clear_message_for_bad_config(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "adapters", "doctor"],
        env={
            "COMPANION_MODEL": "gpt-4o",
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "COMPANION_MODEL" in result.stderr and "provider:model" in result.stderr
    assert "Traceback" not in result.stderr
