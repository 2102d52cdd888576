"""The admin's moderation queue: scrubbed comments and held bursts, each decision audited."""

from __future__ import annotations

import datetime as dt

from recruiter_reports.audit import AuditAction
from recruiter_reports.reports import Report
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import START, Portal, csrf_of

AGENCY = "KE-EX-KE-0004"


async def _save(portal: Portal, who: str, *, held: bool = False, comment: str | None = None,
                ) -> str:  # fmt: skip
    report = Report(recruiter_id=AGENCY, origin="KE", destination="QA", passport_kept=True,
                    comment=comment, created_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))  # fmt: skip
    saved = await portal.store.save_report(who, report, held=held, reporter_since=START)
    return saved.id


async def test_admin_approves_comments_and_accepts_or_discards_held_reports(
    portal: Portal,
) -> None:
    await _save(portal, "w1", comment="They kept my passport for a year")
    await _save(portal, "w2", comment="Ask for [phone removed]")
    await _save(portal, "w3", held=True)
    await _save(portal, "w4", held=True)
    await portal.login(await portal.add("admin", Role.ADMIN, []))
    page = await portal.client.get("/portal/admin/moderation")
    html = await page.text()
    assert "They kept my passport for a year" in html and html.count('value="accept"') == 2
    token = csrf_of(html)
    comments = await portal.store.pending_comments()
    held = await portal.store.held_reports()
    for report_id, decision in ((comments[0].id, "approve"), (comments[1].id, "reject"),
                                (held[0].id, "accept"), (held[1].id, "discard")):  # fmt: skip
        response = await portal.client.post(
            "/portal/admin/moderation",
            data={"csrf_token": token, "report_id": report_id, "decision": decision},
        )
        assert response.status == 200 and "Done." in await response.text()
    assert await portal.store.pending_comments() == [] and await portal.store.held_reports() == []
    assert (await portal.store.summary(AGENCY)).reporters == 3  # w1, w2 and the accepted one
    actions = [e for e in await portal.ctx.stakeholders.audit_entries()
               if e.action is AuditAction.MODERATION]  # fmt: skip
    assert len(actions) == 4


async def test_moderation_needs_the_csrf_token_and_the_admin_role(portal: Portal) -> None:
    report_id = await _save(portal, "w1", held=True)
    await portal.login(await portal.add("official", Role.OFFICIAL, ["KE"]))
    refused = await portal.client.get("/portal/admin/moderation")
    assert refused.status == 403
    await portal.logout()
    await portal.login(await portal.add("admin", Role.ADMIN, []))
    forged = await portal.client.post(
        "/portal/admin/moderation",
        data={"csrf_token": "nope", "report_id": report_id, "decision": "accept"},
    )
    assert forged.status == 403
    assert len(await portal.store.held_reports()) == 1
