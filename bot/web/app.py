"""The aiohttp application: health, metrics, and every channel whose settings are present.

This is a composition root: it hands each part plain values. Channels come
from ``channel_registry`` and are all mounted the same way (their routes,
their start and stop tied to the app's life, their counters under
``/metrics``); with no channel configured the app still serves health,
metrics and the portal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator

from aiohttp import web

from bot.channels.base import Channel, Pushers, worker_name
from bot.services import Services
from bot.web import api, portal
from bot.web.cases.wiring import delivery_for, mount_cases
from bot.web.channel_registry import (
    REGISTRY,
    ConfigurationError,
    Options,
    pushers_of,
    telegram_config,
)
from bot.web.followups.figures import PROMISES, PromiseFigures
from bot.web.followups.reportback_round import ROUNDS, ReportbackRounds
from bot.web.followups.wiring import checkins_for, mount_checkins
from bot.web.health import mount_health
from bot.web.metrics import CHANNEL_STATS, METRICS, Metrics
from bot.web.portal.data import PortalData
from bot.web.proxies import TrustedProxies

__all__ = [
    "CHANNELS",
    "CHANNELS_ON",
    "PUSHERS",
    "SERVICES",
    "ConfigurationError",
    "build_app",
    "mount_channel",
    "telegram_config",
]

SERVICES = web.AppKey("services", Services)
CHANNELS = web.AppKey("channels", list[str])
"""What is on, e.g. ``["telegram (webhook)"]``; logged at start-up."""
CHANNELS_ON = web.AppKey("channels_on", dict[str, Channel])
"""The mounted channels by name (``app[CHANNELS_ON]["whatsapp"]``)."""
PUSHERS = web.AppKey("pushers", Pushers)
"""The mounted channels that can reach a person outside a reply, by name (case replies,
check-ins): ``await app[PUSHERS].push("telegram", Push(...))``."""


def build_app(
    services: Services, *, telegram_polling: bool = False, worker: str | None = None
) -> web.Application:
    """One application for every endpoint; channels mounted only when configured.

    ``worker`` names this process's delivery claims (default: this host and the
    configured port), so a restart releases what a crashed run left claimed.
    """
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
    app[CHANNELS_ON] = {}
    mount_health(app, services.content, services.store)
    app.router.add_get("/metrics", metrics.handle)

    owner = worker if worker is not None else worker_name(settings.PORT)
    pushers = Pushers()
    delivery = delivery_for(services, pushers, owner)
    checkins = checkins_for(services, pushers, owner)
    listeners = [loop.person_wrote for loop in (delivery, checkins) if loop is not None]

    async def person_wrote(channel: str, pseudonym: str, at: dt.datetime) -> None:
        for listener in listeners:  # what waited for the person (case replies, check-ins)
            await listener(channel, pseudonym, at)

    options = Options(
        telegram_polling=telegram_polling,
        worker=owner,
        on_write=person_wrote if listeners else None,
    )
    for entry in REGISTRY:
        if entry.enabled(settings):
            mount_channel(app, entry.build(services, options))
            app[CHANNELS].append(entry.describe(options))
    for pusher in pushers_of(app[CHANNELS_ON].values()).values():
        pushers.add(pusher)
    app[PUSHERS] = pushers
    mount_cases(app, services, delivery)
    mount_checkins(app, checkins)
    if services.followups is not None:
        app[PROMISES] = PromiseFigures(services.followups, settings.MIN_REPORTERS)

    portal.mount(app, services)  # /portal/
    if services.followups is not None and isinstance(app[portal.PORTAL].data, PortalData):
        app[ROUNDS] = ReportbackRounds(services.followups, app[portal.PORTAL].data,
                                       services.content)
    api.mount(app, services)  # /api/v1/
    return app


def mount_channel(app: web.Application, channel: Channel) -> None:
    """Serve a channel's routes, count its events, start and stop it with the app."""
    app.router.add_routes(channel.routes())
    app[CHANNEL_STATS][channel.name] = channel.stats
    app[CHANNELS_ON][channel.name] = channel

    async def _lifecycle(_: web.Application) -> AsyncIterator[None]:
        await channel.start()
        try:
            yield
        finally:
            await channel.stop()

    app.cleanup_ctx.append(_lifecycle)
