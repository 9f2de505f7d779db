"""Logging that never shows a secret.

python-telegram-bot's HTTP library (httpx) logs every request URL at INFO, and a
Bot API URL holds the bot token: httpx is held at WARNING and every record is
scrubbed of known secrets and anything shaped like a bot token."""

from __future__ import annotations

import logging
import re

_TOKEN_SHAPES = [
    re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}"),  # Telegram bot token
    re.compile(r"[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}"),  # Discord
    re.compile(r"sk-[A-Za-z0-9_-]{16,}"),  # OpenAI-style keys
]


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if len(s) >= 6]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        for shape in _TOKEN_SHAPES:
            text = shape.sub("[redacted]", text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Exceptions (httpx errors) carry URLs too: format once, scrubbed.
            formatter = logging.Formatter()
            clean += "\n" + self.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = clean, None
        return True


def setup_logging(level: str = "INFO", secrets: list[str] | None = None) -> RedactSecrets:
    redactor = RedactSecrets(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "telegram.ext.ExtBot", "discord.http", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redactor
