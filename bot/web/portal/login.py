"""Logging in with an access key (a POST form, never a URL) and logging out."""

from __future__ import annotations

from aiohttp import web

from bot.web.portal.access import Outcome, attempt_login, audit
from bot.web.portal.context import ACCOUNT, AUDITED, PORTAL
from bot.web.portal.csrf import (
    FIELD,
    LOGIN_COOKIE,
    login_token,
    set_login_cookie,
    tokens_match,
)
from bot.web.portal.render import render
from bot.web.portal.sessions import clear_cookie, end_session, resolve_session, start_session
from recruiter_reports.audit import AuditAction

__all__ = ["login_form", "login_submit", "logout"]


async def login_form(request: web.Request) -> web.Response:
    ctx = request.config_dict[PORTAL]
    if await resolve_session(ctx, request) is not None:
        raise web.HTTPSeeOther("/portal/")
    return _form(request, status=200, error=None)


def _form(request: web.Request, *, status: int, error: str | None) -> web.Response:
    token = login_token(request)
    response = web.Response(
        text=render(request, "login.html", login_csrf=token, error=error),
        status=status, content_type="text/html", charset="utf-8",
    )  # fmt: skip
    set_login_cookie(request, response, token)
    return response


async def login_submit(request: web.Request) -> web.Response:
    """Check the key; on success a new session, on failure a throttled, audited refusal."""
    ctx = request.config_dict[PORTAL]
    form = await request.post()
    if not tokens_match(request.cookies.get(LOGIN_COOKIE), form.get(FIELD)):
        return _form(request, status=403, error="expired")
    key = form.get("access_key")
    key = key.strip() if isinstance(key, str) else ""
    account, outcome = await attempt_login(ctx, request, key, "portal")
    if outcome is Outcome.THROTTLED:
        return _form(request, status=429, error="throttled")
    if account is None:
        return _form(request, status=401, error="invalid")
    response = web.HTTPSeeOther("/portal/")
    await start_session(ctx, request, response, account)
    response.del_cookie(LOGIN_COOKIE, path="/portal")
    await audit(ctx, account.id, AuditAction.LOGIN, "portal")
    request[AUDITED] = True
    raise response


async def logout(request: web.Request) -> web.Response:
    """Ends the session on the server and in the browser (CSRF checked by the middleware)."""
    ctx = request.config_dict[PORTAL]
    await end_session(ctx, request)
    await audit(ctx, request[ACCOUNT].id, AuditAction.LOGOUT, "portal")
    response = web.HTTPSeeOther("/portal/login")
    clear_cookie(response)
    raise response
