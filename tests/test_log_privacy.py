"""What reaches the log: no secret and nothing a person wrote, at any level.

The main test runs the real `companion run` at DEBUG in a subprocess: Telegram in
webhook mode with no secret configured (so the channel makes one up), a chat model
whose base URL carries a password, one message through the fake Bot API."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sqlite3
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from bot.logs import RedactSecrets, register_secret
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
PASSWORD = "hunter2-in-the-url"
WORDS = "my diary says zebra-umbrella"
NAME = "Quokkaname"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_debug_run_logs_no_secret_and_no_message_text(
    tmp_path: Path, fake_llm: FakeOpenAI
) -> None:
    tg = await FakeTelegram(TOKEN).start()
    port = free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "COMPANION_EMBEDDING_MODEL_DIR": os.environ["COMPANION_EMBEDDING_MODEL_DIR"],
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_LOG_LEVEL": "DEBUG",
        "COMPANION_AI_NOTICE": "false",  # the test compares every reply exactly
        "COMPANION_MODEL": "openai:fake",
        "COMPANION_MODEL_BASE_URL": fake_llm.base_url.replace("://", f"://bob:{PASSWORD}@"),
        "COMPANION_MODEL_API_KEY": "sk-test-123456789abcdef",
        "COMPANION_TELEGRAM_TOKEN": TOKEN,
        "COMPANION_TELEGRAM_API_URL": tg.base_url,
        "COMPANION_TELEGRAM_WEBHOOK_URL": hook,
        "COMPANION_TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "COMPANION_TELEGRAM_WEBHOOK_PORT": str(port),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await tg.wait_for(lambda: tg.webhook is not None or proc.returncode is not None, 60)
        assert tg.webhook is not None, "the bot never registered its webhook"
        tg.webhook_targets = [hook]
        tg.push_text(42, WORDS, first_name=NAME)
        await tg.wait_for(lambda: tg.sent("sendMessage", 42), 30)
    finally:
        if proc.returncode is None:
            proc.terminate()
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        await tg.stop()
    log = (out + err).decode()
    secret = str(tg.webhook["secret_token"])
    assert tg.texts(42) == [f"You said: {WORDS}"]  # the message went through
    assert fake_llm.chat_requests(), "the model was called through the password URL"
    assert "DEBUG companion: debug logging on" in log  # DEBUG really was on
    assert "Telegram webhook on 127.0.0.1" in log
    for leaked in (secret, PASSWORD, "zebra-umbrella", NAME, TOKEN, "sk-test-123456789abcdef"):
        assert leaked not in log, f"{leaked!r} reached the log"


def test_urls_keep_their_shape_but_lose_passwords() -> None:
    redactor = RedactSecrets()
    text = redactor.redact(
        "POST http://bob:pa55word@host:8080/v1/chat postgresql+asyncpg://me:dbpass@db/x "
        "https://tok3n@example.org/a https://example.org/x?api_key=abcdef&page=2 "
        "mail me at sam@example.org, see https://example.org/user@home"
    )
    assert "pa55word" not in text and "dbpass" not in text and "tok3n" not in text
    assert "abcdef" not in text
    assert "http://bob:[redacted]@host:8080/v1/chat" in text
    assert "postgresql+asyncpg://me:[redacted]@db/x" in text
    assert "page=2" in text and "sam@example.org" in text and "/user@home" in text
    asyncpg = redactor.redact("invalid input for query argument $1: 'my words' (expected str)")
    assert "my words" not in asyncpg and "query argument $1" in asyncpg


def test_a_secret_made_at_run_time_is_hidden_by_every_redactor(
    caplog: pytest.LogCaptureFixture,
) -> None:
    installed_before = RedactSecrets([])
    register_secret("made-at-run-time-0123456789")
    logger = logging.getLogger("tests.runtime_secret")
    logger.addFilter(installed_before)
    try:
        with caplog.at_level(logging.INFO, logger="tests.runtime_secret"):
            logger.info("setWebhook secret_token=%s", "made-at-run-time-0123456789")
    finally:
        logger.removeFilter(installed_before)
    assert "made-at-run-time" not in caplog.text and "[redacted]" in caplog.text


async def test_a_failed_statement_logs_no_bound_values(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLAlchemy prints the values of a failed statement: what a person wrote."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    logger = logging.getLogger("tests.sql_values")
    logger.addFilter(RedactSecrets())
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text("CREATE TABLE t (x TEXT UNIQUE)"))
            await conn.execute(sa.text("INSERT INTO t VALUES ('my private words')"))
            with caplog.at_level(logging.ERROR, logger="tests.sql_values"):
                try:
                    await conn.execute(
                        sa.text("INSERT INTO t VALUES (:x)"), {"x": "my private words"}
                    )
                except sa.exc.IntegrityError as exc:
                    assert isinstance(exc.orig, sqlite3.IntegrityError)
                    assert "my private words" in str(exc)  # SQLAlchemy does print them
                    logger.exception("storing failed")
    finally:
        await engine.dispose()
    assert "UNIQUE constraint failed" in caplog.text  # the useful part stays
    assert "[parameters: hidden]" in caplog.text
    assert "my private words" not in caplog.text
