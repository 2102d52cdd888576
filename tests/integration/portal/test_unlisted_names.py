"""Unlisted agencies and brokers in the portal and the API: moderated, merged, linked, disclosed.

Every API answer here is validated against the OpenAPI schema the server publishes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from recruiter_reports.names import NameKind, broker_key
from recruiter_reports.registry import pending_recruiter_id
from recruiter_reports.reports import Report
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import START, Portal, csrf_of
from tests.integration.portal.test_openapi_schema import _document, _valid

BLUE = pending_recruiter_id("KE", "Blue Sky Manpower")
BLUESKY = pending_recruiter_id("KE", "bluesky manpower ltd")
SUNRISE = "KE-EX-KE-0001"


async def _unlisted(portal: Portal, name: str, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        report = Report(recruiter_id=pending_recruiter_id("KE", name), origin="KE",
                        agency_name=name, passport_kept=i % 2 == 0, fee_band="b2",
                        created_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))  # fmt: skip
        await portal.store.save_report(f"u-{i}", report, reporter_since=START)


async def _brokers(portal: Portal, names: dict[str, int]) -> None:
    n = 0
    for name, count in names.items():
        for _ in range(count):
            report = Report(recruiter_id=SUNRISE, origin="KE", broker=name,
                            created_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))  # fmt: skip
            await portal.store.save_report(f"b-{n}", report, reporter_since=START)
            n += 1


async def _decide(portal: Portal, **form: str) -> Any:
    page = await portal.client.get("/portal/admin/moderation")
    token = csrf_of(await page.text())
    return await portal.client.post("/portal/admin/names", data={"csrf_token": token, **form},
                                    allow_redirects=False)  # fmt: skip


async def test_an_approved_unlisted_name_is_searchable_with_a_disclosed_count(
    portal: Portal,
) -> None:
    await _unlisted(portal, "Blue Sky Manpower", 4)
    await _unlisted(portal, "bluesky manpower ltd", 2, start=10)
    await portal.add("ministry", Role.OFFICIAL, ["KE"])
    await portal.add("admin", Role.ADMIN, [])
    document = await _document(portal)
    headers = portal.api("ministry")
    found = await _valid(portal, document, "/api/v1/recruiters?q=blue%20sky", "/recruiters",
                         headers)  # fmt: skip
    assert found["recruiters"] == []  # no one approved the name yet
    listing = await _valid(portal, document, "/api/v1/recruiters?origin=KE", "/recruiters",
                           headers)  # fmt: skip
    typed = [row["name"] for row in listing["recruiters"] if row["not_in_official_list"]]
    assert typed == ["Unlisted agency, name awaiting review"] * 2  # never the typed text

    await portal.login(portal.keys["admin"])
    page = await (await portal.client.get("/portal/admin/moderation")).text()
    assert "Blue Sky Manpower" in page and "bluesky manpower ltd" in page
    response = await _decide(portal, kind="agency", key=BLUE, decision="approve",
                             text="Blue Sky Manpower")  # fmt: skip
    assert response.status == 303 and "done=name" in response.headers["Location"]
    found = await _valid(portal, document, "/api/v1/recruiters?q=blue%20sky", "/recruiters",
                         headers)  # fmt: skip
    (row,) = found["recruiters"]
    assert (row["id"], row["name"], row["not_in_official_list"]) == (
        BLUE, "Blue Sky Manpower", True)  # fmt: skip
    assert (row["shown"], row["reporters"]) == (False, None)  # 4 < k: no count at all

    # Merging the other spelling brings it to 6 workers: now the count is shown.
    response = await _decide(portal, kind="agency", key=BLUESKY, decision="merge", into=BLUE)
    assert response.status == 303
    detail = await _valid(portal, document, f"/api/v1/recruiters/{BLUE}", "/recruiters/{id}",
                          headers)  # fmt: skip
    assert detail["total"]["reporters"] == 6 and detail["not_in_official_list"]
    old = await _valid(portal, document, f"/api/v1/recruiters/{BLUESKY}", "/recruiters/{id}",
                       headers)  # fmt: skip
    assert old["id"] == BLUE  # the merged spelling is the agency it was merged into
    portal.client.session.cookie_jar.clear()  # the official signs in on their own browser
    await portal.login(portal.keys["ministry"])
    page = await (await portal.client.get(f"/portal/agencies/{BLUE}")).text()
    assert "Not in the official list" in page and "Named by 6 workers." in page
    audit = await portal.ctx.stakeholders.audit_entries(limit=50)
    assert any(f"merge into {BLUE} agency name {BLUESKY}" in e.target for e in audit)


async def test_linking_to_the_registry_moves_the_reports_and_bad_links_are_refused(
    portal: Portal,
) -> None:
    await _unlisted(portal, "Blue Sky Manpower", 3)
    await portal.report(SUNRISE, 3)
    await portal.add("admin", Role.ADMIN, [])
    await portal.login(portal.keys["admin"])
    bad = await _decide(portal, kind="agency", key=BLUE, decision="link", licence="EX-KE-9999")
    assert bad.status == 400 and "no agency with licence number" in await bad.text()
    assert (await portal.store.summary(BLUE)).reporters == 3  # nothing changed
    wrong = await _decide(portal, kind="agency", key=SUNRISE, decision="link", licence="x")
    assert wrong.status == 400
    response = await _decide(portal, kind="agency", key=BLUE, decision="link",
                             licence="ex-ke-0001")  # fmt: skip
    assert response.status == 303
    assert (await portal.store.summary(BLUE)).reporters == 0
    assert (await portal.store.summary(SUNRISE)).reporters == 6


async def test_the_broker_chain_shows_only_approved_brokers_with_k_reporters(
    portal: Portal,
) -> None:
    await _brokers(portal, {"Otieno Office": 6, "Zawadi Agent": 4, "Mr Kamau": 5})
    for name in ("Otieno Office", "Zawadi Agent"):
        assert await portal.store.moderate_name(NameKind.BROKER, broker_key(name), True)
    await portal.add("ministry", Role.OFFICIAL, ["KE"])
    document = await _document(portal)
    detail = await _valid(portal, document, f"/api/v1/recruiters/{SUNRISE}", "/recruiters/{id}",
                          portal.api("ministry"))  # fmt: skip
    # Zawadi: 4 < k; Kamau: not approved.
    assert detail["brokers"] == [{"name": "Otieno Office", "reporters": 6}]
    await portal.login(portal.keys["ministry"])
    page = await (await portal.client.get(f"/portal/agencies/{SUNRISE}")).text()
    assert "Otieno Office · 6 workers" in page
    assert "Zawadi" not in page and "Kamau" not in page
    exported = await (await portal.client.get("/portal/export.csv?origin=KE")).text()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(exported)) if not row["quarter"]}
    assert rows[SUNRISE]["broker_chain"] == "Otieno Office (6)"
    assert rows[SUNRISE]["not_in_official_list"] == "no"
    assert "receipt_below_paid_share" in rows[SUNRISE]


async def test_an_employer_scoped_by_destination_gets_no_broker_chain(portal: Portal) -> None:
    await _brokers(portal, {"Otieno Office": 6})
    assert await portal.store.moderate_name(NameKind.BROKER, broker_key("Otieno Office"), True)
    await portal.add("employer", Role.EMPLOYER, ["QA"])
    response = await portal.client.get(f"/api/v1/recruiters/{SUNRISE}",
                                       headers=portal.api("employer"))  # fmt: skip
    body = await response.json()
    assert response.status == 200 and body["brokers"] == []


async def test_only_a_moderator_decides_about_names(portal: Portal) -> None:
    await _unlisted(portal, "Blue Sky Manpower", 1)
    await portal.add("ministry", Role.OFFICIAL, ["KE"])
    await portal.login(portal.keys["ministry"])
    page = await portal.client.get("/portal/agencies")
    token = csrf_of(await page.text())
    response = await portal.client.post("/portal/admin/names", data={
        "csrf_token": token, "kind": "agency", "key": BLUE, "decision": "approve"})  # fmt: skip
    assert response.status == 403
    record = await portal.store.name_record(NameKind.AGENCY, BLUE)
    assert record is not None and record.status.value == "pending"
