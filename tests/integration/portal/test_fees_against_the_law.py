"""Fees in money and against the law, through the API, the exports and the agency list."""

from __future__ import annotations

import csv
import io

from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import Portal

KENYA = "KE-EX-KE-0002"
NEPAL = "NP-EX-NP-0001"
NEPAL_LEGAL = "NP-EX-NP-0002"


async def _seed(portal: Portal) -> None:
    await portal.report(KENYA, 6, destination="QA", fee_band="b2", passport_kept=True)
    # Nepal, destination not said: b1 ends at the NPR 10,000 cap (legal), b2 lies above it.
    await portal.report(NEPAL, 3, destination=None, fee_band="b1", passport_kept=False)
    await portal.report(NEPAL, 3, destination=None, fee_band="b2", start=10,
                        passport_kept=False)  # fmt: skip
    await portal.report(NEPAL_LEGAL, 6, destination=None, fee_band="b1", passport_kept=True)
    await portal.add("ministry", Role.OFFICIAL, ["KE", "NP"])


async def test_the_api_gives_amounts_rules_with_sources_and_the_share_above_the_limit(
    portal: Portal,
) -> None:
    await _seed(portal)
    response = await portal.client.get("/api/v1/recruiters?origin=KE",
                                       headers=portal.api("ministry"))  # fmt: skip
    assert response.status == 200
    rows = {row["id"]: row for row in (await response.json())["recruiters"]}
    kenya = rows[KENYA]
    assert kenya["typical_fee_band"] | {"paid_share": None} == {
        "band": "b2", "currency": "KES", "min": 10_000, "max": 49_999, "paid_share": None,
        "answered": 6, "withheld": None,
    }  # fmt: skip
    # Qatar forbids every fee: all six paid above the limit.
    assert kenya["fee_law"] == {
        "above_limit_share": 1.0,
        "straddles_limit_share": 0.0,
        "unknown_limit_share": 0.0,
        "answered": 6,
        "withheld": None,
    }
    rules = {rule["country"]: rule for rule in kenya["legal_rules"]}
    assert rules["QA"]["kind"] == "none" and rules["QA"]["source"]["url"].startswith("https://")
    assert rules["KE"]["kind"] == "unknown" and rules["KE"]["cap"] is None
    hidden = rows["KE-EX-KE-0001"]
    assert hidden["shown"] is False and hidden["fee_law"]["above_limit_share"] is None


async def test_nepal_counts_against_its_npr_10000_cap(portal: Portal) -> None:
    await _seed(portal)
    response = await portal.client.get(f"/api/v1/recruiters/{NEPAL}",
                                       headers=portal.api("ministry"))  # fmt: skip
    body = await response.json()
    assert body["total"]["fee_law"]["above_limit_share"] == 0.5
    nepal = next(rule for rule in body["legal_rules"] if rule["country"] == "NP")
    assert (nepal["kind"], nepal["cap"], nepal["currency"]) == ("cap", 10_000, "NPR")
    assert "NPR 10,000" in nepal["text"]


async def test_the_list_sorts_and_filters_by_share_above_the_limit_and_passports(
    portal: Portal,
) -> None:
    await _seed(portal)
    headers = portal.api("ministry")
    response = await portal.client.get("/api/v1/recruiters?origin=NP&sort=above_limit",
                                       headers=headers)  # fmt: skip
    ids = [row["id"] for row in (await response.json())["recruiters"]]
    assert ids[:2] == [NEPAL, NEPAL_LEGAL]
    response = await portal.client.get("/api/v1/recruiters?origin=NP&min_above_limit=50",
                                       headers=headers)  # fmt: skip
    assert [row["id"] for row in (await response.json())["recruiters"]] == [NEPAL]
    response = await portal.client.get("/api/v1/recruiters?origin=NP&min_passport_kept=80",
                                       headers=headers)  # fmt: skip
    assert [row["id"] for row in (await response.json())["recruiters"]] == [NEPAL_LEGAL]
    for bad in ("min_above_limit=150", "min_above_limit=x", "sort=fees"):
        response = await portal.client.get(f"/api/v1/recruiters?{bad}", headers=headers)
        assert response.status == 400, bad
        assert (await response.json())["status"] == 400


async def test_the_csv_export_carries_amounts_shares_and_rules(portal: Portal) -> None:
    await _seed(portal)
    await portal.login(portal.keys["ministry"])
    response = await portal.client.get("/portal/export.csv?origin=KE&sort=above_limit")
    assert response.status == 200
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    kenya = next(row for row in rows if row["id"] == KENYA)
    assert (kenya["typical_fee_currency"], kenya["typical_fee_min"], kenya["typical_fee_max"]) == (
        "KES", "10000", "49999")  # fmt: skip
    assert kenya["above_legal_limit_share"] == "1.0"
    assert "QA none (" in kenya["legal_rules"] and "accountabilityhub.org" in kenya["legal_rules"]
    assert rows[0]["id"] == KENYA  # sorted by the share above the limit, highest first


async def test_the_agency_page_shows_the_share_and_each_rule_with_its_source(
    portal: Portal,
) -> None:
    await _seed(portal)
    await portal.login(portal.keys["ministry"])
    page = await (await portal.client.get(f"/portal/agencies/{NEPAL}")).text()
    assert "50% of 6 who said what they paid paid more than the law allows." in page
    assert "at most NPR 10,000" in page and "english.nepalnews.com" in page
    listing = await (await portal.client.get("/portal/agencies?origin=NP")).text()
    assert "NPR 10,001 to NPR 49,999" in listing or "Up to NPR 10,000" in listing


async def test_the_sector_overview_gives_the_share_above_the_legal_limit(portal: Portal) -> None:
    """Nepal: of 12 who said, 3 paid in the band above NPR 10,000; the others within it."""
    await _seed(portal)
    headers = portal.api("ministry")
    body = await (await portal.client.get("/api/v1/overview?origin=NP", headers=headers)).json()
    assert body["reporters"] == 12
    assert body["fee_law"] == {
        "above_limit_share": 0.25,
        "straddles_limit_share": 0.0,
        "unknown_limit_share": 0.0,
        "answered": 12,
        "withheld": None,
    }
    kenya = await (await portal.client.get("/api/v1/overview?origin=KE&destination=QA",
                                           headers=headers)).json()  # fmt: skip
    assert kenya["fee_law"]["above_limit_share"] == 1.0  # Qatar forbids every fee
    await portal.login(portal.keys["ministry"])
    page = await (await portal.client.get("/portal/overview?origin=NP")).text()
    assert "25% of 12 who said what they paid paid more than the law allows." in page
