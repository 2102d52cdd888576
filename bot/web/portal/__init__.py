"""The stakeholder portal at /portal/: vetted accounts, disclosed figures only, every view audited.

``build_app`` calls ``mount(app, services)``; tests can build a
``PortalContext`` themselves and call ``mount_portal``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.web.portal.context import PORTAL, PortalConfig, PortalContext
from bot.web.portal.data import PortalData, load_registries
from bot.web.portal.wiring import context_for, mount_portal

if TYPE_CHECKING:
    from bot.services import Services

__all__ = [
    "PORTAL",
    "PortalConfig",
    "PortalContext",
    "PortalData",
    "context_for",
    "load_registries",
    "mount",
    "mount_portal",
]

log = logging.getLogger(__name__)


def mount(app: web.Application, services: Services) -> None:
    """Serve the portal under /portal/ (skipped, with a warning, on a store without accounts)."""
    try:
        ctx = context_for(app, services)
    except NotImplementedError as error:
        log.warning("portal not served: %s", error)
        return
    mount_portal(app, ctx)
