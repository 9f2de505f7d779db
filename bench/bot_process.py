"""A bot in its own process, for bench/load.py: the companion (the real
TelegramChannel over the real core, with a model that sleeps ``--model-latency``
seconds in-process) or a bare python-telegram-bot echo bot (Application plus one
MessageHandler) — the ceiling for any bot on that library.

The companion polls getUpdates by default (one process, role ``all``). Given
``--webhook-url`` it serves Telegram's webhook on ``--webhook-port`` instead, and with
``--role worker`` it is one of several workers sharing the durable inbox in one
PostgreSQL database: the same code path as ``companion run --role worker``, but with
the sleepy model in-process, which the CLI cannot take.

The benches start it; run by hand only to debug:

    python bench/bot_process.py companion --api-url http://127.0.0.1:PORT/bot --data-dir /tmp/x
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


class SleepyModel(BaseChatModel):
    """Answers ``ok: <the person's words>`` after ``latency`` seconds (an
    asyncio sleep: waiting on a provider costs the bot no CPU)."""

    latency: float = 0.0

    @property
    def _llm_type(self) -> str:
        return "sleepy"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> ChatResult:
        text = f"ok: {messages[-1].content}"
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    async def _agenerate(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> ChatResult:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        return self._generate(messages)


def pool_state(bot: Any) -> str:
    """The bot's sending connection pool (httpcore, under PTB's HTTPXRequest)."""
    try:
        pool = bot._request[1]._client._transport._pool
    except (AttributeError, IndexError):
        return "not found (PTB internals changed)"
    stuck = sum("CONNECTING" in repr(c) for c in pool.connections)
    return f"{pool!r} connecting={stuck}"


async def report_pool(bot: Any, every: float) -> None:
    """Diagnostics (``--pool-report``): the pool every ``every`` seconds, so that
    connections a cancelled request left behind show up ("connecting" ones that
    never connect keep their slot; see encode/httpcore#1093)."""
    while True:
        await asyncio.sleep(every)
        print(f"pool: {pool_state(bot)}", file=sys.stderr, flush=True)


async def run_companion(args: argparse.Namespace) -> None:
    from pydantic import SecretStr

    from adapters.telegram.adapter import TelegramChannel, Tuning
    from adapters.telegram.limits import Limits
    from bot.config import Settings
    from bot.runtime import build_runtime

    settings_kw: dict[str, Any] = {}
    if args.model_url:  # the real langchain-openai client against a fake server
        settings_kw = {
            "model": "openai:fake-model",
            "model_base_url": args.model_url,
            "model_api_key": "sk-test-not-a-real-key-000000",
            "model_timeout": args.model_timeout,
            "model_max_retries": 0,
        }
    if args.webhook_url:  # Telegram pushes to us; the bench's fake server balances
        settings_kw |= {
            "telegram_webhook_url": args.webhook_url,
            "telegram_webhook_listen": "127.0.0.1",
            "telegram_webhook_port": args.webhook_port,
            "telegram_webhook_secret": args.webhook_secret,
        }
    if args.inbox_lease is not None:
        settings_kw["inbox_lease_seconds"] = args.inbox_lease
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=Path(args.data_dir),
        database_url=args.database_url,
        telegram_token=SecretStr(TOKEN),
        telegram_api_url=args.api_url,
        scheduler_enabled=False,
        log_level="WARNING",
        role=args.role,
        worker_id=args.worker_id,
        **settings_kw,
    )
    if args.model_url:
        runtime = await build_runtime(settings, with_features=args.memory)
    else:
        model = SleepyModel(latency=args.model_latency)
        runtime = await build_runtime(settings, model=model, with_features=args.memory)
    if args.memory:
        print(f"features: {sorted(runtime.services.installed())}", flush=True)
    limits = Limits(per_chat_rate=args.per_chat_rate, per_chat_burst=1, overall_rate=args.overall)
    channel = TelegramChannel(
        runtime,
        tuning=Tuning(
            poll_timeout=args.poll_timeout, read_timeout=args.read_timeout, limits=limits
        ),
    )
    runtime.outbox.register(channel)
    await runtime.start()
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(channel.start(runtime.companion.handle))
    if args.pool_report:
        reporter = asyncio.create_task(report_pool(channel.bot, args.pool_report))
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await asyncio.wait(
        [task, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED
    )
    if args.pool_report:
        reporter.cancel()
        # Idle now (the bench stops us after its last run): whatever is still
        # active or connecting in the pool was left behind.
        print(f"pool at stop: {pool_state(channel.bot)}", file=sys.stderr, flush=True)
    await channel.stop()
    await asyncio.gather(task, return_exceptions=True)
    await runtime.close()


def run_echo(args: argparse.Namespace) -> None:
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(args.api_url)
        .concurrent_updates(args.echo_concurrency)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(timeout=5, poll_interval=0.0, stop_signals=(signal.SIGTERM, signal.SIGINT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["companion", "echo"])
    parser.add_argument("--api-url", required=True, help="the fake Bot API, .../bot")
    parser.add_argument("--data-dir", default=".")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--model-latency", type=float, default=0.0)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--model-url", default=None, help="an OpenAI-compatible server, .../v1")
    parser.add_argument("--model-timeout", type=float, default=60.0)
    parser.add_argument("--read-timeout", type=float, default=20.0)
    parser.add_argument("--poll-timeout", type=float, default=5.0)
    parser.add_argument("--per-chat-rate", type=float, default=1.0)
    parser.add_argument("--overall", type=float, default=30.0)
    parser.add_argument("--echo-concurrency", type=int, default=1)
    parser.add_argument("--role", choices=["all", "worker"], default="all")
    parser.add_argument("--worker-id", default=None, help="default: host-pid for a worker")
    parser.add_argument("--webhook-url", default=None, help="serve the webhook, not poll")
    parser.add_argument("--webhook-port", type=int, default=0)
    parser.add_argument("--webhook-secret", default=None)
    parser.add_argument("--inbox-lease", type=float, default=None, help="seconds (default 120)")
    parser.add_argument("--pool-report", type=float, default=0.0, help="log the send pool each N s")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.kind == "echo":
        run_echo(args)
    elif os.environ.get("BENCH_PROFILE"):  # where the companion's time goes
        import cProfile

        cProfile.runctx(
            "asyncio.run(run_companion(args))", globals(), locals(), os.environ["BENCH_PROFILE"]
        )
    else:
        asyncio.run(run_companion(args))


if __name__ == "__main__":
    main()
