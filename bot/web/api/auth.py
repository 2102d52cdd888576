"""Bearer-key authentication for /api/v1: 401 without a valid key, every call audited.

It is also where a handler's refusals become answers, so every endpoint says
them the same way: ``Refused`` (role or scope) is 403, ``BadRequest`` is 400.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.web.outages import OUTAGES, RETRY_AFTER_SECONDS, UNAVAILABLE, note_outage
from bot.web.portal.access import Outcome, attempt_login, audit, is_https
from bot.web.portal.context import ACCOUNT, PORTAL
from bot.web.portal.middleware import HEADERS, HSTS
from bot.web.portal.query import BadQuery
from bot.web.portal.scope import Refused
from recruiter_reports.audit import AuditAction

__all__ = ["PUBLIC_PATHS", "BadRequest", "bearer_auth", "problem"]

PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})


class BadRequest(Exception):
    """A query the API cannot answer as asked; the message says what to change."""


def problem(status: int, message: str, **extra: object) -> web.Response:
    """A JSON error body: ``{"error": ..., "status": ...}``."""
    return web.json_response({"error": message, "status": status, **extra}, status=status)


@web.middleware
async def bearer_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await _authenticated(request, handler)
    except OUTAGES as error:  # a store that is down: retry, never a 500 (bot.web.outages)
        note_outage(error, request.path)
        response = problem(503, UNAVAILABLE)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if is_https(request):
        response.headers["Strict-Transport-Security"] = HSTS
    response.headers["Cache-Control"] = "no-store"
    return response


async def _authenticated(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in PUBLIC_PATHS:
        return await handler(request)
    ctx = request.config_dict[PORTAL]
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    key = key.strip() if scheme.lower() == "bearer" else ""
    account, outcome = await attempt_login(ctx, request, key, f"api {request.path}")
    if outcome is Outcome.THROTTLED:
        return problem(429, "too many failed attempts; wait a few minutes")
    if account is None:
        refused = problem(401, "a valid access key is required (Authorization: Bearer <key>)")
        refused.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return refused
    request[ACCOUNT] = account
    try:
        response = await handler(request)
    except (BadRequest, BadQuery) as error:
        response = problem(400, str(error))
    except Refused as error:
        response = problem(403, str(error))
    action = AuditAction.API_CALL if response.status != 403 else AuditAction.DENIED
    await audit(ctx, account.id, action, f"api {request.path_qs}")
    return response
