"""A real headless Chromium through the portal, as a Kenyan official, an employer and an admin."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from playwright.sync_api import Page, expect

from bot.web.portal import PORTAL
from recruiter_reports.audit import AuditAction
from recruiter_reports.quarters import Quarter
from recruiter_reports.stakeholders import Role, new_account
from tests.e2e.portal.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser


def test_official_finds_an_agency_sees_the_chart_exports_and_logs_out(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, "official")
    expect(page.get_by_role("heading", name="Agencies")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("synthetic reports")
    table = page.locator("table.agencies")
    expect(table).to_contain_text("Example Mombasa Coast Recruiters")
    expect(table).not_to_contain_text("Himalayan")  # Nepal is outside a KE scope

    page.get_by_label("Search").fill("Mombasa")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Example Mombasa Coast Recruiters").click()
    expect(page.get_by_role("heading", name="Example Mombasa Coast Recruiters")).to_be_visible()
    chart = page.locator("svg#indicators")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_text("What workers reported")
    assert "Passport kept by someone" in (chart.locator("desc").text_content() or "")
    expect(page.get_by_role("heading", name="By destination")).to_be_visible()

    page.goto(f"{live_server.url}/portal/agencies?origin=KE")
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert {row["origin"] for row in rows} == {"KE"}
    assert all(row["reporters"] == "" or int(row["reporters"]) >= 5 for row in rows)
    assert any(row["reporters"] == "" for row in rows)  # small agencies stay hidden

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto(f"{live_server.url}/portal/agencies")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    entries = live_server.run(live_server.app[PORTAL].stakeholders.audit_entries(limit=500))
    mine = [(e.action, e.target) for e in entries if e.account_id == live_server.ids["official"]]
    actions = {action for action, _ in mine}
    assert {AuditAction.LOGIN, AuditAction.PAGE_VIEW, AuditAction.EXPORT,
            AuditAction.LOGOUT} <= actions  # fmt: skip
    assert (AuditAction.EXPORT, "/portal/export.csv?origin=KE") in mine


def test_employer_is_refused_export(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "employer")
    expect(page.get_by_role("heading", name="Agencies")).to_be_visible()
    expect(page.locator("#export-csv")).to_have_count(0)
    response = page.goto(f"{live_server.url}/portal/export.csv?origin=KE")
    assert response is not None and response.status == 403
    # A page of the portal that says why, with the menu to go on from, not bare text.
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("export")
    page.get_by_role("link", name="Agencies").first.click()
    expect(page.get_by_role("heading", name="Agencies")).to_be_visible()


def test_admin_sees_the_audit_log(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "admin")
    expect(page.get_by_role("heading", name="Moderation")).to_be_visible()
    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("table.audit")).to_contain_text("login")


def test_bad_key_is_refused_in_the_browser(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/portal/login")
    page.get_by_label("Access key").fill("rr_000000000000_" + "A" * 43)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid")


def test_official_finds_illegal_fees_by_quarter_and_sees_the_trend(
    page: Page, live_server: LiveServer
) -> None:
    now = Quarter.of(dt.datetime.now(dt.UTC))
    before = Quarter(now.year - (now.number == 1), (now.number - 2) % 4 + 1)
    log_in(page, live_server, "official")
    page.get_by_label("Sort by").select_option(label="Paid above the legal limit")
    page.get_by_label("From quarter").fill(str(before))
    page.get_by_label("To quarter").fill(str(now))
    page.get_by_role("button", name="Show").click()
    table = page.locator("table.agencies")
    expect(table.locator("caption")).to_contain_text(f"reports made from {before} to {now}")
    expect(table).to_contain_text("KES")  # amounts in the origin's currency, never "b2"
    shares = [
        int(text.split("%")[0])
        for text in table.locator("td.above-limit").all_text_contents()
        if "%" in text
    ]
    assert shares and shares == sorted(shares, reverse=True)  # highest share first

    page.get_by_label("Paid above the legal limit, at least (%)").fill("50")
    page.get_by_role("button", name="Show").click()
    remaining = table.locator("td.above-limit").all_text_contents()
    assert remaining and all(int(text.split("%")[0]) >= 50 for text in remaining)

    page.goto(f"{live_server.url}/portal/agencies/KE-EX-KE-0005")
    trend = page.locator("svg#trend")
    expect(trend).to_be_visible()
    expect(trend.locator("title")).to_have_text("By quarter")
    assert f"{before}: Passport kept" in (trend.locator("desc").text_content() or "")
    rows = page.locator("table.trend-table tbody tr")
    expect(rows).to_have_count(2)
    for row in rows.all():
        expect(row).to_contain_text("%")  # both quarters shown, neither withheld
    fees = page.locator("section#fees")
    expect(fees).to_contain_text("paid more than the law allows")
    source = fees.get_by_role("link", name=re.compile("Accountability Hub"))  # Qatar's rule
    expect(source).to_have_attribute("href", re.compile(r"^https://accountabilityhub\.org/"))

    page.goto(f"{live_server.url}/portal/agencies/KE-EX-KE-0005?quarter={now}")
    expect(page.locator("p.period")).to_contain_text(f"Reports made from {now} to {now}.")
    response = page.goto(f"{live_server.url}/portal/agencies?since=2026-08-15")
    assert response is not None and response.status == 400
    expect(page.locator("body")).to_contain_text("2026-07-01 or 2026Q3")


def test_a_nepal_official_reads_fees_in_rupees_against_the_cap(
    page: Page, live_server: LiveServer
) -> None:
    ctx = live_server.app[PORTAL]
    account, issued = new_account("Nepal Official", Role.OFFICIAL, ["NP"],
                                  dt.datetime.now(dt.UTC), ctx.hasher)  # fmt: skip
    live_server.run(ctx.stakeholders.add_account(account))
    page.goto(f"{live_server.url}/portal/login")
    page.get_by_label("Access key").fill(issued.key)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/portal/agencies?origin=NP&sort=above_limit")
    expect(page.locator("table.agencies")).to_contain_text("NPR")
    page.goto(f"{live_server.url}/portal/agencies/NP-EX-NP-0006")
    expect(page.locator("section#fees")).to_contain_text("NPR 10,000")
    expect(page.locator("svg#trend")).to_be_visible()
