"""`companion doctor` for Telegram: does the Bot API server accept the token?

Registered on import (adapters/cli.py FEATURE_COMMAND_MODULES); python-telegram-bot
itself is imported only when a token is set."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.config import Settings
from bot.doctor import CheckResult, register


@register
async def check_telegram(settings: Settings) -> CheckResult:
    if settings.telegram_token is None:
        return CheckResult("telegram", False, "not configured", optional=True)
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError
    from telegram.request import HTTPXRequest

    from adapters.telegram.adapter import file_url_for

    if settings.telegram_webhook_url and urlsplit(settings.telegram_webhook_url).scheme != "https":
        return CheckResult(
            "telegram",
            False,
            "the webhook URL is not https",
            "Telegram only posts to https URLs: fix COMPANION_TELEGRAM_WEBHOOK_URL, or unset "
            "it to use long polling.",
        )
    bot = Bot(
        settings.telegram_token.get_secret_value(),
        base_url=settings.telegram_api_url,
        base_file_url=file_url_for(settings.telegram_api_url),
        request=HTTPXRequest(connect_timeout=10, read_timeout=10),
    )
    try:
        async with bot:
            me = bot.bot
        mode = "webhook" if settings.telegram_webhook_url else "long polling"
        return CheckResult("telegram", True, f"@{me.username} answered ({mode})")
    except InvalidToken:
        return CheckResult(
            "telegram",
            False,
            "Telegram refused the bot token",
            "Copy the token again from @BotFather into COMPANION_TELEGRAM_TOKEN.",
        )
    except TelegramError as exc:
        return CheckResult(
            "telegram",
            False,
            f"could not reach the Bot API server ({type(exc).__name__})",
            "Check the network, or COMPANION_TELEGRAM_API_URL if you run your own server.",
        )
