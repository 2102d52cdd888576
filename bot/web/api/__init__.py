"""The JSON API at /api/v1/ (``Authorization: Bearer <access key>``); see ``openapi.DOCUMENT``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.web.api.auth import bearer_auth
from bot.web.api.cases import case, case_reply, case_state, cases
from bot.web.api.openapi import DOCUMENT, openapi
from bot.web.api.routes import overview, recruiter, recruiters
from bot.web.portal import PORTAL, PortalContext, context_for

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["DOCUMENT", "mount", "mount_api"]


def mount(app: web.Application, services: Services) -> None:
    """Serve the API under /api/v1/, sharing the portal's accounts and data."""
    ctx = context_for(app, services)
    mount_api(app, ctx)


def mount_api(app: web.Application, ctx: PortalContext) -> None:
    if PORTAL not in app:
        app[PORTAL] = ctx
    api = web.Application(middlewares=[bearer_auth])
    api.router.add_get("/openapi.json", openapi)
    api.router.add_get("/recruiters", recruiters)
    api.router.add_get("/recruiters/{recruiter_id}", recruiter)
    api.router.add_get("/overview", overview)
    api.router.add_get("/cases", cases)
    api.router.add_get("/cases/{case_id}", case)
    api.router.add_post("/cases/{case_id}/reply", case_reply)
    api.router.add_post("/cases/{case_id}/state", case_state)
    app.add_subapp("/api/v1/", api)
