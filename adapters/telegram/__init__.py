"""The Telegram channel (python-telegram-bot v22): convert, render, adapter."""

from adapters.telegram.adapter import TelegramChannel, Tuning

__all__ = ["TelegramChannel", "Tuning"]
