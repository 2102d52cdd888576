"""A moderator approves, merges and links typed agency names; an official then finds them.

Over the seed-demo data (a made-up unlisted agency typed in two spellings, made-up brokers)
plus two more made-up unlisted agencies written here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from bot.web.portal import PORTAL
from recruiter_reports.registry import pending_recruiter_id
from recruiter_reports.reports import Report
from tests.e2e.portal.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

BLUE = "Blue Sky Manpower (synthetic demo)"
BLUESKY = "bluesky manpower ltd (synthetic demo)"
FAIRWAY = "Fair Way Placment (synthetic e2e)"
SUNRISE_TYPO = "Sunrise Recruitment Agncy (synthetic e2e)"


def _typed(server: LiveServer, name: str, count: int) -> None:
    store = server.app[PORTAL].store
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    for n in range(count):
        report = Report(recruiter_id=pending_recruiter_id("KE", name), origin="KE",
                        agency_name=name, passport_kept=True, created_at=when)  # fmt: skip
        server.run(store.save_report(f"synthetic-demo-e2e-{name}-{n}", report,
                                     reporter_since=when))  # fmt: skip


def test_a_moderator_approves_merges_and_links_and_an_official_finds_blue_sky(
    page: Page, live_server: LiveServer
) -> None:
    _typed(live_server, FAIRWAY, 5)
    _typed(live_server, SUNRISE_TYPO, 2)
    log_in(page, live_server, "admin")
    expect(page.get_by_role("heading", name="Moderation")).to_be_visible()

    waiting = page.locator("#agency-names article", has_text=FAIRWAY)
    expect(waiting).to_be_visible()
    waiting.get_by_label("Name shown").fill("Fair Way Placement (synthetic e2e)")
    waiting.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text("Done.")
    expect(page.locator("#agency-names")).not_to_contain_text(FAIRWAY)

    spelling = page.locator(f'#unlisted article[data-key="{pending_recruiter_id("KE", BLUESKY)}"]')
    spelling.get_by_label("Same agency as").select_option(label=BLUE)
    spelling.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("status")).to_have_text("Done.")
    expect(spelling).to_have_count(0)  # merged: no longer an agency of its own

    typo = page.locator(f'#unlisted article[data-key="{pending_recruiter_id("KE", SUNRISE_TYPO)}"]')
    typo.get_by_label("Licence number in the official list").fill("EX-KE-0001")
    typo.get_by_role("button", name="Link").click()
    expect(page.get_by_role("status")).to_have_text("Done.")
    expect(typo).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, "official")
    page.get_by_label("Search").fill("blue sky")
    page.get_by_role("button", name="Show").click()
    row = page.locator("table.agencies tbody tr", has_text=BLUE)
    expect(row).to_contain_text("not in the official list")
    expect(page.locator("table.agencies")).not_to_contain_text("bluesky manpower ltd")
    row.get_by_role("link", name=BLUE).click()
    expect(page.get_by_role("heading", name=BLUE)).to_be_visible()
    expect(page.locator("dd.unlisted")).to_contain_text("Named by 9 workers.")  # 7 + 2 merged

    page.goto(f"{live_server.url}/portal/agencies?q=fair+way")
    expect(page.locator("table.agencies")).to_contain_text("Fair Way Placement (synthetic e2e)")
    expect(page.locator("table.agencies")).to_contain_text("not in the official list")

    page.goto(f"{live_server.url}/portal/agencies/KE-EX-KE-0006")
    chain = page.locator("#brokers")
    expect(chain.get_by_role("heading", name="Broker chain")).to_be_visible()
    expect(chain).to_contain_text("Demo Broker Alpha Office (synthetic)")
    expect(chain).not_to_contain_text("Beta")  # named by fewer than 5 workers here
