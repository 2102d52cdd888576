"""The aiohttp application: health, metrics, and every channel whose settings are present.

This is a composition root: it reads ``Settings`` and hands each part plain
values. A channel (or the portal) mounts here with one ``mount`` call; with no
channel configured the app still serves health, metrics and the portal.
"""

from __future__ import annotations

from collections import Counter

from aiohttp import web

from bot.channels import telegram, whatsapp
from bot.services import Services
from bot.settings import Settings
from bot.web import api, portal
from bot.web.health import mount_health
from bot.web.metrics import CHANNEL_STATS, METRICS, Metrics
from bot.web.proxies import TrustedProxies

SERVICES = web.AppKey("services", Services)
CHANNELS = web.AppKey("channels", list[str])
"""What is on, e.g. ``["telegram (webhook)"]``; logged at start-up."""


class ConfigurationError(Exception):
    """The settings enable a channel but leave it unsafe or unusable."""


def build_app(services: Services, *, telegram_polling: bool = False) -> web.Application:
    """One application for every endpoint; channels mounted only when configured."""
    settings = services.settings
    stats: dict[str, Counter[str]] = {}
    token = settings.METRICS_TOKEN
    metrics = Metrics(stats, token=token.get_secret_value() if token else None,
                      proxies=TrustedProxies(settings.trusted_proxies))  # fmt: skip
    app = web.Application(middlewares=[metrics.timing])
    app[SERVICES] = services
    app[CHANNEL_STATS] = stats
    app[METRICS] = metrics
    app[CHANNELS] = []
    mount_health(app, services.content, services.store)
    app.router.add_get("/metrics", metrics.handle)

    if settings.telegram_enabled:
        channel = telegram.TelegramChannel(telegram_config(settings, telegram_polling),
                                           services.runner)
        telegram.mount(app, channel, services.store)
        app[CHANNEL_STATS][telegram.CHANNEL] = channel.stats
        app[CHANNELS].append("telegram (polling)" if telegram_polling else "telegram (webhook)")

    if settings.whatsapp_enabled:
        whatsapp.mount(app, services)
        app[CHANNEL_STATS][whatsapp.CHANNEL] = app[whatsapp.WHATSAPP].stats
        app[CHANNELS].append("whatsapp (webhook)")

    portal.mount(app, services)  # /portal/
    api.mount(app, services)  # /api/v1/
    return app


def telegram_config(settings: Settings, polling: bool) -> telegram.TelegramConfig:
    """The Telegram channel's plain settings; a webhook without a secret is refused."""
    assert settings.TELEGRAM_BOT_TOKEN is not None
    secret = settings.TELEGRAM_WEBHOOK_SECRET
    if not polling and secret is None:
        raise ConfigurationError(
            "TELEGRAM_WEBHOOK_SECRET must be set to receive Telegram updates by webhook "
            "(or run `serve --polling`)."
        )
    return telegram.TelegramConfig(
        token=settings.TELEGRAM_BOT_TOKEN.get_secret_value(),
        webhook_url=settings.TELEGRAM_WEBHOOK_URL,
        webhook_secret=secret.get_secret_value() if secret is not None else None,
        api_base_url=settings.TELEGRAM_API_BASE_URL,
        polling=polling,
    )
