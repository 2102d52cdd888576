"""Quarters and periods on every list, page, export and the API; bad values are 400."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import Portal

AGENCY = "KE-EX-KE-0002"
Q1 = dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
Q2 = dt.datetime(2026, 5, 10, tzinfo=dt.UTC)


async def _seed(portal: Portal) -> None:
    # 2026Q1: six reports, none with the passport kept; 2026Q2: six, all with it kept.
    await portal.report(AGENCY, 6, destination="QA", created_at=Q1, passport_kept=False)
    await portal.report(AGENCY, 6, destination="QA", start=100, created_at=Q2,
                        passport_kept=True)  # fmt: skip
    await portal.add("ministry", Role.OFFICIAL, ["KE"])


async def _json(portal: Portal, path: str) -> tuple[int, Any]:
    response = await portal.client.get(path, headers=portal.api("ministry"))
    return response.status, await response.json()


async def test_a_quarter_counts_only_its_reports_everywhere(portal: Portal) -> None:
    await _seed(portal)
    status, body = await _json(portal, f"/api/v1/recruiters/{AGENCY}?quarter=2026Q2")
    assert status == 200
    assert body["total"]["reporters"] == 6 and (body["since"], body["until"]) == ("2026Q2",) * 2
    assert body["total"]["indicators"]["passport_kept"]["share"] == 1.0
    assert set(body["by_quarter"]) == {"2026Q2"}
    status, whole = await _json(portal, f"/api/v1/recruiters/{AGENCY}")
    assert whole["total"]["reporters"] == 12
    trend = {q: c["indicators"]["passport_kept"]["share"] for q, c in whole["by_quarter"].items()}
    assert trend == {"2026Q1": 0.0, "2026Q2": 1.0}
    path = "/api/v1/recruiters?origin=KE&since=2026-01-01&until=2026Q1"
    status, listing = await _json(portal, path)
    row = next(r for r in listing["recruiters"] if r["id"] == AGENCY)
    assert row["reporters"] == 6 and row["indicators"]["passport_kept"]["share"] == 0.0
    assert listing["filters"]["since"] == "2026Q1" and listing["filters"]["until"] == "2026Q1"
    status, overview = await _json(portal, "/api/v1/overview?origin=KE&quarter=2026Q2")
    assert overview["reporters"] == 6 and overview["since"] == "2026Q2"
    await portal.login(portal.keys["ministry"])
    export = await portal.client.get("/portal/export.csv?origin=KE&quarter=2026Q1")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(await export.text()))
            if not r["quarter"]}  # the whole period's rows, not the quarters'  # fmt: skip
    assert rows[AGENCY]["reporters"] == "6" and rows[AGENCY]["passport_kept_share"] == "0.0"


@pytest.mark.parametrize("query", [
    "since=2026-02-01", "until=2026-03-30", "quarter=2026Q5", "quarter=last", "since=yesterday",
    "since=2026Q3&until=2026Q1", "quarter=2026Q1&since=2026Q1", "since=2026-02-30",
])  # fmt: skip
async def test_a_bad_period_is_400_with_the_accepted_forms(portal: Portal, query: str) -> None:
    await _seed(portal)
    document = await (await portal.client.get("/api/v1/openapi.json")).json()
    for path, template in ((f"/api/v1/recruiters?{query}", "/recruiters"),
                           (f"/api/v1/recruiters/{AGENCY}?{query}", "/recruiters/{id}"),
                           (f"/api/v1/overview?origin=KE&{query}", "/overview")):  # fmt: skip
        status, body = await _json(portal, path)
        assert status == 400, path
        schema = document["paths"][template]["get"]["responses"]["400"]["content"][
            "application/json"]["schema"]  # fmt: skip
        Draft202012Validator({**schema, "components": document["components"]}).validate(body)
        assert "2026Q3" in body["error"] or "after" in body["error"] or "not both" in body["error"]
    await portal.login(portal.keys["ministry"])
    for path in (f"/portal/agencies?{query}", f"/portal/agencies/{AGENCY}?{query}",
                 f"/portal/overview?{query}", f"/portal/export.csv?{query}"):
        response = await portal.client.get(path)
        assert response.status == 400, path
        assert "2026Q" in await response.text()


async def test_exports_carry_a_row_per_agency_and_quarter_and_are_audited(
    portal: Portal,
) -> None:
    await _seed(portal)
    assert (await _json(portal, f"/api/v1/recruiters/{AGENCY}"))[0] == 200  # publishes both
    await portal.report(AGENCY, 3, destination="QA", start=200, created_at=Q2,
                        passport_kept=False)  # fmt: skip
    await portal.login(portal.keys["ministry"])
    exported = await (await portal.client.get("/portal/export.csv?origin=KE")).text()
    rows = [r for r in csv.DictReader(io.StringIO(exported)) if r["id"] == AGENCY]
    # The whole row first, then one row per quarter: Q2's three later reports are in the
    # cell's unpublished tail (fewer than k since it was published), so counted nowhere.
    seen = [(r["quarter"], r["since"], r["until"], r["reporters"], r["passport_kept_share"])
            for r in rows]  # fmt: skip
    assert seen == [("", "", "", "12", "0.5"), ("2026Q1", "2026Q1", "2026Q1", "6", "0.0"),
                    ("2026Q2", "2026Q2", "2026Q2", "6", "1.0")]  # fmt: skip
    assert all(r["typical_fee_band"] == "b2" for r in rows)
    body = await (await portal.client.get("/portal/export.json?origin=KE&since=2026Q2")).json(
        content_type=None
    )
    (agency,) = [a for a in body["agencies"] if a["id"] == AGENCY]
    assert agency["reporters"] == 6 and set(agency["by_quarter"]) == {"2026Q2"}
    quarter = agency["by_quarter"]["2026Q2"]
    assert quarter["reporters"] == 6 and quarter["indicators"]["passport_kept"]["share"] == 1.0
    assert quarter["fee_law"]["above_limit_share"] == agency["fee_law"]["above_limit_share"]
    audited = [e.target for e in await portal.ctx.stakeholders.audit_entries()
               if e.action.value == "export"]  # fmt: skip
    assert sorted(audited) == ["/portal/export.csv?origin=KE",
                               "/portal/export.json?origin=KE&since=2026Q2"]
