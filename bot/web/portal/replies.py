"""The right of reply: an agency account's own page, and the moderation of what it writes.

An agency account (``Role.AGENCY``) sees its own agency's summary as any
reader may (disclosure control applies to it as to everyone) and writes one
public reply. What it writes waits for a moderator; the text shown meanwhile
is the one approved before (``recruiter_reports.replies``). Every edit goes
into the audit log with its text, every decision too.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.portal.access import audit
from bot.web.portal.context import ACCOUNT, AUDITED, PORTAL, PortalContext
from bot.web.portal.data import PortalData
from bot.web.portal.present import indicator_labels, percent, withheld_reason
from bot.web.portal.render import html, translator_for
from bot.web.portal.scope import Refused, require
from recruiter_reports.audit import AuditAction
from recruiter_reports.replies import REPLY_MAX, ReplyRecord, ReplyStatus, moderated, written
from recruiter_reports.stakeholders import Account, Permission
from recruiter_reports.stores.replies_port import ReplyStore

__all__ = ["decide", "pending", "reply_page", "reply_submit"]


def _store(ctx: PortalContext) -> ReplyStore:
    if not isinstance(ctx.stakeholders, ReplyStore):
        raise web.HTTPServiceUnavailable(text="Replies are not available on this store.")
    return ctx.stakeholders


def _allow(request: web.Request, permission: Permission) -> Account:
    account = request[ACCOUNT]
    try:
        require(account, permission)
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    return account


async def reply_page(request: web.Request) -> web.Response:
    """The agency's summary, its reply as shown, and the form to write it."""
    return await _page(request)


async def _page(
    request: web.Request, error: str = "", status: int = 200, draft: str | None = None
) -> web.Response:
    account = _allow(request, Permission.REPLY)
    ctx = request.config_dict[PORTAL]
    data = ctx.data
    if not isinstance(data, PortalData) or account.agency is None:
        raise web.HTTPServiceUnavailable(text="The ratings data is not available.")
    agency = await data.agency(account.agency)
    if agency is None:
        raise web.HTTPNotFound(text="The agency this account speaks for is not in the registry.")
    detail = await data.detail(agency, None)
    record = await _store(ctx).reply_record(agency.id)
    t = translator_for(ctx.catalogs, request)
    return html(
        request, "reply.html", status=status, detail=detail, record=record,
        shown=record.shown if record is not None else None, error=error,
        draft=draft if draft is not None else (record.draft if record is not None else ""),
        limit=REPLY_MAX, labels=indicator_labels(t), percent=percent,
        reason=lambda r: withheld_reason(t, r), k=data.k, current="reply",
        fee_label=lambda band: data.fee_label(agency.origin, band, t),
    )  # fmt: skip


async def reply_submit(request: web.Request) -> web.Response:
    """Saves the agency's text as a draft for review; a bad text is said on the form (400)."""
    account = _allow(request, Permission.REPLY)
    ctx = request.config_dict[PORTAL]
    if account.agency is None:
        raise web.HTTPForbidden(text="this account speaks for no agency")
    form = await request.post()
    text = str(form.get("text", ""))
    store = _store(ctx)
    try:
        record = written(await store.reply_record(account.agency), account.agency, account.id,
                         text, ctx.now())  # fmt: skip
    except ValueError as problem:
        return await _page(request, str(problem), status=400, draft=text[: REPLY_MAX * 2])
    await store.save_reply_record(record)
    await audit(ctx, account.id, AuditAction.REPLY_EDIT, f"{account.agency}: {record.draft}")
    request[AUDITED] = True
    raise web.HTTPSeeOther("/portal/reply?done=saved")


async def pending(ctx: PortalContext) -> list[ReplyRecord]:
    """Replies waiting for a moderator (oldest first), for the moderation page."""
    if not isinstance(ctx.stakeholders, ReplyStore):
        return []
    return list(await ctx.stakeholders.reply_records(ReplyStatus.PENDING))


async def decide(request: web.Request) -> web.Response:
    """A moderator approves or rejects an agency's pending reply; audited."""
    account = _allow(request, Permission.MODERATE)
    ctx = request.config_dict[PORTAL]
    form = await request.post()
    recruiter_id = str(form.get("recruiter_id", "")).strip()
    decision = str(form.get("decision", ""))
    if not recruiter_id or decision not in ("approve", "reject"):
        raise web.HTTPBadRequest(text="choose a reply and approve or reject")
    store = _store(ctx)
    record = await store.reply_record(recruiter_id)
    changed = None if record is None else moderated(record, decision == "approve")
    if changed is not None:
        await store.save_reply_record(changed)
    await audit(ctx, account.id, AuditAction.MODERATION, f"{decision} reply of {recruiter_id}")
    raise web.HTTPSeeOther(f"/portal/admin/moderation?done={'reply' if changed else 'none'}")
