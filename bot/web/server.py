"""``python -m bot serve``: build the services once, mount the app, listen on HOST:PORT."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator

from aiohttp import web
from telegram.error import TelegramError

from bot.channels.base import worker_name
from bot.channels.telegram import protect_logs
from bot.services import build_services
from bot.settings import Settings
from bot.web.app import CHANNELS, SERVICES, ConfigurationError, build_app
from casework.retention import retention_loop
from recruiter_reports.clock import utc_now

log = logging.getLogger(__name__)


def serve(settings: Settings, host: str | None, port: int | None, polling: bool) -> None:
    """Run until interrupted; ``polling`` runs Telegram long polling instead of the webhook."""
    protect_logs()
    host = host or settings.HOST
    port = port or settings.PORT
    if polling and not settings.telegram_enabled:
        log.warning("--polling has no effect: TELEGRAM_BOT_TOKEN is not set")
    log.info("starting on http://%s:%s", host, port)
    try:
        web.run_app(
            make_app(settings, polling=polling, worker=worker_name(port)),
            host=host,
            port=port,
            print=None,
            access_log=None,
        )
    except ConfigurationError as error:
        log.error("%s", error)
        sys.exit(2)
    except TelegramError as error:
        # The message can quote the token (InvalidToken): name the kind of failure only.
        log.error(
            "could not start Telegram (%s): check TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL",
            type(error).__name__,
        )
        sys.exit(2)


async def make_app(
    settings: Settings, *, polling: bool = False, worker: str | None = None
) -> web.Application:
    """Services built once per process, closed when the app shuts down."""
    services = await build_services(settings)
    try:
        app = build_app(services, telegram_polling=polling, worker=worker)
    except BaseException:
        await services.close()
        raise

    async def _close(app: web.Application) -> None:
        await app[SERVICES].close()

    async def _retention(app: web.Application) -> AsyncIterator[None]:
        # Closed cases go after CASE_RETENTION_DAYS. Every worker sweeps; the delete is
        # idempotent, so several at once erase each case once.
        cases = app[SERVICES].cases
        task = None
        if cases is not None:
            task = asyncio.create_task(
                retention_loop(cases, utc_now, settings.CASE_RETENTION_DAYS),
                name="case-retention",
            )
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _announce(app: web.Application) -> None:
        enabled: list[str] = app[CHANNELS]
        channels = ", ".join(enabled) or "none (health, metrics and portal only)"
        log.info("channels on: %s", channels)

    app.on_startup.append(_announce)
    app.cleanup_ctx.append(_retention)
    app.on_cleanup.append(_close)
    return app
