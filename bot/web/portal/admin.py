"""Admin pages: the moderation queue (scrubbed comments, held bursts) and the audit log."""

from __future__ import annotations

from aiohttp import web

from bot.web.portal.access import audit
from bot.web.portal.context import ACCOUNT, PORTAL
from bot.web.portal.names_admin import queue
from bot.web.portal.render import html
from bot.web.portal.replies import pending
from bot.web.portal.scope import Refused, require
from recruiter_reports.audit import AuditAction
from recruiter_reports.stakeholders import Account, Permission

__all__ = ["audit_log", "moderate", "moderation"]

_PAGE = 200
_LAST_PAGE = 10_000_000
"""Two billion audit entries: far more than any log, far less than an overflowing offset."""


def _allow(request: web.Request, permission: Permission) -> Account:
    account = request[ACCOUNT]
    try:
        require(account, permission)
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    return account


async def moderation(request: web.Request) -> web.Response:
    _allow(request, Permission.MODERATE)
    store = request.config_dict[PORTAL].store
    comments = await store.pending_comments(limit=100)
    held = await store.held_reports(limit=100)
    replies = await pending(request.config_dict[PORTAL])
    return html(request, "moderation.html", comments=comments, held=held, replies=replies,
                done=request.query.get("done", ""), current="moderation",
                **await queue(store))  # fmt: skip


async def moderate(request: web.Request) -> web.Response:
    """One decision per form: a comment approved or rejected, a held report kept or dropped."""
    account = _allow(request, Permission.MODERATE)
    ctx = request.config_dict[PORTAL]
    form = await request.post()
    report_id = str(form.get("report_id", ""))
    decision = str(form.get("decision", ""))
    if not report_id:
        raise web.HTTPBadRequest(text="no report chosen")
    if decision in ("approve", "reject"):
        changed = await ctx.store.moderate_comments([report_id], decision == "approve") > 0
    elif decision == "accept":
        changed = await ctx.store.accept_held(report_id)
    elif decision == "discard":
        changed = await ctx.store.discard_held(report_id)
    else:
        raise web.HTTPBadRequest(text="unknown decision")
    await audit(ctx, account.id, AuditAction.MODERATION, f"{decision} report {report_id}")
    raise web.HTTPSeeOther(f"/portal/admin/moderation?done={decision if changed else 'none'}")


async def audit_log(request: web.Request) -> web.Response:
    _allow(request, Permission.AUDIT)
    ctx = request.config_dict[PORTAL]
    try:
        page = max(0, int(request.query.get("page", "0")))
    except ValueError:
        page = 0
    if page > _LAST_PAGE:  # the offset would overflow the database's 64-bit integers
        raise web.HTTPBadRequest(text=f"There is no page {page}; the log starts at page 0.")
    entries = await ctx.stakeholders.audit_entries(limit=_PAGE, offset=page * _PAGE)
    names = {account.id: account.name for account in await ctx.stakeholders.accounts()}
    return html(request, "audit.html", entries=entries, names=names, page=page,
                more=len(entries) == _PAGE, current="audit")  # fmt: skip
