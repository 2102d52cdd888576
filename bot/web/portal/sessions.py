"""Server-side portal sessions: a random cookie names a row; the row holds the account.

A new id is made at every login (no fixation); the cookie is HttpOnly,
SameSite=Strict, limited to /portal and Secure behind HTTPS. A session ends
after ``idle_timeout`` without a request or ``absolute_timeout`` after login,
and at once when its account is revoked.
"""

from __future__ import annotations

import hashlib
import secrets

from aiohttp import web

from bot.web.portal.access import is_https
from bot.web.portal.context import PortalContext
from recruiter_reports.stakeholders import Account
from recruiter_reports.stores.stakeholder_port import PortalSession

__all__ = ["COOKIE", "clear_cookie", "end_session", "resolve_session", "start_session"]

COOKIE = "portal_session"
_PATH = "/portal"
_TOUCH_EVERY_SECONDS = 30
"""Last-seen times are written at most this often, so browsing does not write on every page."""


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def start_session(
    ctx: PortalContext, request: web.Request, response: web.StreamResponse, account: Account
) -> PortalSession:
    """A fresh session for ``account``: any session the browser had is ended first."""
    await end_session(ctx, request)
    now = ctx.now()
    # Housekeeping: sessions idle past the limit are dead anyway.
    await ctx.stakeholders.delete_portal_sessions_before(now - ctx.config.idle_timeout)
    session_id = secrets.token_urlsafe(32)
    session = PortalSession(_digest(session_id), account.id, secrets.token_urlsafe(32), now, now)
    await ctx.stakeholders.save_portal_session(session)
    response.set_cookie(
        COOKIE,
        session_id,
        path=_PATH,
        httponly=True,
        samesite="Strict",
        secure=is_https(request),
    )
    return session


async def resolve_session(
    ctx: PortalContext, request: web.Request
) -> tuple[PortalSession, Account] | None:
    """The live session and active account behind the request's cookie, or None."""
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    id_hash = _digest(session_id)
    session = await ctx.stakeholders.portal_session(id_hash)
    if session is None:
        return None
    now = ctx.now()
    config = ctx.config
    expired = (
        now - session.last_seen >= config.idle_timeout
        or now - session.created_at >= config.absolute_timeout
    )
    account = None if expired else await ctx.stakeholders.account(session.account_id)
    if account is None or not account.active:
        await ctx.stakeholders.delete_portal_session(id_hash)
        return None
    if (now - session.last_seen).total_seconds() >= _TOUCH_EVERY_SECONDS:
        await ctx.stakeholders.touch_portal_session(id_hash, now)
    return session, account


async def end_session(ctx: PortalContext, request: web.Request) -> None:
    """Forget the request's session on the server (the cookie is cleared by the caller)."""
    session_id = request.cookies.get(COOKIE)
    if session_id:
        await ctx.stakeholders.delete_portal_session(_digest(session_id))


def clear_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE, path=_PATH)
