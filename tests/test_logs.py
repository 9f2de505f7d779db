"""Secrets never reach the logs, not even in the URLs httpx logs or in tracebacks."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactSecrets

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_known_secrets_and_token_shapes_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    redactor = RedactSecrets(["my-model-key-123"])
    logger.addFilter(redactor)
    try:
        with caplog.at_level(logging.INFO, logger="test.redact"):
            logger.info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
            logger.info("key is %s", "my-model-key-123")
            try:
                raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/sendMessage")
            except RuntimeError:
                logger.exception("send failed")
    finally:
        logger.removeFilter(redactor)
    text = caplog.text
    assert TOKEN not in text and "my-model-key-123" not in text
    assert text.count("[redacted]") >= 3
    assert "sendMessage" in text  # the rest of the message survives
