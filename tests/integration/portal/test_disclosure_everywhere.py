"""Property: no page, export or API answer shows a group under k or lets one be subtracted out.

Random report sets over three Kenyan agencies (destinations, years and
answers varying); every endpoint is read as an official scoped to KE.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruiter_reports.reports import INDICATORS, Report
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import START, Portal, open_portal

K = 5
AGENCIES = ("KE-EX-KE-0001", "KE-EX-KE-0002", "KE-EX-KE-0003")
answer = st.sampled_from([True, False, None])
report_strategy = st.fixed_dictionaries({
    "agency": st.sampled_from(AGENCIES),
    "destination": st.sampled_from(["QA", "QA", "SA", "AE", None]),
    "year": st.sampled_from([2024, 2025]),
    "month": st.sampled_from([2, 6, 6, 11]),
    **{name: answer for name in INDICATORS},
    "recommend": st.sampled_from([1, 3, 5, None]),
})  # fmt: skip


def _figures(disclosed: dict[str, Any]) -> list[tuple[str, int | None, bool]]:
    """(measure, answered, shown) for each figure of a disclosed group."""
    out = [(name, f["answered"], f["share"] is not None)
           for name, f in disclosed["indicators"].items()]  # fmt: skip
    if disclosed["recommend"] is not None:
        r = disclosed["recommend"]
        out.append(("recommend", r["answered"], r["average"] is not None))
    return out


def _check_group(disclosed: dict[str, Any]) -> None:
    if not disclosed["shown"]:
        assert disclosed["reporters"] is None
        assert all(f["share"] is None for f in disclosed["indicators"].values())
        return
    assert disclosed["reporters"] >= K
    for _, answered, shown in _figures(disclosed):
        if shown:
            assert answered >= K


def _check_no_subtraction(total: dict[str, Any], cells: dict[str, dict[str, Any]]) -> None:
    """Total minus the shown cells is 0 or at least k, for reporters and every figure."""
    if not total["shown"]:
        assert not any(cell["shown"] for cell in cells.values())
        return
    rest = total["reporters"] - sum(c["reporters"] for c in cells.values() if c["shown"])
    assert rest == 0 or rest >= K
    for name, answered, shown in _figures(total):
        if not shown:
            continue
        parts = 0
        for cell in cells.values():
            if cell["shown"]:
                figure = dict((n, (a, s)) for n, a, s in _figures(cell))[name]
                parts += figure[0] if figure[1] else 0
        assert answered - parts == 0 or answered - parts >= K, name


async def _seed(portal: Portal, reports: list[dict[str, Any]]) -> None:
    for i, item in enumerate(reports):
        report = Report(
            recruiter_id=item["agency"], origin="KE", destination=item["destination"],
            recommend=item["recommend"],
            created_at=dt.datetime(item["year"], item["month"], 1, tzinfo=dt.UTC),
            **{name: item[name] for name in INDICATORS},
        )  # fmt: skip
        await portal.store.save_report(f"p{i}", report, reporter_since=START)


async def _check_everything(reports: list[dict[str, Any]]) -> None:
    async with open_portal() as portal:
        await _seed(portal, reports)
        await portal.add("official", Role.OFFICIAL, ["KE"])
        headers = portal.api("official")

        async def get(path: str) -> Any:
            response = await portal.client.get(path, headers=headers)
            assert response.status == 200, path
            return await response.json()

        listing = await get("/api/v1/recruiters?origin=KE")
        for row in listing["recruiters"]:
            _check_group(row)
        for row in (await get("/api/v1/recruiters?origin=KE&quarter=2025Q2"))["recruiters"]:
            _check_group(row)
        qatar = {r["id"]: r for r in (await get("/api/v1/recruiters?destination=QA"))["recruiters"]}
        shown_totals = 0
        shown_qatar = 0
        for agency in AGENCIES:
            detail = await get(f"/api/v1/recruiters/{agency}")
            _check_group(detail["total"])
            for cells in (detail["by_destination"], detail["by_year"], detail["by_quarter"]):
                for cell in cells.values():
                    _check_group(cell)
                _check_no_subtraction(detail["total"], cells)
            # Two periods that split time in two cannot be subtracted from the total either.
            halves = {
                "early": (await get(f"/api/v1/recruiters/{agency}?until=2024Q4"))["total"],
                "late": (await get(f"/api/v1/recruiters/{agency}?since=2025Q1"))["total"],
            }
            for half in halves.values():
                _check_group(half)
            _check_no_subtraction(detail["total"], halves)
            cell = detail["by_destination"].get("QA")
            assert qatar[agency]["shown"] == bool(cell and cell["shown"])
            if cell and cell["shown"]:
                assert qatar[agency]["reporters"] == cell["reporters"]
                shown_qatar += cell["reporters"]
            if detail["total"]["shown"]:
                shown_totals += detail["total"]["reporters"]
        for path, expected in (("/api/v1/overview?origin=KE", shown_totals),
                               ("/api/v1/overview?origin=KE&destination=QA", shown_qatar)):
            overview = await get(path)
            _check_group(overview)
            # The overview adds up exactly what agencies' pages show: nothing to subtract.
            assert (overview["reporters"] or 0) == (expected if expected >= K else 0)

        await portal.login(portal.keys["official"])
        export = await portal.client.get("/portal/export.csv?origin=KE")
        for row in csv.DictReader(io.StringIO(await export.text())):
            assert row["reporters"] == "" or int(row["reporters"]) >= K
        page = await (await portal.client.get("/portal/agencies?origin=KE")).text()
        for count in re.findall(r"<td>(\d+)</td>", page):
            assert int(count) >= K


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(report_strategy, max_size=40))
def test_no_endpoint_reveals_a_small_group(reports: list[dict[str, Any]]) -> None:
    asyncio.run(_check_everything(reports))
