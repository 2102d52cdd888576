"""Every role and scope against every endpoint of the portal and the API."""

from __future__ import annotations

import pytest

from recruiter_reports.audit import AuditAction
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import Portal

AGENCY = "KE-EX-KE-0002"
NP_AGENCY = "NP-EX-NP-0002"

# (path, who may see it) for accounts scoped to KE; None = not for any role scoped to KE only.
PORTAL_PAGES: list[tuple[str, set[Role]]] = [
    ("/portal/agencies", {Role.OFFICIAL, Role.EMPLOYER, Role.NGO}),
    ("/portal/agencies?origin=KE&destination=QA", {Role.OFFICIAL, Role.EMPLOYER, Role.NGO}),
    (f"/portal/agencies/{AGENCY}", {Role.OFFICIAL, Role.EMPLOYER, Role.NGO}),
    ("/portal/overview?origin=KE", {Role.OFFICIAL, Role.NGO}),
    ("/portal/export.csv?origin=KE", {Role.OFFICIAL}),
    ("/portal/export.json?origin=KE", {Role.OFFICIAL}),
    ("/portal/admin/moderation", {Role.ADMIN}),
    ("/portal/admin/audit", {Role.ADMIN}),
    ("/portal/reply", {Role.AGENCY}),
    # Out of a KE scope, for everyone:
    ("/portal/agencies?origin=NP", set()),
    (f"/portal/agencies/{NP_AGENCY}", set()),
    ("/portal/overview?origin=NP", set()),
    ("/portal/export.csv?origin=NP", set()),
]
API: list[tuple[str, set[Role]]] = [
    ("/api/v1/recruiters?origin=KE", {Role.OFFICIAL, Role.EMPLOYER, Role.NGO}),
    ("/api/v1/recruiters?origin=KE&destination=QA&q=savannah",
     {Role.OFFICIAL, Role.EMPLOYER, Role.NGO}),
    (f"/api/v1/recruiters/{AGENCY}", {Role.OFFICIAL, Role.EMPLOYER, Role.NGO}),
    ("/api/v1/overview?origin=KE&destination=QA", {Role.OFFICIAL, Role.NGO}),
    ("/api/v1/recruiters?origin=NP", set()),
    (f"/api/v1/recruiters/{NP_AGENCY}", set()),
    ("/api/v1/overview?origin=NP", set()),
]  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
async def test_portal_pages_by_role_and_scope(portal: Portal, role: Role) -> None:
    await portal.report(AGENCY, 8)
    key = await portal.add("someone", role, ["KE"] if role is not Role.ADMIN else [])
    await portal.login(key)
    for path, allowed in PORTAL_PAGES:
        response = await portal.client.get(path, allow_redirects=False)
        expected = 200 if role in allowed else 403
        assert response.status == expected, (role, path, response.status)
    entries = await portal.ctx.stakeholders.audit_entries(limit=1000)
    denied = [e for e in entries if e.action is AuditAction.DENIED]
    assert len(denied) == sum(role not in allowed for _, allowed in PORTAL_PAGES)
    exports = [e for e in entries if e.action is AuditAction.EXPORT]
    assert len(exports) == (2 if role is Role.OFFICIAL else 0)


@pytest.mark.parametrize("role", list(Role))
async def test_api_by_role_and_scope(portal: Portal, role: Role) -> None:
    await portal.report(AGENCY, 8)
    await portal.add("someone", role, ["KE"] if role is not Role.ADMIN else [])
    for path, allowed in API:
        response = await portal.client.get(path, headers=portal.api("someone"))
        assert response.status == (200 if role in allowed else 403), (role, path)
        body = await response.json()
        if response.status == 403:
            assert body["status"] == 403 and body["error"]
    entries = await portal.ctx.stakeholders.audit_entries(limit=1000)
    calls = [e for e in entries if e.action in (AuditAction.API_CALL, AuditAction.DENIED)]
    assert len(calls) == len(API)
    assert all(e.account_id == portal.ids["someone"] for e in calls)


@pytest.mark.parametrize("path", ["/api/v1/recruiters?origin=Kenya",
                                  "/api/v1/overview?origin=KE&destination=9A"])  # fmt: skip
