"""`companion doctor` for Discord: does the token log in, and where to invite the bot.

Registered on import (listed in ``adapters.cli.FEATURE_COMMAND_MODULES``)."""

from __future__ import annotations

import discord

from bot.config import Settings
from bot.doctor import CheckResult, register

INVITE_PERMISSIONS = discord.Permissions(
    send_messages=True, read_message_history=True, attach_files=True
)


@register
async def check_discord(settings: Settings) -> CheckResult:
    if settings.discord_token is None:
        return CheckResult(
            "Discord", False, "not configured (set COMPANION_DISCORD_TOKEN)", optional=True
        )
    if settings.discord_api_url:  # a REST proxy (or the tests' fake Discord)
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    client = discord.Client(intents=discord.Intents.none())
    try:
        async with client:
            await client.login(settings.discord_token.get_secret_value())
            assert client.user is not None and client.application is not None
            invite = discord.utils.oauth_url(
                client.application.id, permissions=INVITE_PERMISSIONS, scopes=("bot",)
            )
            return CheckResult(
                "Discord", True, f"logged in as {client.user.name}; invite it with {invite}"
            )
    except discord.LoginFailure:
        return CheckResult(
            "Discord",
            False,
            "Discord rejected the token",
            "Copy a fresh token from the Developer Portal (Bot -> Reset Token) into "
            "COMPANION_DISCORD_TOKEN.",
        )
    except (discord.HTTPException, OSError) as exc:
        return CheckResult(
            "Discord",
            False,
            f"could not reach Discord: {exc}",
            "Check this machine's internet connection and try again.",
        )
