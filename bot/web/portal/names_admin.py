"""Moderating typed names: approve or reject them, merge spellings, link to the registry.

A name is shown to no one but a moderator until approved. Merging moves an
unlisted agency's reports to another spelling of it; linking moves them to
the registry entry it turned out to be. Both are one store write that also
rebuilds the summaries (``NameStore.merge_agency``), and every decision is in
the audit log.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.web.portal.access import audit
from bot.web.portal.context import ACCOUNT, PORTAL, ModerationPorts
from bot.web.portal.data import PortalData
from bot.web.portal.scope import Refused, require
from recruiter_reports.audit import AuditAction
from recruiter_reports.names import NameKind, NameStatus
from recruiter_reports.registry import is_pending_id
from recruiter_reports.reports import NAME_MAX
from recruiter_reports.stakeholders import Permission

__all__ = ["decide", "queue"]

_DECISIONS = ("approve", "reject", "merge", "link")


async def queue(store: ModerationPorts) -> dict[str, Any]:
    """What the moderation page lists about names (oldest first)."""
    agencies = await store.name_records(NameKind.AGENCY)
    return {
        "agency_names": [r for r in agencies if r.status is NameStatus.PENDING],
        "broker_names": await store.name_records(NameKind.BROKER, status=NameStatus.PENDING),
        "unlisted": [r for r in agencies
                     if r.status in (NameStatus.PENDING, NameStatus.APPROVED)],
    }  # fmt: skip


async def decide(request: web.Request) -> web.Response:
    """One decision per form; a bad one is a 400 that says what is wrong (nothing changes)."""
    account = request[ACCOUNT]
    try:
        require(account, Permission.MODERATE)
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    ctx = request.config_dict[PORTAL]
    form = await request.post()
    kind_text, key = str(form.get("kind", "")), str(form.get("key", "")).strip()
    decision = str(form.get("decision", ""))
    if kind_text not in {k.value for k in NameKind} or not key or decision not in _DECISIONS:
        raise web.HTTPBadRequest(text="choose a name and one of: " + ", ".join(_DECISIONS))
    kind = NameKind(kind_text)
    if decision in ("approve", "reject"):
        text = " ".join(str(form.get("text", "")).split())[:NAME_MAX] or None
        changed = await ctx.store.moderate_name(kind, key, decision == "approve", text)
    else:
        into = await _target(request, ctx.data, kind, key, decision, form)
        changed = await ctx.store.merge_agency(key, into) >= 0
        decision = f"{decision} into {into}"
    await audit(ctx, account.id, AuditAction.MODERATION, f"{decision} {kind.value} name {key}")
    raise web.HTTPSeeOther(f"/portal/admin/moderation?done={'name' if changed else 'none'}")


async def _target(
    request: web.Request, data: object, kind: NameKind, key: str, decision: str, form: Any
) -> str:
    """Where a merge or a link sends the unlisted agency ``key``, checked."""
    if kind is not NameKind.AGENCY or not is_pending_id(key):
        raise web.HTTPBadRequest(text="only an unlisted agency can be merged or linked")
    if not isinstance(data, PortalData):
        raise web.HTTPServiceUnavailable(text="The ratings data is not available.")
    if decision == "merge":
        into = str(form.get("into", "")).strip()
        if not is_pending_id(into) or into == key or into[:2] != key[:2]:
            raise web.HTTPBadRequest(
                text="choose another unlisted agency of the same country to merge into"
            )
        return into
    licence = str(form.get("licence", "")).strip()
    listed = data.by_licence(key[:2], licence) if licence else None
    if listed is None:
        raise web.HTTPBadRequest(
            text=f"no agency with licence number or id “{licence}” in the {key[:2]} list"
        )
    return listed.id