async def test_a_malformed_country_is_400_with_what_to_change_and_audited(
    portal: Portal, path: str
) -> None:
    await portal.add("someone", Role.OFFICIAL, ["KE"])
    response = await portal.client.get(path, headers=portal.api("someone"))
    assert response.status == 400
    body = await response.json()
    assert body["status"] == 400
    assert "two-letter country code" in body["error"]
    assert response.headers["Cache-Control"] == "no-store"
    (entry,) = await portal.ctx.stakeholders.audit_entries(limit=10)
    assert entry.action is AuditAction.API_CALL and entry.account_id == portal.ids["someone"]


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic abc",
                                    "Bearer rr_000000000000_" + "A" * 43])  # fmt: skip
async def test_api_without_a_valid_key_is_401(portal: Portal, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    for path, _ in API:
        response = await portal.client.get(path, headers=headers)
        assert response.status in (401, 429)
    first = await portal.client.get("/api/v1/recruiters",
                                    headers=headers | {"X-Test": "1"})  # fmt: skip
    assert first.status in (401, 429)


async def test_unauthenticated_api_answers_401_with_a_bearer_challenge(portal: Portal) -> None:
    response = await portal.client.get("/api/v1/recruiters?origin=KE")
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await response.json())["status"] == 401


async def test_openapi_document_describes_the_endpoints(portal: Portal) -> None:
    response = await portal.client.get("/api/v1/openapi.json")
    assert response.status == 200
    document = await response.json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/recruiters", "/recruiters/{id}", "/overview",
        "/cases", "/cases/{id}", "/cases/{id}/reply", "/cases/{id}/state",
    }
    assert document["components"]["securitySchemes"]["accessKey"]["scheme"] == "bearer"


async def test_a_destination_scope_sees_only_that_destination(portal: Portal) -> None:
    await portal.report(AGENCY, 8, destination="QA")
    await portal.report(AGENCY, 7, destination="SA", start=100)
    await portal.add("qatar", Role.OFFICIAL, ["QA"])
    headers = portal.api("qatar")
    body = await (await portal.client.get(f"/api/v1/recruiters/{AGENCY}", headers=headers)).json()
    assert body["total"] is None and "by_year" not in body
    assert set(body["by_destination"]) == {"QA"}
    assert body["by_destination"]["QA"]["reporters"] == 8
    listed = await portal.client.get("/api/v1/recruiters?destination=QA", headers=headers)
    assert listed.status == 200
    out = await portal.client.get("/api/v1/recruiters?destination=SA", headers=headers)
    assert out.status == 403


async def test_employers_see_no_breakdowns(portal: Portal) -> None:
    await portal.report(AGENCY, 8, destination="QA")
    await portal.report(AGENCY, 7, destination="SA", start=100)
    await portal.add("boss", Role.EMPLOYER, ["KE"])
    body = await (await portal.client.get(f"/api/v1/recruiters/{AGENCY}",
                                          headers=portal.api("boss"))).json()  # fmt: skip
    assert body["total"]["reporters"] == 15
    assert "by_destination" not in body and "by_year" not in body
    key = portal.keys["boss"]
    await portal.login(key)
    page = await (await portal.client.get(f"/portal/agencies/{AGENCY}")).text()
    assert "By destination" not in page and "export" not in page.lower()


async def test_the_agency_page_words_the_fee_band_in_the_origin_currency(portal: Portal) -> None:
    await portal.add("official", Role.OFFICIAL, ["KE"])
    await portal.report("KE-EX-KE-0001", 6)
    await portal.login(portal.keys["official"])
    page = await (await portal.client.get("/portal/agencies/KE-EX-KE-0001")).text()
    assert "KES 10,000 to KES 49,999" in page
    assert "Paid a fee to get the job" in page
    assert "100% of 6" in page


async def test_the_agency_count_is_worded_for_one_and_for_many(portal: Portal) -> None:
    import re

    await portal.add("official", Role.OFFICIAL, ["KE"])
    await portal.login(portal.keys["official"])
    for query, expected in (("&q=savannah", "1 agency"), ("", None)):
        page = await (await portal.client.get(f"/portal/agencies?origin=KE{query}")).text()
        [caption] = re.findall(r"<caption>(\d+ agenc\w+)", page)
        count = int(caption.split()[0])
        assert caption == (expected or f"{count} agencies")
        assert count == 1 or caption.endswith("agencies")
