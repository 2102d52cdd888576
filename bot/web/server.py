"""``python -m bot serve``: build the services once, mount the app, listen on HOST:PORT."""

from __future__ import annotations

import logging
import sys

from aiohttp import web
from telegram.error import TelegramError

from bot.channels.base import worker_name
from bot.channels.telegram import protect_logs
from bot.services import build_services
from bot.settings import Settings
from bot.web.app import CHANNELS, SERVICES, ConfigurationError, build_app

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

    async def _announce(app: web.Application) -> None:
        enabled: list[str] = app[CHANNELS]
        channels = ", ".join(enabled) or "none (health, metrics and portal only)"
        log.info("channels on: %s", channels)

    app.on_startup.append(_announce)
    app.on_cleanup.append(_close)
    return app
