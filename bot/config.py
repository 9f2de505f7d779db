"""Configuration: environment variables with the COMPANION_ prefix and a .env file.

Every setting a user may change lives here, so `companion doctor` and the README's
table have one place to look.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The provider's own key variable, used when COMPANION_MODEL_API_KEY is unset.
PROVIDER_KEY_VARS = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistralai": "MISTRAL_API_KEY",
    "google_genai": "GOOGLE_API_KEY",
}


class ConfigError(Exception):
    """A setting that cannot work, found at start; the message is one line that names
    the variable and says what would work."""


WHISPER_BACKENDS = ("faster-whisper", "faster_whisper", "faster", "openai-whisper",
                    "openai_whisper", "whisper", "api")  # fmt: skip
EMBEDDING_MODEL_FILES = (
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
)
# Numeric settings: (lowest, highest, what it is); None means no bound that side.
_LIMITS: dict[str, tuple[float | None, float | None, str]] = {
    "memory_context_tokens": (0, None, "a number of tokens"),
    "model_timeout": (0.1, None, "seconds"),
    "model_max_retries": (0, 10, "a number of retries"),
    "model_temperature": (0, 2, "a temperature"),
    "context_tokens": (500, None, "a number of tokens"),
    "reply_tokens": (16, None, "a number of tokens"),
    "telegram_webhook_port": (0, 65535, "a port"),
    "whisper_beam_size": (1, 20, "a beam size"),
    "max_voice_seconds": (0.1, None, "seconds"),
    "max_voice_bytes": (1024, None, "bytes"),
    "transcribe_concurrency": (1, 64, "a number"),
    "max_image_bytes": (1024, None, "bytes"),
    "max_image_pixels": (10_000, None, "pixels"),
    "image_max_side": (64, None, "pixels"),
    "checkins_per_day": (0, 12, "a number (0 turns them off)"),
    "late_delivery_hours": (0, None, "hours"),
    "scheduler_tick_seconds": (0.05, 3600, "seconds"),
    "inbox_lease_seconds": (1, None, "seconds"),
    "turn_concurrency": (1, 1000, "a number"),
    "web_port": (0, 65535, "a port"),
    "web_session_days": (0.01, 366, "days"),
}
_URLS = ("model_base_url", "chroma_url", "tts_url", "whisper_api_url", "telegram_api_url",
         "telegram_webhook_url")  # fmt: skip
_WHAT_TYPE = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "bool_parsing": "true or false",
    "path_type": "a path",
    "string_type": "text",
}


def _var(field: str) -> str:
    return f"COMPANION_{field.upper()}"


def _num(value: float | None) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _one_of(field: str, value: str, choices: tuple[str, ...], what: str, shown: str = "") -> str:
    if value in choices:
        return value
    listed = ", ".join(choices[:-1]) + f" or {choices[-1]}"
    raise ValueError(f"{_var(field)}={shown or value} is not {what}; use {listed}.")


def looks_like_path(value: str) -> bool:
    """``/models/small``, ``./tiny``, ``~/whisper``, ``C:\\w``, ``a/b/c`` are folders;
    ``base`` and a Hugging Face id like ``Systran/faster-whisper-small`` are names
    (unless such a folder exists here)."""
    if value.startswith(("/", ".", "~", "\\")) or re.match(r"^[A-Za-z]:[\\/]", value):
        return True
    return value.count("/") > 1 or value.endswith("/") or Path(value).is_dir()


def problems(exc: ValidationError) -> list[str]:
    """One line per problem, naming the variable; secrets are never echoed."""
    lines = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        if message.startswith("COMPANION_"):
            lines.append(message)
            continue
        name = _var(field) if field else "COMPANION_* settings"
        value = error.get("input")
        secret = field.endswith(("token", "key", "secret")) or "password" in field
        shown = "" if secret or not isinstance(value, str | int | float) else f"={value}"
        wanted = _WHAT_TYPE.get(error["type"])
        lines.append(
            f"{name}{shown}: should be {wanted}." if wanted else f"{name}{shown}: {message}."
        )
    return lines


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COMPANION_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # --- storage
    data_dir: Path = Path("./data")
    database_url: str | None = None
    chroma_url: str | None = None
    embedding_model_dir: Path | None = None  # the six MiniLM ONNX files, for offline use
    memory_extraction: bool = True
    memory_context_tokens: int = 2000  # the memory part's budget (README: Memory recall)

    # --- chat model
    model: str | None = None
    model_base_url: str | None = None
    model_api_key: SecretStr | None = None
    model_timeout: float = 60.0
    model_max_retries: int = 1
    model_temperature: float | None = 0.7
    vision_model: str | None = None
    context_tokens: int = 6000
    reply_tokens: int = 800
    persona_file: Path | None = None

    # --- channels
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: SecretStr | None = None
    telegram_group_mode: str = "mention"  # mention | off
    discord_token: SecretStr | None = None
    discord_group_mode: str = "mention"  # mention | off
    # Discord's REST base (discord.py's Route.BASE); the gateway address is asked
    # from it. For tests (a fake Discord) or a self-hosted REST proxy.
    discord_api_url: str | None = None
    allowed_users: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # --- speech and vision
    whisper_backend: str = "faster-whisper"  # faster-whisper | openai-whisper | api
    whisper_model: str = "base"
    whisper_language: str | None = None
    whisper_beam_size: int = 5  # 1 is faster, 5 makes fewer mistakes
    whisper_api_url: str | None = None
    speech_api_key: SecretStr | None = None  # for whisper_api_url and tts_url
    max_voice_seconds: float = 600.0
    max_voice_bytes: int = 20 * 1024 * 1024
    transcribe_concurrency: int = 1
    show_transcript: str = "uncertain"  # always | uncertain | never
    tts_url: str | None = None
    tts_model: str = "tts-1"
    tts_voice: str = "alloy"
    max_image_bytes: int = 20 * 1024 * 1024
    max_image_pixels: int = 50_000_000
    image_max_side: int = 1568

    # --- proactive
    scheduler_enabled: bool = True
    default_timezone: str = "UTC"
    checkins_per_day: int = 2
    quiet_hours: str = "22:00-08:00"
    late_delivery_hours: float = 12.0
    scheduler_tick_seconds: float = 20.0
    weekly_review: str = "sunday 19:00"  # each person's default review time (local), or off

    # --- safety (bot/safety): crisis referrals, AI disclosure, minors
    crisis_country: str | None = None  # ISO code for people whose country is unknown (e.g. DE)
    crisis_line: str | None = None  # replaces every country's line, e.g. "Local line: 0800 ..."
    emergency_number: str | None = None  # replaces every country's emergency number
    crisis_reply_wait: float = 8.0  # seconds for the model's words in a crisis, then fixed ones
    safety_model_check: bool = True  # the chat model also judges each message (when set)
    crisis_care_hours: float = 24.0  # the model keeps a safety instruction this long
    ai_notice: bool = True  # say "I'm an AI" at first contact (off only for your own use)
    ai_notice_hours: float = 3.0  # and again after this long (0: first contact only)
    minor_break_hours: float = 3.0  # break reminder for minors after this much continuous chat

    # --- check-ins: triggers first, model second (bot/schedule)
    # When the model's answer is not a valid decision (plain text, a malformed tool
    # call, a timeout...): send the trigger's own template, or stay silent.
    checkin_fallback: str = "template"  # template | silent
    checkin_busy_minutes: float = 20.0  # no check-in this soon after the person wrote
    checkin_hello_after_days: float = 5.0  # one gentle hello after this much silence; 0: never
    checkin_followup_hours: float = 48.0  # a follow-up not sent this long after its time is dropped

    @field_validator("checkin_fallback")
    @classmethod
    def _checkin_fallback(cls, value: str) -> str:
        if value not in ("template", "silent"):
            raise ValueError("COMPANION_CHECKIN_FALLBACK must be template or silent")
        return value

    # --- operations
    role: str = "all"  # all | worker | scheduler
    worker_id: str | None = None  # default: host name (role all), host-pid (worker)
    inbox_lease_seconds: float = 120.0  # a dead worker's message is taken over after this
    # --- the inbox (bot/inbox_path.py): raw updates of finished messages are emptied
    # this long after they were answered (0: at once); pending ones are always kept.
    inbox_retention_hours: float = Field(default=24.0, ge=0)
    turn_concurrency: int = 8  # turns doing CPU work at once (model waits don't count)
    log_level: str = "INFO"

    # --- personal page (adapters/web; /web sends a sign-in link)
    web_url: str | None = None  # public base URL in links; set: `companion run` serves it
    web_listen: str = "127.0.0.1"
    web_port: int = 8080
    web_session_days: float = 7.0  # a sign-in lasts this long (sign out ends it sooner)

    @field_validator("allowed_users", mode="before")
    @classmethod
    def _split_users(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [str(value)]
        return value

    @field_validator(
        "model",
        "model_base_url",
        "database_url",
        "chroma_url",
        "embedding_model_dir",
        "persona_file",
        "vision_model",
        "tts_url",
        "whisper_api_url",
        "telegram_webhook_url",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("web_url", mode="before")
    @classmethod
    def _web_url_form(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            return None
        value = value.strip().rstrip("/")
        scheme, _, rest = value.partition("://")
        if scheme not in ("http", "https") or not rest or "/" in rest:
            raise ValueError(
                "COMPANION_WEB_URL must be the page's address without a path, like "
                f"https://companion.example.org, got {value!r}"
            )
        return value

    @field_validator("crisis_country", "crisis_line", "emergency_number", mode="before")
    @classmethod
    def _blank_safety(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("crisis_country")
    @classmethod
    def _country_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ValueError(
                f"COMPANION_CRISIS_COUNTRY takes a two-letter country code (e.g. DE), got {value!r}"
            )
        return "GB" if code == "UK" else code

    @field_validator("allowed_users")
    @classmethod
    def _numeric_ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not v.isdigit()]
        if bad:
            raise ValueError(
                f"COMPANION_ALLOWED_USERS takes numeric Telegram/Discord ids, got: {', '.join(bad)}"
            )
        return value

    @field_validator("model", "vision_model")
    @classmethod
    def _model_form(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and ":" not in value:
            raise ValueError(
                f"{_var(str(info.field_name))} must look like provider:model (e.g. "
                f"openai:gpt-4o-mini), got {value!r}"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _db_form(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            # Friendly: accept the usual form and use the async driver.
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not (value.startswith("sqlite") or value.startswith("postgresql+asyncpg://")):
            raise ValueError(
                "COMPANION_DATABASE_URL must be sqlite+aiosqlite:///path or "
                "postgresql+asyncpg://user:pass@host/db"
            )
        if value.startswith("sqlite://") and not value.startswith("sqlite+aiosqlite://"):
            return "sqlite+aiosqlite://" + value.split("://", 1)[1]
        return value

    # --- validation at start: each problem names its variable and what would work
    # (``problems`` turns pydantic's errors into one line each; see adapters/cli.py).

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        return _one_of("role", value, ("all", "worker", "scheduler"), "a role")

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        return _one_of("log_level", value.upper(), levels, "a log level", shown=value)

    @field_validator("telegram_group_mode", "discord_group_mode")
    @classmethod
    def _group_mode(cls, value: str, info: ValidationInfo) -> str:
        return _one_of(str(info.field_name), value.lower(), ("mention", "off"), "a group mode")

    @field_validator("show_transcript")
    @classmethod
    def _show_transcript(cls, value: str) -> str:
        choices = ("always", "uncertain", "never")
        return _one_of("show_transcript", value.lower(), choices, "a choice")

    @field_validator("whisper_backend")
    @classmethod
    def _whisper_backend(cls, value: str) -> str:
        if value.strip().lower() in WHISPER_BACKENDS:
            return value.strip().lower()
        raise ValueError(
            f"{_var('whisper_backend')}={value} is not a speech backend; use faster-whisper, "
            "openai-whisper or api."
        )

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        from bot.preferences.timezones import find_timezone, valid_timezone

        offset = re.fullmatch(r"(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?00)?", value.strip(), re.I)
        zone = valid_timezone(value) or (find_timezone(value) if offset else None)
        if zone is None:
            raise ValueError(
                f"{_var('default_timezone')}={value} is not a timezone; use an IANA name like "
                "Europe/Berlin or America/New_York, or an offset like UTC+2."
            )
        return zone

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        from bot.preferences.parsing import SettingError, parse_quiet_hours

        if value.strip().lower() in ("off", "none", ""):
            return "off"
        try:
            return parse_quiet_hours(value)
        except SettingError:
            raise ValueError(
                f"{_var('quiet_hours')}={value} is not a range of hours; use one like "
                "22:00-08:00, or off."
            ) from None

    @field_validator("weekly_review")
    @classmethod
    def _weekly_review(cls, value: str) -> str:
        from bot.preferences.parsing import SettingError, parse_review

        try:
            return parse_review(value)
        except SettingError:
            raise ValueError(
                f"{_var('weekly_review')}={value} is not a day and a time; use one like "
                "sunday 19:00, or off."
            ) from None

    @field_validator(*_LIMITS)
    @classmethod
    def _in_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        name = str(info.field_name)
        low, high, what = _LIMITS[name]
        if value is None or ((low is None or value >= low) and (high is None or value <= high)):
            return value
        if high is None:
            wanted = f"{what} of at least {_num(low)}"
        elif low is None:
            wanted = f"{what} of at most {_num(high)}"
        else:
            wanted = f"{what} from {_num(low)} to {_num(high)}"
        raise ValueError(f"{_var(name)}={_num(value)} is out of range; use {wanted}.")

    @field_validator(*_URLS)
    @classmethod
    def _url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or re.match(r"^https?://[^/\s]+", value.strip()):
            return value.strip() if value else value
        raise ValueError(
            f"{_var(str(info.field_name))}={value} is not a web address; give one like "
            "http://127.0.0.1:8000 (with http:// or https://)."
        )

    @field_validator("persona_file")
    @classmethod
    def _persona(cls, value: Path | None) -> Path | None:
        if value is not None and not value.expanduser().is_file():
            raise ValueError(
                f"{_var('persona_file')}={value} is not a file; give the path of a text file "
                "holding the persona, or leave it unset for the built-in one."
            )
        return value.expanduser() if value is not None else None

    @field_validator("embedding_model_dir")
    @classmethod
    def _embedding_dir(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        folder = value.expanduser()
        if not folder.is_dir():
            raise ValueError(
                f"{_var('embedding_model_dir')}={value} is not a folder; give the folder "
                f"holding the all-MiniLM-L6-v2 ONNX files ({', '.join(EMBEDDING_MODEL_FILES)})."
            )
        missing = [f for f in EMBEDDING_MODEL_FILES if not (folder / f).is_file()]
        if missing:
            raise ValueError(
                f"{_var('embedding_model_dir')}={value} lacks {', '.join(missing)}; give the "
                "folder holding all six all-MiniLM-L6-v2 ONNX files."
            )
        return folder

    @field_validator("whisper_model")
    @classmethod
    def _whisper_folder(cls, value: str, info: ValidationInfo) -> str:
        """A path-looking model (``/models/small``, ``./tiny``, ``~/w``) is a folder that
        must exist; ``base`` or ``Systran/faster-whisper-small`` is a name to download."""
        model = value.strip()
        if info.data.get("whisper_backend") == "api" or not looks_like_path(model):
            return model
        if not Path(model).expanduser().exists():
            raise ValueError(
                f"{_var('whisper_model')}={model} is not a folder on this machine; give a "
                "folder holding a Whisper model, or a model name like base or small.en "
                "(downloaded on first use)."
            )
        return model

    def ensure_data_dir(self) -> None:
        """Create the data directory, or say plainly why it cannot be (ConfigError)."""
        path = self.data_dir.expanduser()
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / ".companion-write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except FileExistsError:
            raise ConfigError(
                f"{_var('data_dir')}={self.data_dir} is a file, not a folder; point it at a "
                "folder (it is created if missing)."
            ) from None
        except NotADirectoryError:
            raise ConfigError(
                f"{_var('data_dir')}={self.data_dir} is inside a file, not a folder; point it "
                "at a folder this user can create."
            ) from None
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise ConfigError(
                f"{_var('data_dir')}={self.data_dir} cannot be used ({why.lower()}); point it "
                "at a folder this user can create and write."
            ) from None

    # --- derived values

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'companion.db').resolve()}"

    @property
    def public_web_url(self) -> str:
        """Where the personal page is reached: the base of every sign-in link."""
        return self.web_url or f"http://127.0.0.1:{self.web_port}"

    @property
    def provider(self) -> str | None:
        return self.model.split(":", 1)[0] if self.model else None

    def api_key(self) -> str | None:
        """The model key: our own variable first, then the provider's usual one."""
        if self.model_api_key is not None:
            return self.model_api_key.get_secret_value()
        var = PROVIDER_KEY_VARS.get(self.provider or "")
        return os.environ.get(var) if var else None

    def secrets(self) -> list[str]:
        """Every secret value, so logging can redact them."""
        out: list[str] = []
        for value in (
            self.model_api_key,
            self.telegram_token,
            self.discord_token,
            self.telegram_webhook_secret,
            self.speech_api_key,
        ):
            if value is not None and value.get_secret_value():
                out.append(value.get_secret_value())
        key = self.api_key()
        if key:
            out.append(key)
        return out
