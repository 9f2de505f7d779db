"""Logging that never shows a secret.

python-telegram-bot's HTTP library (httpx) logs every request URL at INFO, and a
Bot API URL holds the bot token: httpx is held at WARNING and every record is
scrubbed of known secrets and anything shaped like a bot token."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

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


def setup_logging(
    level: str = "INFO",
    secrets: list[str] | None = None,
    *,
    file: Path | None = None,
    stderr_level: str | None = None,
) -> RedactSecrets:
    """Log to standard error at ``level``; with ``file``, the log goes there at
    ``level`` and standard error shows only ``stderr_level`` and worse (the console
    keeps its prompt clear). ``stderr_level="OFF"`` shows nothing there."""
    redactor = RedactSecrets(secrets)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = []
    errors_level = (stderr_level or level).upper()
    if errors_level != "OFF":
        stream = logging.StreamHandler()
        stream.setLevel(errors_level)
        handlers.append(stream)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        logfile = logging.handlers.RotatingFileHandler(
            file, maxBytes=5_000_000, backupCount=2, encoding="utf-8"
        )
        logfile.setLevel(level.upper())
        handlers.append(logfile)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(redactor)
        root.addHandler(handler)
    root.setLevel(min((h.level for h in handlers), default=logging.WARNING))
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redactor


# Libraries that log routine work at INFO: every HTTP request (with tokens in the URL),
# every 20-second scheduler sweep.
NOISY = (
    "httpx",
    "httpcore",
    "telegram.ext.ExtBot",
    "discord.http",
    "chromadb",
    "apscheduler.executors.default",
)
