"""Building the portal's context from the services, and mounting its routes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from bot.core.fees import band_ids
from bot.web.cases import pages as case_pages
from bot.web.outages import store_outages
from bot.web.portal import admin, login, names_admin, pages, replies, reportback_admin
from bot.web.portal.context import PORTAL, PortalConfig, PortalContext
from bot.web.portal.data import PortalData
from bot.web.portal.middleware import (
    audit_views,
    refusal_pages,
    require_csrf,
    require_session,
    security_headers,
)
from bot.web.proxies import TrustedProxies
from recruiter_reports.stores.stakeholder_port import stakeholder_store_for

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["STATIC", "context_for", "mount_portal"]

STATIC = Path(__file__).resolve().parent.parent / "static"


def context_for(app: web.Application, services: Services) -> PortalContext:
    """The app's shared portal context, built from the services on first use."""
    existing = app.get(PORTAL)
    if existing is not None:
        return existing
    settings = services.settings
    content = services.content
    fee_bands = {country.code: tuple(band_ids(country)) for country in content.origins()}
    data = PortalData(
        services.store,
        services.engine.ratings.registries,
        settings.MIN_REPORTERS,
        fee_bands,
        countries={c.code: c for c in [*content.origins(), *content.destinations()]},
    )
    ctx = PortalContext(
        stakeholders=stakeholder_store_for(services.store),
        store=services.store,
        catalogs=services.catalogs,
        min_reporters=settings.MIN_REPORTERS,
        data=data,
        config=PortalConfig(proxies=TrustedProxies(settings.trusted_proxies)),
    )
    app[PORTAL] = ctx
    return ctx


def mount_portal(app: web.Application, ctx: PortalContext) -> None:
    """The portal as a sub-application under /portal/, with its own middlewares."""
    if PORTAL not in app:
        app[PORTAL] = ctx
    portal = web.Application(
        middlewares=[
            security_headers, refusal_pages, store_outages, require_session, audit_views,
            require_csrf,
        ]
    )
    portal.router.add_get("/login", login.login_form)
    portal.router.add_post("/login", login.login_submit)
    portal.router.add_post("/logout", login.logout)
    portal.router.add_get("/", pages.home)
    portal.router.add_get("/agencies", pages.agencies)
    portal.router.add_get("/agencies/{recruiter_id}", pages.agency)
    portal.router.add_get("/overview", pages.overview)
    portal.router.add_get("/export.{format:csv|json}", pages.export)
    portal.router.add_get("/admin/moderation", admin.moderation)
    portal.router.add_post("/admin/moderation", admin.moderate)
    portal.router.add_post("/admin/names", names_admin.decide)
    portal.router.add_get("/admin/audit", admin.audit_log)
    portal.router.add_get("/admin/reportback", reportback_admin.preview)
    portal.router.add_post("/admin/reportback", reportback_admin.approve)
    portal.router.add_post("/admin/replies", replies.decide)
    portal.router.add_get("/reply", replies.reply_page)
    portal.router.add_post("/reply", replies.reply_submit)
    case_pages.add_routes(portal.router)
    portal.router.add_static("/static/", STATIC, append_version=False)
    app.add_subapp("/portal/", portal)
