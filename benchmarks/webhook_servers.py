"""The two servers the webhook benchmark compares, each run in its own pinned process.

``python -m benchmarks.webhook_servers echo|echo-httpx|ours API_BASE_URL CORE`` pins itself
to ``CORE``, listens on a free port of 127.0.0.1 and prints ``READY <port>``;
SIGTERM stops it. With ``BENCH_PROFILE=<file>`` it runs under cProfile and
writes the stats there on exit.

* ``echo``: the bare PTB echo bot, the yardstick: an ``Application`` without an
  updater behind a minimal aiohttp handler, one ``MessageHandler`` that replies
  with the text it got, sending over the channel's own ``AiohttpRequest``, so it
  and ours pay for the same transport.
* ``echo-httpx``: the same echo bot on PTB's default transport (httpx), for
  comparison with a stock PTB bot.
* ``ours``: what ``python -m bot serve`` runs (``make_app``: content, catalogs,
  SQLite store in a temporary folder, engine, Telegram channel with the webhook
  secret), with one change: PTB's rate limiter allows 30 messages/s overall by
  default (Telegram's limit), which would make this a benchmark of the limiter,
  so its overall rate is raised; the limiter itself still runs on every call.
"""

from __future__ import annotations

import asyncio
import cProfile
import dataclasses
import logging
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from aiohttp import web

SECRET = "bench-webhook-secret_0123456789abcdef"
PSEUDONYM_KEY = "bench-pseudonym-key-0123456789abcdef0123456789"
WEBHOOK_PATH = "/webhooks/telegram"
UNTHROTTLED_RATE = 1_000_000.0
"""Messages/s the benchmark lets the rate limiter pass (production keeps Telegram's 30)."""
ECHO_TRANSPORTS = {"echo": "aiohttp", "echo-httpx": "httpx"}
"""The echo servers and the transport each sends on."""


async def _echo_app(api_base_url: str, transport: str) -> web.Application:
    """The echo bot; ``transport`` is ``aiohttp`` (ours) or ``httpx`` (PTB's default)."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    from benchmarks.webhook_fake_api import TOKEN
    from bot.channels.telegram.aiohttp_request import AiohttpRequest

    builder = ApplicationBuilder().token(TOKEN).base_url(api_base_url).updater(None)
    if transport == "aiohttp":
        builder = builder.request(AiohttpRequest())
    application = builder.build()

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def webhook(request: web.Request) -> web.Response:
        await application.process_update(Update.de_json(await request.json(), application.bot))
        return web.Response(text="ok")

    async def lifecycle(_: web.Application) -> Any:
        await application.initialize()
        yield
        await application.shutdown()

    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, webhook)
    app.cleanup_ctx.append(lifecycle)
    return app


async def _our_app(api_base_url: str, folder: Path) -> web.Application:
    import bot.web.channel_registry as registry
    from benchmarks.webhook_fake_api import TOKEN
    from bot.settings import load_settings
    from bot.web.server import make_app

    configured = registry.telegram_config

    def unthrottled(settings: Any, polling: bool, **kwargs: Any) -> Any:
        config = configured(settings, polling, **kwargs)
        return dataclasses.replace(config, overall_max_rate=UNTHROTTLED_RATE)

    # The registry builds the channel's config: patch it there, where it is looked up.
    registry.telegram_config = unthrottled  # type: ignore[assignment]
    settings = load_settings(
        STORE_URL=f"sqlite:///{folder / 'bot.sqlite3'}",
        PSEUDONYM_KEY=PSEUDONYM_KEY,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_URL="https://bot.example.org/webhooks/telegram",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL=api_base_url,
        WHATSAPP_ACCESS_TOKEN=None,
        WHATSAPP_PHONE_NUMBER_ID=None,
    )
    return await make_app(settings)


async def _serve(kind: str, api_base_url: str, profiler: cProfile.Profile | None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-webhook-") as folder:
        if kind in ECHO_TRANSPORTS:
            app = await _echo_app(api_base_url, ECHO_TRANSPORTS[kind])
        else:
            app = await _our_app(api_base_url, Path(folder))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        if profiler is not None:
            profiler.enable()  # after start-up: only serving updates is profiled
        print(f"READY {runner.addresses[0][1]}", flush=True)
        await stop.wait()
        if profiler is not None:
            profiler.disable()
        await runner.cleanup()


def main(argv: list[str]) -> None:
    kind, api_base_url, core = argv
    if kind not in (*ECHO_TRANSPORTS, "ours"):
        raise SystemExit(f"unknown server {kind!r}: echo, echo-httpx or ours")
    os.sched_setaffinity(0, {int(core)})  # before any thread (aiosqlite's) is started
    logging.basicConfig(  # as `python -m bot serve` does
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    profile_to = os.environ.get("BENCH_PROFILE")
    profiler = cProfile.Profile() if profile_to else None
    asyncio.run(_serve(kind, api_base_url, profiler))
    if profiler is not None and profile_to:
        profiler.dump_stats(profile_to)


if __name__ == "__main__":
    main(sys.argv[1:])
