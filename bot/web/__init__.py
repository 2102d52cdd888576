"""The aiohttp server: webhooks, health, metrics (and later the portal and API)."""

from bot.web.app import (
    CHANNELS,
    CHANNELS_ON,
    SERVICES,
    ConfigurationError,
    build_app,
    mount_channel,
    telegram_config,
)
from bot.web.health import Readiness, healthz, mount_health
from bot.web.metrics import CHANNEL_STATS, exposition
from bot.web.server import make_app, serve

__all__ = [
    "CHANNELS",
    "CHANNELS_ON",
    "CHANNEL_STATS",
    "SERVICES",
    "ConfigurationError",
    "Readiness",
    "build_app",
    "exposition",
    "healthz",
    "make_app",
    "mount_channel",
    "mount_health",
    "serve",
    "telegram_config",
]
