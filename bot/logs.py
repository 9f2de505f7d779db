"""Logging that never shows a secret or what people wrote.

Three layers, because a log outlives /deleteme and is read by whoever runs the box:

- Libraries stay at INFO or above, whatever COMPANION_LOG_LEVEL says: at DEBUG they
  write request payloads (python-telegram-bot logs every call's parameters, so message
  texts, names and the webhook secret; the HTTP clients log headers). DEBUG applies to
  the companion's own loggers only. Libraries that log URLs at INFO (httpx and its
  fork httpx2 under the openai client: a Bot API URL holds the bot token, a base URL
  may hold a password) are held at WARNING.
- Every record is scrubbed: known secrets (from the settings, and those made at run
  time, see ``register_secret``), anything shaped like a token, the password part of
  any URL, key-like query parameters, and the parameters SQLAlchemy prints with a
  failed statement (they are what people wrote).
- Tracebacks are formatted once and scrubbed the same way.
"""

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
# scheme://user:password@host -> scheme://user:[redacted]@host (and a lone token as user).
_URL_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<info>[^/\s@?#]+)@")
_KEY_PARAMS = re.compile(
    r"(?P<name>[?&](?:api[_-]?key|key|token|access_token|secret|password|sig)=)[^&\s#'\"]+",
    re.IGNORECASE,
)
# SQLAlchemy errors end with a line "[parameters: (...)]": the values bound, i.e. what
# people wrote (a repr, so on one line); asyncpg quotes a value it could not convert.
_SQL_VALUES = [
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: hidden]"),
    (re.compile(r"(invalid input for query argument \$\d+: )[^\n]*"), r"\1[hidden]"),
]

OWN_LOGGERS = ("bot", "adapters", "memory", "companion", "bench")
# Log request URLs at INFO: held at WARNING.
URL_LOGGERS = ("httpx", "httpx2", "httpcore", "httpcore2", "telegram.ext.ExtBot", "discord.http")
# Chatty, nothing useful at INFO (APScheduler: two lines per 20-second sweep).
QUIET_LOGGERS = ("chromadb", "aiosqlite", "hpack", "websockets", "apscheduler.executors.default")

_runtime_secrets: set[str] = set()
MIN_SECRET_LENGTH = 6  # shorter values would redact ordinary words


def register_secret(value: str | None) -> None:
    """A secret made at run time (the webhook's random token...): every redactor,
    already installed or not, hides it from now on."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        _runtime_secrets.add(value)


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if len(s) >= MIN_SECRET_LENGTH]

    def redact(self, text: str) -> str:
        # Longest first: a secret that contains another is hidden whole.
        for secret in sorted({*self.secrets, *_runtime_secrets}, key=len, reverse=True):
            text = text.replace(secret, "[redacted]")
        for shape in _TOKEN_SHAPES:
            text = shape.sub("[redacted]", text)
        text = _URL_USERINFO.sub(_hide_password, text)
        text = _KEY_PARAMS.sub(r"\g<name>[redacted]", text)
        for pattern, replacement in _SQL_VALUES:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Exceptions (httpx errors, SQL errors) carry URLs and values too.
            formatter = logging.Formatter()
            clean += "\n" + self.redact(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        record.msg, record.args = clean, None
        return True


def _hide_password(match: re.Match[str]) -> str:
    user, colon, _password = match.group("info").partition(":")
    return (
        f"{match.group('scheme')}{user}:[redacted]@"
        if colon
        else f"{match.group('scheme')}[redacted]@"
    )


def setup_logging(
    level: str = "INFO",
    secrets: list[str] | None = None,
    *,
    file: Path | None = None,
    stderr_level: str | None = None,
) -> RedactSecrets:
    """Log at ``level`` to standard error; with ``file``, to that file too, and standard
    error shows only ``stderr_level`` and worse ("OFF": nothing), so a person typing at
    the console keeps a clear prompt."""
    redactor = RedactSecrets(secrets)
    handlers: list[logging.Handler] = []
    if (stderr_level or "").upper() != "OFF":
        stream = logging.StreamHandler()
        if stderr_level:
            stream.setLevel(stderr_level.upper())
        handlers.append(stream)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                file, maxBytes=5_000_000, backupCount=2, encoding="utf-8"
            )
        )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(redactor)
        root.addHandler(handler)
    wanted = logging.getLevelName(level.upper())
    wanted = wanted if isinstance(wanted, int) else logging.INFO
    # Libraries never below INFO: their DEBUG output is request payloads.
    root.setLevel(max(wanted, logging.INFO))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(wanted)
    for name in (*URL_LOGGERS, *QUIET_LOGGERS):
        logging.getLogger(name).setLevel(max(wanted, logging.WARNING))
    if wanted < logging.INFO:
        logging.getLogger("companion").debug(
            "debug logging on for the companion's own loggers; libraries stay at INFO "
            "(their debug output holds message payloads and secrets)"
        )
    return redactor
