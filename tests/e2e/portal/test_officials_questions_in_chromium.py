"""Issue #15's walk, in Chromium over seed-demo data: the officials' questions answered.

An official finds the agencies above the legal fee cap that keep passports, sorted; finds a
named unlisted agency; reads an agency's trend by quarter, its broker chain and its reply;
and an employer's filtered request returns no cell its role may not see.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from recruiter_reports.demo import DEMO_BROKERS
from tests.e2e.portal.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

BUSY = "KE-EX-KE-0005"
"""The busiest example agency of Kenya in seed-demo: trend, broker chain and a reply."""


def _percent(text: str) -> int:
    return int(text.split("%")[0])


def test_an_official_walks_fees_passports_unlisted_trend_brokers_and_a_reply(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, "official")
    # Above the legal fee cap and keeping passports, highest share above the cap first.
    page.get_by_label("Sort by").select_option(label="Paid above the legal limit")
    page.get_by_label("Paid above the legal limit, at least (%)").fill("50")
    page.get_by_label("Passport kept, at least (%)").fill("30")
    page.get_by_role("button", name="Show").click()
    table = page.locator("table.agencies")
    above = [_percent(t) for t in table.locator("td.above-limit").all_text_contents()]
    assert len(above) >= 2 and above == sorted(above, reverse=True) and min(above) >= 50
    passport = table.locator("thead th").all_text_contents().index("Passport kept by someone")
    kept = [_percent(row.locator("td, th").nth(passport).text_content() or "")
            for row in table.locator("tbody tr").all()]  # fmt: skip
    assert kept and min(kept) >= 30

    # A named unlisted agency, found by the name workers typed.
    page.get_by_label("Sort by").select_option(label="Name")
    page.get_by_label("Paid above the legal limit, at least (%)").fill("")
    page.get_by_label("Passport kept, at least (%)").fill("")
    page.get_by_label("Search").fill("blue sky")
    page.get_by_role("button", name="Show").click()
    row = table.locator("tbody tr", has_text="Blue Sky Manpower (synthetic demo)")
    expect(row).to_be_visible()
    expect(row).to_contain_text("not in the official list")

    # One agency: the trend by quarter, the broker chain, the agency's own reply.
    page.goto(f"{live_server.url}/portal/agencies/{BUSY}")
    expect(page.locator("svg#trend title")).to_have_text("By quarter")
    expect(page.locator("table.trend-table tbody tr")).to_have_count(2)
    brokers = page.locator("section#brokers")
    expect(brokers).to_contain_text(DEMO_BROKERS[0])
    reply = page.locator("section#agency-reply")
    expect(reply.get_by_role("heading")).to_have_text("The agency's reply")
    expect(reply).to_contain_text("we have refunded every fee above the legal limit")
    expect(reply).to_contain_text("Written by the agency on")
    # The receipt gap and "no receipt", each a share of those who answered (k or more).
    figures = page.locator("table.figures").first
    for label in ("Receipt showed less than they paid", "Got no receipt for the fee"):
        expect(figures.locator("tr", has_text=label)).to_contain_text(re.compile(r"\d+% of \d+"))


def test_an_employers_filtered_request_returns_no_cell_it_may_not_see(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, "employer")
    expect(page.get_by_role("heading", name="Agencies")).to_be_visible()
    response = page.goto(f"{live_server.url}/portal/agencies?origin=KE&destination=QA")
    assert response is not None and response.status == 403
    expect(page.locator("body")).to_contain_text("does not include figures by destination")
    api = page.request.get(f"{live_server.url}/api/v1/recruiters?origin=KE&destination=QA",
                           headers={"Authorization": f"Bearer {live_server.keys['employer']}"})
    assert api.status == 403
    page.goto(f"{live_server.url}/portal/agencies/{BUSY}")
    expect(page.get_by_role("heading", name="By destination")).to_have_count(0)
    expect(page.locator("section#by-quarter")).to_have_count(0)
    expect(page.locator("section#agency-reply")).to_contain_text("refunded")
