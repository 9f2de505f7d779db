"""The `companion` command as a person runs it: chat over standard input, doctor."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.fakes.openai_server import FakeOpenAI
from tests.media_support import tiny_en

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_PROXY = "http://127.0.0.1:9"  # nothing listens there


async def companion(
    args: list[str], env: dict[str, str], stdin: bytes = b"", cwd: Path | None = None
) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        # PYTHONPATH: run this checkout's code, whatever is installed.
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(cwd or "/tmp"),
            "PYTHONPATH": str(ROOT),
            "COMPANION_EMBEDDING_MODEL_DIR": os.environ["COMPANION_EMBEDDING_MODEL_DIR"],
            # Nothing leaves loopback: a download (or doctor's probe for one) meets a
            # proxy that refuses, as on a machine without internet.
            "HTTPS_PROXY": OFFLINE_PROXY,
            **env,
        },
        cwd=cwd,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=120)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_chat_reads_stdin_and_exits_at_end(tmp_path: Path, fake_llm: FakeOpenAI) -> None:
    env = {
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_MODEL": "openai:fake",
        "COMPANION_MODEL_BASE_URL": fake_llm.base_url,
        "COMPANION_MODEL_API_KEY": "sk-test-123456789",
    }
    code, out, err = await companion(["chat"], env, b"hi\n/help\nbye\n", cwd=tmp_path)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "You said: hi"
    assert "/reset" in out
    assert lines[-1] == "You said: bye"
    assert "sk-test-123456789" not in out + err
    # The same person, "local", in the same database, next time.
    code, out, _ = await companion(["chat"], env, b"again\n", cwd=tmp_path)
    assert code == 0
    history = fake_llm.chat_requests()[-1]["messages"]
    assert any(m["content"] == "hi" for m in history)


async def test_chat_without_model_says_what_is_missing(tmp_path: Path) -> None:
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data")}
    code, out, _ = await companion(["chat"], env, b"hello\n", cwd=tmp_path)
    assert code == 0
    assert "no chat model is configured" in out


async def test_doctor_reports_each_dependency(tmp_path: Path, fake_llm: FakeOpenAI) -> None:
    env = {
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_WHISPER_MODEL": tiny_en(),  # on disk: nothing to download
        "COMPANION_MODEL": "openai:fake",
        "COMPANION_MODEL_BASE_URL": fake_llm.base_url,
        "COMPANION_MODEL_API_KEY": "sk-test-123456789",
    }
    code, out, err = await companion(["doctor"], env, cwd=tmp_path)
    assert code == 0, out + err
    assert "[ok  ] database" in out
    assert "[ok  ] chat model: openai:fake answered" in out

    env["COMPANION_MODEL_BASE_URL"] = "http://127.0.0.1:9/v1"  # nothing listens there
    code, out, _ = await companion(["doctor"], env, cwd=tmp_path)
    assert code == 1
    assert "[FAIL] chat model" in out and "fix:" in out


async def test_health_answers_quickly(tmp_path: Path) -> None:
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data")}
    code, out, _ = await companion(["health"], env, cwd=tmp_path)
    assert (code, out.strip()) == (0, "ok")
    env["COMPANION_DATABASE_URL"] = "postgresql+asyncpg://nobody@127.0.0.1:9/none"
    code, out, _ = await companion(["health"], env, cwd=tmp_path)
    assert (code, out.strip()) == (1, "database unreachable")
