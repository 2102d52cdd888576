"""The portal's middlewares: security headers, refusal pages, the session gate, CSRF, and
the audit trail."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.web.portal.access import audit, is_https
from bot.web.portal.context import ACCOUNT, AUDITED, DEMO, PORTAL, SESSION
from bot.web.portal.csrf import FIELD, tokens_match
from bot.web.portal.data import PortalData
from bot.web.portal.render import html, translator_for
from bot.web.portal.sessions import resolve_session
from recruiter_reports.audit import AuditAction

__all__ = [
    "HEADERS", "HSTS", "audit_views", "refusal_pages", "require_csrf", "require_session",
    "security_headers",
]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
_PUBLIC = ("/portal/login", "/portal/static/")


def _is_public(path: str) -> bool:
    return path == _PUBLIC[0] or path.startswith(_PUBLIC[1])


HSTS = "max-age=31536000; includeSubDomains"
"""Sent only on a request that came over HTTPS (directly or through a trusted proxy)."""


def _secure(response: web.StreamResponse, request: web.Request) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if is_https(request):
        response.headers["Strict-Transport-Security"] = HSTS
    if not request.path.startswith("/portal/static/"):
        # Data pages must not linger in a shared computer's cache or history.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        _secure(error, request)
        raise
    _secure(response, request)
    return response


@web.middleware
async def refusal_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A refusal (403) is a page of the portal, with its menu and a heading in the
    browser's language: not a line of bare text that leaves the person nowhere to go.
    The reason is the refusal's own text (English, as the scope rules word it); the
    status stays 403."""
    try:
        return await handler(request)
    except web.HTTPForbidden as refused:
        t = translator_for(request.config_dict[PORTAL].catalogs, request)
        return html(request, "message.html", status=403,
                    heading=t("Not allowed"), message=refused.text or "")


@web.middleware
async def require_session(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every page but the login page and the stylesheet needs a live session."""
    if _is_public(request.path):
        return await handler(request)
    found = await resolve_session(request.config_dict[PORTAL], request)
    if found is None:
        raise web.HTTPSeeOther("/portal/login")
    request[SESSION], request[ACCOUNT] = found
    data = request.config_dict[PORTAL].data
    if isinstance(data, PortalData):
        request[DEMO] = await data.holds_demo_data()
    return await handler(request)


@web.middleware
async def require_csrf(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse a form post without the session's token (the login form checks its own)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or _is_public(request.path):
        return await handler(request)
    form = await request.post()
    if not tokens_match(request[SESSION].csrf_token, form.get(FIELD)):
        raise web.HTTPForbidden(text="The form has expired. Go back, reload the page and retry.")
    return await handler(request)


@web.middleware
async def audit_views(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Append a page view (or a refusal) for every request made by a logged-in account."""
    account = request.get(ACCOUNT)
    try:
        response = await handler(request)
    except web.HTTPForbidden:
        if account is not None:
            await _record(request, AuditAction.DENIED)
        raise
    if account is not None and request.method == "GET" and not request.get(AUDITED):
        if response.status < 400:
            await _record(request, AuditAction.PAGE_VIEW)
    return response


async def _record(request: web.Request, action: AuditAction) -> None:
    await audit(request.config_dict[PORTAL], request[ACCOUNT].id, action, request.path_qs)
