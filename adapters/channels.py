"""Which channels to start, from the settings. Platform SDKs are imported only
when their channel is configured."""

from __future__ import annotations

from bot.channel import Channel
from bot.runtime import Runtime


def configured_channels(runtime: Runtime) -> list[Channel]:
    channels: list[Channel] = []
    if runtime.settings.telegram_token is not None:
        from adapters.telegram.adapter import TelegramChannel

        channels.append(TelegramChannel(runtime))
    if runtime.settings.discord_token is not None:
        from adapters.discord.adapter import DiscordChannel

        channels.append(
            DiscordChannel(runtime.settings.discord_token.get_secret_value(), runtime=runtime)
        )
    return channels
