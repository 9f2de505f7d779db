"""Configuration: environment variables with the COMPANION_ prefix and a .env file.

Every setting a user may change lives here, so `companion doctor` and the README's
table have one place to look.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The provider's own key variable, used when COMPANION_MODEL_API_KEY is unset.
PROVIDER_KEY_VARS = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistralai": "MISTRAL_API_KEY",
    "google_genai": "GOOGLE_API_KEY",
}


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
    memory_context_tokens: int = 1200

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
    turn_concurrency: int = 8  # turns doing CPU work at once (model waits don't count)
    log_level: str = "INFO"

    @field_validator("allowed_users", mode="before")
    @classmethod
    def _split_users(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [str(value)]
        return value

    @field_validator("model", "model_base_url", "database_url", "chroma_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("allowed_users")
    @classmethod
    def _numeric_ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not v.isdigit()]
        if bad:
            raise ValueError(
                f"COMPANION_ALLOWED_USERS takes numeric Telegram/Discord ids, got: {', '.join(bad)}"
            )
        return value

    @field_validator("model")
    @classmethod
    def _model_form(cls, value: str | None) -> str | None:
        if value is not None and ":" not in value:
            raise ValueError(
                f"COMPANION_MODEL must look like provider:model (e.g. openai:gpt-4o-mini), "
                f"got {value!r}"
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

    @model_validator(mode="after")
    def _finish(self) -> Settings:
        for name in ("role",):
            if getattr(self, name) not in ("all", "worker", "scheduler"):
                raise ValueError("COMPANION_ROLE must be all, worker or scheduler")
        return self

    # --- derived values

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'companion.db').resolve()}"

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
