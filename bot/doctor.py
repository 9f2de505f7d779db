"""`companion doctor`: checks each dependency and says what is wrong and how to fix it.

Features add their own checks with ``register``."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.llm import HOW_TO_CONFIGURE, build_chat_model, classify_error


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    optional: bool = False  # not configured, and that's allowed


Check = Callable[[Settings], Awaitable[CheckResult]]
_CHECKS: list[Check] = []


def register(check: Check) -> Check:
    _CHECKS.append(check)
    return check


async def run_checks(settings: Settings) -> list[CheckResult]:
    from bot.runtime import features

    features()  # importing the features registers their own checks
    results = []
    for check in _CHECKS:
        try:
            results.append(await asyncio.wait_for(check(settings), timeout=120))
        except Exception as exc:
            name = getattr(check, "__name__", "check").removeprefix("check_").replace("_", " ")
            results.append(CheckResult(name, False, f"the check itself failed: {exc}"))
    return results


@register
async def check_data_dir(settings: Settings) -> CheckResult:
    path = settings.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as exc:
        return CheckResult(
            "data directory",
            False,
            f"{path} is not writable: {exc}",
            "Set COMPANION_DATA_DIR to a folder this user can write.",
        )
    return CheckResult("data directory", True, str(path.resolve()))


@register
async def check_database(settings: Settings) -> CheckResult:
    from memory.db import Database

    url = settings.resolved_database_url
    shown = url.split("@")[-1] if "@" in url else url
    db = Database(url)
    try:
        await db.migrate()
    except Exception as exc:
        return CheckResult(
            "database",
            False,
            f"{shown}: {type(exc).__name__}: {str(exc)[:200]}",
            "Check COMPANION_DATABASE_URL; for PostgreSQL install the extra: "
            "pip install 'companion[postgres]'.",
        )
    finally:
        await db.close()
    return CheckResult("database", True, f"{shown} (schema up to date)")


@register
async def check_chat_model(settings: Settings) -> CheckResult:
    if not settings.model:
        return CheckResult(
            "chat model",
            False,
            "not configured: the bot runs commands, reminders and check-ins, but cannot chat",
            HOW_TO_CONFIGURE,
            optional=True,
        )
    try:
        model = build_chat_model(settings)
    except Exception as exc:
        return CheckResult(
            "chat model",
            False,
            f"{settings.model} could not be loaded: {exc}",
            "Install the provider's package (e.g. pip install 'companion[anthropic]') "
            "or fix COMPANION_MODEL.",
        )
    assert model is not None
    from langchain_core.messages import HumanMessage

    try:
        await asyncio.wait_for(
            model.ainvoke([HumanMessage(content="Reply with the word OK.")]),
            timeout=settings.model_timeout + 5,
        )
    except Exception as exc:
        failure = classify_error(exc)
        return CheckResult(
            "chat model",
            False,
            f"{settings.model} {failure.reason}",
            "Check COMPANION_MODEL_BASE_URL, the API key (COMPANION_MODEL_API_KEY or the "
            "provider's variable) and that the server is running.",
        )
    return CheckResult("chat model", True, f"{settings.model} answered")


@register
async def check_channels(settings: Settings) -> CheckResult:
    configured = [
        name
        for name, token in (
            ("Telegram", settings.telegram_token),
            ("Discord", settings.discord_token),
        )
        if token is not None
    ]
    if not configured:
        return CheckResult(
            "channels",
            False,
            "no Telegram or Discord token: only the console channel",
            "Set COMPANION_TELEGRAM_TOKEN (from @BotFather) or COMPANION_DISCORD_TOKEN.",
            optional=True,
        )
    return CheckResult("channels", True, ", ".join(configured) + " configured")


async def unreachable(url: str, limit_s: float = 5.0) -> str | None:
    """Why ``url`` cannot be reached from here (proxy settings honoured), or None when
    a server answers (any HTTP status counts): can a missing model be downloaded?"""
    import urllib.error
    import urllib.request

    def probe() -> str | None:
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, method="HEAD"), timeout=limit_s
            ):
                pass
        except urllib.error.HTTPError:
            return None  # it answered
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return str(reason)[:120] or type(exc).__name__
        return None

    return await asyncio.to_thread(probe)


async def database_answers(settings: Settings) -> bool:
    """A cheap liveness probe (no migrations, no model call)."""
    from sqlalchemy import text

    from memory.db import Database

    db = Database(settings.resolved_database_url)
    try:
        async with db.session() as s:
            await s.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        await db.close()


def format_results(results: list[CheckResult]) -> tuple[str, bool]:
    lines, healthy = [], True
    for r in results:
        mark = "ok  " if r.ok else ("--  " if r.optional else "FAIL")
        lines.append(f"[{mark}] {r.name}: {r.detail}")
        if not r.ok and r.fix:
            lines.append(f"       fix: {r.fix}")
        healthy = healthy and (r.ok or r.optional)
    lines.append("All required checks passed." if healthy else "Some checks failed.")
    return "\n".join(lines), healthy


def env_summary() -> str:
    return ", ".join(sorted(k for k in os.environ if k.startswith("COMPANION_"))) or "none"
