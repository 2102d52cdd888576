"""Server-side HTML: Jinja2 templates from ``bot/web/templates``, autoescaped, no scripts.

UI strings go through the bot's gettext catalogs (``t("...")`` in templates),
in the language the browser asks for when a catalog exists, English otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.i18n import Catalogs, Translator
from bot.web.portal.context import ACCOUNT, DEMO, PORTAL, SESSION
from recruiter_reports.stakeholders import Account, Permission, can

__all__ = ["TEMPLATES", "html", "render", "translator_for"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def translator_for(catalogs: Catalogs, request: web.Request) -> Translator:
    """The browser's first acceptable language we have a catalog for, else the default."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip()
        if not tag or tag == "*":
            continue
        found = catalogs.negotiate(tag.replace("_", "-"), catalogs.locales)
        if found is not None:
            return catalogs.translator(found)
    return catalogs.translator(None)


def render(request: web.Request, template: str, current: str = "", **values: Any) -> str:
    """The page ``template`` with the request's language, account, menu and CSRF token."""
    ctx = request.config_dict[PORTAL]
    t = translator_for(ctx.catalogs, request)
    session = request.get(SESSION)
    account = request.get(ACCOUNT)
    page = _ENV.get_template(template)
    return page.render(
        t=t,
        lang=t.locale,
        direction="rtl" if t.rtl else "ltr",
        account=account,
        csrf_token=session.csrf_token if session is not None else "",
        nav=_navigation(t, account, current),
        min_reporters=ctx.min_reporters,
        demo=bool(request.get(DEMO)),
        **values,
    )


def _navigation(t: Translator, account: Account | None, current: str) -> list[dict[str, Any]]:
    """The menu entries the account's role allows."""
    if account is None:
        return []
    entries = [
        ("agencies", "/portal/agencies", t("Agencies"), Permission.SUMMARIES),
        ("overview", "/portal/overview", t("Sector overview"), Permission.OVERVIEW),
        ("moderation", "/portal/admin/moderation", t("Moderation"), Permission.MODERATE),
        ("audit", "/portal/admin/audit", t("Audit log"), Permission.AUDIT),
        ("reportback", "/portal/admin/reportback", t("Report-back"), Permission.REPORT_BACK),
        ("cases", "/portal/cases", t("Cases"), Permission.CASES),
        ("reply", "/portal/reply", t("Your reply"), Permission.REPLY),
    ]
    return [
        {"href": href, "label": label, "current": name == current}
        for name, href, label, permission in entries
        if can(account, permission)
    ]


def html(
    request: web.Request, template: str, *, status: int = 200, current: str = "", **values: Any
) -> web.Response:
    return web.Response(
        text=render(request, template, current, **values), status=status,
        content_type="text/html",
        charset="utf-8",
    )  # fmt: skip
