"""CSRF tokens for every portal form.

Logged in, a form carries the session's own random token. The login form,
before any session exists, uses a double-submit token: a random value in a
SameSite=Strict, HttpOnly cookie that the form must echo.
"""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web

from bot.web.portal.access import is_https

__all__ = ["FIELD", "LOGIN_COOKIE", "login_token", "set_login_cookie", "tokens_match"]

FIELD = "csrf_token"
LOGIN_COOKIE = "portal_login_csrf"


def login_token(request: web.Request) -> str:
    """The login form's token: the browser's existing one, or a new one."""
    token = request.cookies.get(LOGIN_COOKIE)
    if not token or len(token) < 32:
        token = secrets.token_urlsafe(32)
    return token


def set_login_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    """Hand the login token to the browser as a cookie the form must echo."""
    response.set_cookie(
        LOGIN_COOKIE, token, path="/portal", httponly=True, samesite="Strict",
        secure=is_https(request),
    )  # fmt: skip


def tokens_match(expected: str | None, given: object) -> bool:
    """Constant-time comparison; a missing or empty token never matches."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
