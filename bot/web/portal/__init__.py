"""The stakeholder portal at /portal/: vetted accounts, disclosed figures only, every view audited.

``build_app`` calls ``mount(app, services)``; tests can build a
``PortalContext`` themselves and call ``mount_portal``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.web.portal.context import PORTAL, PortalConfig, PortalContext
from bot.web.portal.data import PortalData
from bot.web.portal.wiring import context_for, mount_portal

if TYPE_CHECKING:
    from bot.services import Services

__all__ = [
    "PORTAL",
    "PortalConfig",
    "PortalContext",
    "PortalData",
    "context_for",
    "mount",
    "mount_portal",
]


def mount(app: web.Application, services: Services) -> None:
    """Serve the portal under /portal/, with accounts beside the workers' data in the store."""
    ctx = context_for(app, services)
    mount_portal(app, ctx)
