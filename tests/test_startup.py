"""Bad configuration is never a traceback: through the real `companion` command, each
problem is one line naming the variable and what would work (exit 2); doctor fails
on a model a feature needs and cannot load offline; memory without its model says so
once, not per message; a failing command does not half-apply; a database a newer
version made is refused untouched; /help from a pipe loads nothing heavy."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.runtime import Runtime, build_runtime
from memory.db import migration_heads
from memory.semantic.embedding import MiniLM
from tests.conftest import make_settings
from tests.fakes.clock import ManualClock
from tests.fakes.openai_server import FakeOpenAI
from tests.goal_helpers import person_of, say
from tests.test_cli import OFFLINE_PROXY, ROOT, companion


def run(env: dict[str, str], tmp_path: Path, args: tuple[str, ...] = ("chat",)) -> tuple[int, str]:
    code, out, err = asyncio.run(companion(list(args), env, b"/help\n", cwd=tmp_path))
    assert "Traceback" not in out + err
    return code, err


def test_each_bad_setting_is_one_line_naming_its_variable(tmp_path: Path) -> None:
    env = {
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_LOG_LEVEL": "LOUD",
        "COMPANION_DEFAULT_TIMEZONE": "Mars/Olympus",
        "COMPANION_CHECKINS_PER_DAY": "-3",
        "COMPANION_QUIET_HOURS": "lunchtime",
        "COMPANION_ROLE": "boss",
        "COMPANION_TURN_CONCURRENCY": "many",
        "COMPANION_WHISPER_MODEL": str(tmp_path / "models" / "small"),
    }
    code, err = run(env, tmp_path)
    assert code == 2
    assert sorted(err.splitlines()) == sorted(
        [
            "companion: COMPANION_LOG_LEVEL=LOUD is not a log level; use DEBUG, INFO, "
            "WARNING, ERROR or CRITICAL.",
            "companion: COMPANION_DEFAULT_TIMEZONE=Mars/Olympus is not a timezone; use an "
            "IANA name like Europe/Berlin or America/New_York, or an offset like UTC+2.",
            "companion: COMPANION_CHECKINS_PER_DAY=-3 is out of range; use a number (0 turns "
            "them off) from 0 to 12.",
            "companion: COMPANION_QUIET_HOURS=lunchtime is not a range of hours; use one like "
            "22:00-08:00, or off.",
            "companion: COMPANION_ROLE=boss is not a role; use all, worker or scheduler.",
            "companion: COMPANION_TURN_CONCURRENCY=many: should be a whole number.",
            f"companion: COMPANION_WHISPER_MODEL={tmp_path / 'models' / 'small'} is not a "
            "folder on this machine; give a folder holding a Whisper model, or a model name "
            "like base or small.en (downloaded on first use).",
        ]
    )


@pytest.mark.parametrize("where", ["a file", "inside a file", "a dangling link"])
def test_a_data_dir_that_cannot_be_made_names_companion_data_dir(
    tmp_path: Path, where: str
) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "gone" / "away")
    data_dir = {
        "a file": tmp_path / "file",
        "inside a file": tmp_path / "file" / "data",
        "a dangling link": tmp_path / "link" / "data",
    }[where]
    code, err = run({"COMPANION_DATA_DIR": str(data_dir)}, tmp_path)
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(f"companion: COMPANION_DATA_DIR={data_dir} ")
    assert "point it at a folder" in line


def test_an_unreachable_database_names_companion_database_url(tmp_path: Path) -> None:
    env = {
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_DATABASE_URL": "postgresql://nobody:secret-pw@127.0.0.1:9/companion",
    }
    code, err = run(env, tmp_path)
    assert code == 2
    assert err.splitlines() == [
        "companion: COMPANION_DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:9/companion "
        "(connection refused); start the server, or fix the host and port in the URL."
    ]


def test_doctor_fails_on_models_it_cannot_load_offline(tmp_path: Path) -> None:
    env = {
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_EMBEDDING_MODEL_DIR": "",  # Chroma's own folder, empty here
        "HOME": str(tmp_path),
    }
    code, out, _ = asyncio.run(companion(["doctor"], env, cwd=tmp_path))
    assert code == 1
    assert "[FAIL] memory embeddings: all-MiniLM-L6-v2 is not in" in out
    assert "cannot be downloaded here" in out and "COMPANION_EMBEDDING_MODEL_DIR" in out
    assert "[FAIL] voice notes: faster-whisper, model 'base' is not on this machine" in out
    assert "COMPANION_WHISPER_MODEL to a folder" in out


async def test_offline_memory_says_so_once_not_per_message(
    tmp_path: Path,
    fake_llm: FakeOpenAI,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("COMPANION_EMBEDDING_MODEL_DIR")
    monkeypatch.setenv("HTTPS_PROXY", OFFLINE_PROXY)
    monkeypatch.setattr(MiniLM, "DOWNLOAD_PATH", str(tmp_path / "no-model"))
    settings = make_settings(
        tmp_path, model="openai:fake", model_base_url=fake_llm.base_url, model_api_key="sk-x"
    )
    rt: Runtime = await build_runtime(settings, clock=clock)
    try:
        with caplog.at_level(logging.INFO):
            await say(rt, "/settings")
            memory = rt.services.memory
            pid = (await person_of(rt)).id
            await memory.remember(pid, "Their sister Anna lives in Lyon.")  # kept all the same
            for text in ("how is my sister Anna?", "and Anna's job?"):
                assert await say(rt, text) == f"You said: {text}"  # the reply still comes
                prompt = fake_llm.chat_requests()[-1]["messages"][0]["content"]
                assert "Anna lives in Lyon" in prompt  # recalled by its words
            await rt.companion.drain()
    finally:
        await rt.close()
    said = [r for r in caplog.records if "memory search is off" in r.getMessage()]
    assert len(said) == 1 and said[0].exc_info is None
    assert not any("context provider failed" in r.getMessage() for r in caplog.records)
    assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.ERROR)


async def test_a_stored_timezone_that_no_longer_exists_breaks_nothing(
    tmp_path: Path, clock: ManualClock
) -> None:
    rt = await build_runtime(make_settings(tmp_path), clock=clock)
    try:
        await say(rt, "/settings")
        person = await person_of(rt)
        await rt.people.update(person.id, timezone="Mars/Olympus")  # from before it was checked
        assert "Added goal 1: Walk daily" in await say(rt, "/goals add Walk daily")
        assert "Logged" in await say(rt, "/goals log 1")
        assert "1. Walk daily" in await say(rt, "/goals")
        assert "timezone: UTC for now: 'Mars/Olympus' is not a timezone" in await say(
            rt, "/settings"
        )
        assert len(await rt.services.goals.store.all(person.id)) == 1
    finally:
        await rt.close()


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


@pytest.mark.parametrize("named_by", ["COMPANION_DATA_DIR", "COMPANION_DATABASE_URL"])
def test_a_database_from_a_newer_version_is_refused_untouched_by_every_command(
    tmp_path: Path, named_by: str
) -> None:
    data = tmp_path / "data"
    env = {"COMPANION_DATA_DIR": str(data)}
    if named_by == "COMPANION_DATABASE_URL":
        env["COMPANION_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'elsewhere.db'}"
    code, _ = run(env, tmp_path)  # this version makes it
    assert code == 0
    path = data / "companion.db" if named_by == "COMPANION_DATA_DIR" else tmp_path / "elsewhere.db"
    heads = migration_heads()
    assert heads
    newest = max(heads)
    with closing(sqlite3.connect(path)) as conn:  # a newer version's migration on top
        conn.execute(
            "UPDATE alembic_version SET version_num = '9999_from_the_future' WHERE version_num = ?",
            (newest,),
        )
        conn.commit()
    before = _dump(path)
    for command in ("chat", "run", "web", "doctor", "health"):
        code, out, err = asyncio.run(companion([command], env, b"/help\n", cwd=tmp_path))
        assert (code, out) == (2, ""), (command, out, err)
        [line] = err.splitlines()
        assert line.startswith(f"companion: {named_by}"), (command, line)
        assert "made by a newer version of Companion" in line
        assert "9999_from_the_future" in line
        assert f"Upgrade Companion, or point {named_by} at another" in line
        assert _dump(path) == before, command


# What `companion chat` answering /help must not load: each of these is tens to
# hundreds of milliseconds (or more) that /help does not use. They load on first use.
HEAVY_MODULES = (
    "langchain",
    "langchain_core",
    "langchain_openai",
    "openai",
    "tiktoken",
    "discord",
    "telegram",
    "aiohttp",
    "httpx",
    "requests",
    "chromadb",
    "onnxruntime",
    "tokenizers",
    "numpy",
    "matplotlib",
    "PIL",
    "av",
    "faster_whisper",
    "apscheduler",
    "dateparser",
    "asyncpg",
    "sqlalchemy.dialects.postgresql",
)

# Runs the `companion` command in this process, then writes every loaded module's name.
_RECORDING = """
import atexit, json, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("adapters", run_name="__main__", alter_sys=True)
"""


def _help_loads(env: dict[str, str], cwd: Path) -> set[str]:
    record = cwd / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", _RECORDING, str(record), "chat"],
        input=b"/help\n",
        capture_output=True,
        timeout=120,
        cwd=cwd,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(cwd),
            "PYTHONPATH": str(ROOT),
            "HTTPS_PROXY": OFFLINE_PROXY,
            **env,
        },
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "/goals" in proc.stdout.decode()  # /help's answer
    assert b"Traceback" not in proc.stderr
    return set(json.loads(record.read_text()))


@pytest.mark.parametrize("model", [False, True], ids=["no model", "with a model"])
def test_help_from_a_pipe_loads_nothing_heavy(tmp_path: Path, model: bool) -> None:
    env = {"COMPANION_DATA_DIR": str(tmp_path / "data")}
    if model:  # configured, never called: /help must not load it
        env |= {"COMPANION_MODEL": "openai:gpt-4o-mini", "OPENAI_API_KEY": "sk-not-used"}
    first = _help_loads(env, tmp_path)  # creates the database (with Alembic)
    assert "sqlalchemy" in first and "bot.goals" in first  # it did record this command
    alembic_loads = {"sqlalchemy.dialects.postgresql"}  # Alembic loads its dialects
    assert sorted(first & (set(HEAVY_MODULES) - alembic_loads)) == []
    again = _help_loads(env, tmp_path)  # every start after: not even Alembic
    assert sorted(again & {*HEAVY_MODULES, "alembic"}) == []


async def _pg_state(url: str) -> list[object]:
    """Revisions, tables and rows of a PostgreSQL database: what 'untouched' means."""
    import asyncpg  # the postgres extra

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        state: list[object] = [
            sorted(r[0] for r in await conn.fetch("SELECT version_num FROM alembic_version"))
        ]
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in tables:
            rows = await conn.fetch(f'SELECT * FROM "{table}"')
            state.append((table, sorted(str(tuple(r)) for r in rows)))
        return state
    finally:
        await conn.close()


@pytest.mark.postgres
async def test_a_postgres_database_from_a_newer_version_is_refused_untouched(
    tmp_path: Path, pg_url: str
) -> None:
    import asyncpg

    env = {"COMPANION_DATA_DIR": str(tmp_path / "data"), "COMPANION_DATABASE_URL": pg_url}
    code, _, err = await companion(["chat"], env, b"/help\n", cwd=tmp_path)
    assert code == 0, err
    heads = migration_heads()
    assert heads
    conn = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(
            "UPDATE alembic_version SET version_num = '9999_from_the_future' "
            "WHERE version_num = $1",
            max(heads),
        )
    finally:
        await conn.close()
    before = await _pg_state(pg_url)
    for command in ("chat", "doctor", "health"):
        code, out, err = await companion([command], env, b"/help\n", cwd=tmp_path)
        assert (code, out) == (2, ""), (command, out, err)
        [line] = err.splitlines()
        assert line.startswith("companion: COMPANION_DATABASE_URL: the database at "), line
        assert "made by a newer version of Companion (migration 9999_from_the_future" in line
        assert "Upgrade Companion, or point COMPANION_DATABASE_URL at another database." in line
        assert "@" not in line  # no user or password shown
        assert await _pg_state(pg_url) == before, command
