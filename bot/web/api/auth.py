"""Bearer-key authentication for /api/v1: 401 without a valid key, every call audited.

It is also where a handler's refusals become answers, so every endpoint says
them the same way: ``Refused`` (role or scope) is 403, ``BadRequest`` is 400.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.web.portal.access import audit, check_key, client_address
from bot.web.portal.context import ACCOUNT, PORTAL
from bot.web.portal.middleware import HEADERS
from bot.web.portal.scope import Refused
from recruiter_reports.audit import AuditAction
from recruiter_reports.stakeholders import parse_key_id

__all__ = ["PUBLIC_PATHS", "BadRequest", "bearer_auth", "problem"]

PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})


class BadRequest(Exception):
    """A query the API cannot answer as asked; the message says what to change."""


def problem(status: int, message: str, **extra: object) -> web.Response:
    """A JSON error body: ``{"error": ..., "status": ...}``."""
    return web.json_response({"error": message, "status": status, **extra}, status=status)


@web.middleware
async def bearer_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await _authenticated(request, handler)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _authenticated(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in PUBLIC_PATHS:
        return await handler(request)
    ctx = request.config_dict[PORTAL]
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    key = key.strip()
    key_id = parse_key_id(key) if scheme.lower() == "bearer" else None
    sources = [f"ip:{client_address(request)}"] + ([f"key:{key_id}"] if key_id else [])
    if await ctx.limiter.blocked(*sources):
        return problem(429, "too many failed attempts; wait a few minutes")
    account = None
    named = None
    if key_id is not None:
        account, named = await check_key(ctx, key)
    if account is None:
        await ctx.limiter.fail(*sources)
        await audit(ctx, named, AuditAction.LOGIN_FAILED, f"api {request.path}")
        refused = problem(401, "a valid access key is required (Authorization: Bearer <key>)")
        refused.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return refused
    request[ACCOUNT] = account
    try:
        response = await handler(request)
    except BadRequest as error:
        response = problem(400, str(error))
    except Refused as error:
        response = problem(403, str(error))
    action = AuditAction.API_CALL if response.status != 403 else AuditAction.DENIED
    await audit(ctx, account.id, action, f"api {request.path_qs}")
    return response
