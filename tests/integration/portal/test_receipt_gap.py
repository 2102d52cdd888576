"""The receipt gap and "no receipt" in the API (against its schema), the agency page and the
exports, under disclosure control."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from recruiter_reports import questionnaire
from recruiter_reports.reports import Report
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import START, Portal
from tests.integration.portal.test_openapi_schema import _document, _valid

KENYA = "KE-EX-KE-0002"
FEW = "KE-EX-KE-0003"
BANDS = ("none", "b1", "b2", "b3", "b4", "b5")


async def _receipts(portal: Portal, rid: str, shown: list[str | None], full: bool = False) -> None:
    """One report per receipt band in ``shown`` from workers who paid KES 50,000-99,999."""
    before = (await portal.store.summary(rid)).reporters
    for i, band in enumerate(shown, start=before):
        fields: dict[str, object] = {"fee_band": "b3", "receipt_full_amount": full,
                                     "receipt_band": band}  # fmt: skip
        derived = questionnaire.current().derive(fields, BANDS)
        report = Report(recruiter_id=rid, origin="KE", destination="QA", passport_kept=True,
                        created_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
                        **fields, **derived)  # type: ignore[arg-type]  # fmt: skip
        await portal.store.save_report(f"p-{rid}-{i}", report, reporter_since=START)


async def _seed(portal: Portal) -> None:
    # Of 10 who said what their receipt shows: 4 a lower band, 3 none, 3 the full amount.
    await _receipts(portal, KENYA, ["b1", "b1", "b2", "b2", "no-receipt", "no-receipt",
                                    "no-receipt", None, None])  # fmt: skip
    await _receipts(portal, KENYA, ["b3", "b3", "b3"], full=True)
    # Six reporters, but only three said what their receipt shows: too few to show.
    await _receipts(portal, FEW, ["b1", "no-receipt", "no-receipt", None, None, None])
    await portal.add("ministry", Role.OFFICIAL, ["KE"])


async def test_the_api_gives_both_shares_and_withholds_them_below_k(portal: Portal) -> None:
    await _seed(portal)
    document = await _document(portal)
    fields = document["components"]["schemas"]["Indicators"]["properties"]
    assert "no receipt at all" in fields["no_receipt"]["description"]
    assert "smaller amount than they paid" in fields["receipt_below_paid"]["description"]
    detail = await _valid(portal, document, f"/api/v1/recruiters/{KENYA}", "/recruiters/{id}",
                          portal.api("ministry"))  # fmt: skip
    figures = detail["total"]["indicators"]
    assert (figures["receipt_below_paid"]["share"], figures["receipt_below_paid"]["answered"]) \
        == (0.4, 10)  # fmt: skip
    assert (figures["no_receipt"]["share"], figures["no_receipt"]["answered"]) == (0.3, 10)
    few = await _valid(portal, document, f"/api/v1/recruiters/{FEW}", "/recruiters/{id}",
                       portal.api("ministry"))  # fmt: skip
    assert few["total"]["shown"]
    for name in ("receipt_below_paid", "no_receipt"):
        assert few["total"]["indicators"][name]["share"] is None
        assert few["total"]["indicators"][name]["answered"] is None
        assert few["total"]["indicators"][name]["withheld"] is not None


async def test_the_agency_page_shows_the_receipt_gap_and_no_receipt(portal: Portal) -> None:
    await _seed(portal)
    await portal.login(portal.keys["ministry"])
    page = await (await portal.client.get(f"/portal/agencies/{KENYA}")).text()
    assert '<th scope="row">Receipt showed less than they paid</th><td>40% of 10</td>' in page
    assert '<th scope="row">Got no receipt for the fee</th><td>30% of 10</td>' in page
    few = await (await portal.client.get(f"/portal/agencies/{FEW}")).text()
    assert ('<th scope="row">Got no receipt for the fee</th><td><span class="withheld">'
            "Not shown: too few workers answered</span></td>") in few  # fmt: skip
    assert "% of 3" not in few


async def test_the_exports_carry_both_shares(portal: Portal) -> None:
    await _seed(portal)
    await portal.login(portal.keys["ministry"])
    exported = await (await portal.client.get("/portal/export.csv?origin=KE")).text()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(exported)) if not row["quarter"]}
    assert (rows[KENYA]["receipt_below_paid_share"], rows[KENYA]["no_receipt_share"]) == (
        "0.4", "0.3")  # fmt: skip
    assert (rows[FEW]["receipt_below_paid_share"], rows[FEW]["no_receipt_share"]) == ("", "")
    body = json.loads(await (await portal.client.get("/portal/export.json?origin=KE")).text())
    agencies = {agency["id"]: agency for agency in body["agencies"]}
    assert agencies[KENYA]["indicators"]["no_receipt"]["share"] == 0.3
    assert agencies[KENYA]["indicators"]["receipt_below_paid"]["share"] == 0.4
    assert agencies[FEW]["indicators"]["no_receipt"]["share"] is None
