"""The admin's report-back page: preview a quarter's round, then approve it.

Nothing is sent before an admin approves: the page shows, per corridor and
language, exactly the message that will go out and whether k or more people
would get it (``bot.web.followups.reportback_round``), and one Approve button
(a form with the session's CSRF token, like every admin form). The approval is
checked against what the page showed, kept once, and in the audit log, as is
every refused attempt.
"""

from __future__ import annotations

from aiohttp import web

from bot.i18n import language_name
from bot.web.followups.reportback_round import ROUNDS, Preview, ReportbackRounds
from bot.web.portal.access import audit
from bot.web.portal.context import ACCOUNT, PORTAL
from bot.web.portal.render import html, translator_for
from bot.web.portal.scope import Refused, require
from followups.reportback import message_key
from recruiter_reports.audit import AuditAction
from recruiter_reports.quarters import Quarter
from recruiter_reports.stakeholders import Account, Permission

__all__ = ["approve", "preview"]


def _allow(request: web.Request) -> Account:
    account = request[ACCOUNT]
    try:
        require(account, Permission.REPORT_BACK)
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    return account


def _quarter(rounds: ReportbackRounds, text: str | None) -> Quarter:
    """The quarter asked for: one of the last whole quarters (the latest by default)."""
    offered = rounds.quarters()
    if not text:
        return offered[0]
    try:
        asked = Quarter.parse(text)
    except ValueError:
        asked = None
    if asked not in offered:
        choices = ", ".join(str(q) for q in offered)
        raise web.HTTPBadRequest(text=f"quarter={text!r}: choose one of {choices} "
                                      "(a round reports a whole quarter that has ended)")
    return asked


async def preview(request: web.Request) -> web.Response:
    _allow(request)
    rounds = request.config_dict.get(ROUNDS)
    if rounds is None:
        return html(request, "reportback.html", off=True, current="reportback")
    quarter = _quarter(rounds, request.query.get("quarter"))
    shown = await rounds.preview(quarter)
    t = translator_for(request.config_dict[PORTAL].catalogs, request)
    recipients = t.plural("{n} person would get a message.", "{n} people would get a message.",
                          shown.recipients)
    names = {account.id: account.name
             for account in await request.config_dict[PORTAL].stakeholders.accounts()}
    return html(request, "reportback.html", off=False, preview=shown, k=rounds.k,
                rows=_rows(shown), quarters=rounds.quarters(), recipients=recipients,
                done=request.query.get("done", ""), names=names, language=language_name,
                current="reportback")  # fmt: skip


def _rows(shown: Preview) -> list[dict[str, object]]:
    """What the page lists: the approved messages once approved (exactly what was queued),
    else the preview's corridors and languages that have a message."""
    if shown.approved is not None:
        rows = []
        for key, message in sorted(shown.approved.messages.items()):
            corridor, _, locale = key.partition("|")
            origin, _, destination = corridor.partition(">")
            rows.append({"key": key, "origin": origin, "destination": destination,
                         "locale": locale, "message": message, "enough": None})
        return rows
    return [{"key": message_key(c.origin, c.destination, c.locale), "origin": c.origin,
             "destination": c.destination, "locale": c.locale, "message": c.message,
             "enough": c.enough(shown.k)} for c in shown.cells if c.message is not None]


async def approve(request: web.Request) -> web.Response:
    account = _allow(request)
    rounds = request.config_dict.get(ROUNDS)
    if rounds is None:
        raise web.HTTPServiceUnavailable(text="Report-back is off: check-ins need CONTACT_KEY.")
    form = await request.post()
    quarter = _quarter(rounds, str(form.get("quarter", "")) or None)
    seen = str(form.get("digest", ""))
    outcome = await rounds.approve(quarter, seen, account.id)
    await audit(request.config_dict[PORTAL], account.id, AuditAction.REPORT_BACK,
                f"report-back {quarter} ({seen or 'no digest'}): {outcome.value}")
    raise web.HTTPSeeOther(f"/portal/admin/reportback?quarter={quarter}&done={outcome.value}")


