"""Right of reply: an agency account sees its own summary and writes one moderated, dated reply,
shown beside its figures in the portal, the API and the exports; every edit is audited."""

from __future__ import annotations

import csv
import io
import json

from recruiter_reports.audit import AuditAction
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import Portal, csrf_of

SAVANNAH = "KE-EX-KE-0002"
TEXT = "We refunded the fees of 2025 and no longer keep passports. Call 0722 123 456."


async def _write(portal: Portal, text: str) -> int:
    page = await portal.client.get("/portal/reply")
    response = await portal.client.post(
        "/portal/reply", data={"csrf_token": csrf_of(await page.text()), "text": text},
        allow_redirects=False,
    )  # fmt: skip
    return response.status


async def _moderate(portal: Portal, decision: str) -> None:
    page = await portal.client.get("/portal/admin/moderation")
    html = await page.text()
    assert "Agency replies waiting for review" in html
    response = await portal.client.post(
        "/portal/admin/replies",
        data={"csrf_token": csrf_of(html), "recruiter_id": SAVANNAH, "decision": decision},
        allow_redirects=False,
    )  # fmt: skip
    assert response.status == 303


async def test_an_agency_writes_a_reply_a_moderator_approves_and_every_reader_sees_it(
    portal: Portal,
) -> None:
    await portal.report(SAVANNAH, 6, passport_kept=True)
    await portal.add("savannah", Role.AGENCY, [], agency=SAVANNAH)
    await portal.add("admin", Role.ADMIN, [])
    await portal.add("ministry", Role.OFFICIAL, ["KE"])
    await portal.login(portal.keys["savannah"])
    home = await portal.client.get("/portal/", allow_redirects=False)
    assert home.headers["Location"] == "/portal/reply"
    own = await (await portal.client.get("/portal/reply")).text()
    assert "Savannah" in own and "6 workers reported on this agency." in own
    assert "No reply is shown yet." in own
    # Its own summary only: no list, no other agency, no API of the others.
    assert (await portal.client.get("/portal/agencies")).status == 403
    assert (await portal.client.get("/portal/agencies/KE-EX-KE-0001")).status == 403
    listing = await portal.client.get("/api/v1/recruiters", headers=portal.api("savannah"))
    assert listing.status == 403
    assert await _write(portal, "x" * 1001) == 400
    assert await _write(portal, TEXT) == 303
    pending = await (await portal.client.get("/portal/reply")).text()
    assert "waits for review by a moderator" in pending and "0722" not in pending
    api = portal.api("ministry")
    detail = await (await portal.client.get(f"/api/v1/recruiters/{SAVANNAH}", headers=api)).json()
    assert detail["reply"] is None  # not shown before a moderator approved it
    await portal.logout()

    await portal.login(portal.keys["admin"])
    await _moderate(portal, "approve")
    await portal.logout()

    day = portal.clock().date().isoformat()
    detail = await (await portal.client.get(f"/api/v1/recruiters/{SAVANNAH}", headers=api)).json()
    assert detail["reply"]["written_at"] == day
    assert detail["reply"]["text"].startswith("We refunded the fees of 2025")
    assert "0722" not in detail["reply"]["text"]
    rows = (await (await portal.client.get("/api/v1/recruiters?origin=KE", headers=api)).json())
    assert next(r for r in rows["recruiters"] if r["id"] == SAVANNAH)["reply"] == detail["reply"]
    await portal.login(portal.keys["ministry"])
    page = await (await portal.client.get(f"/portal/agencies/{SAVANNAH}")).text()
    assert "The agency&#39;s reply" in page and "We refunded the fees of 2025" in page
    assert f"Written by the agency on {day}" in page
    exported = await (await portal.client.get("/portal/export.csv?origin=KE")).text()
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["id"] == SAVANNAH)
    assert row["agency_reply"].startswith("We refunded") and row["agency_reply_written_at"] == day
    body = json.loads(await (await portal.client.get("/portal/export.json?origin=KE")).text())
    agency = next(a for a in body["agencies"] if a["id"] == SAVANNAH)
    assert agency["reply"] == detail["reply"]
    entries = await portal.ctx.stakeholders.audit_entries()
    edits = [e for e in entries if e.action is AuditAction.REPLY_EDIT]
    assert len(edits) == 1 and edits[0].target.startswith(f"{SAVANNAH}: We refunded")
    assert any(e.action is AuditAction.MODERATION and SAVANNAH in e.target for e in entries)
    assert sum(e.action is AuditAction.EXPORT for e in entries) == 2


async def test_an_edit_keeps_the_approved_reply_until_reviewed_and_each_edit_is_audited(
    portal: Portal,
) -> None:
    await portal.report(SAVANNAH, 6)
    await portal.add("savannah", Role.AGENCY, [], agency=SAVANNAH)
    await portal.add("admin", Role.ADMIN, [])
    await portal.login(portal.keys["savannah"])
    assert await _write(portal, "First answer.") == 303
    await portal.logout()
    await portal.login(portal.keys["admin"])
    await _moderate(portal, "approve")
    await portal.logout()
    portal.clock.advance(days=3)
    await portal.login(portal.keys["savannah"])
    assert await _write(portal, "A second, angrier answer.") == 303
    page = await (await portal.client.get("/portal/reply")).text()
    assert "First answer." in page and "waits for review" in page
    await portal.logout()
    await portal.login(portal.keys["admin"])
    await _moderate(portal, "reject")
    await portal.logout()
    await portal.login(portal.keys["savannah"])
    page = await (await portal.client.get("/portal/reply")).text()
    assert "First answer." in page and "did not accept your latest text" in page
    edits = [e.target for e in await portal.ctx.stakeholders.audit_entries()
             if e.action is AuditAction.REPLY_EDIT]  # fmt: skip
    assert edits == [f"{SAVANNAH}: A second, angrier answer.", f"{SAVANNAH}: First answer."]
