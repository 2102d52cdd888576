"""Caseworkers in a real headless Chromium: only their organisation's cases, urgent first, a reply.

The server is the real app over SQLite with CONTACT_KEY set; cases are opened
in the store as the chat opens them (sealed). Another organisation's
caseworker and an official see none of them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.sync_api import Page, expect

from bot.services import build_services
from bot.settings import load_settings
from bot.web.app import build_app
from bot.web.portal import PORTAL
from casework import Case
from recruiter_reports.stakeholders import Role, new_account
from tests.casework_data import CONTACT_KEY, open_case
from tests.e2e.portal.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

A, B = "kituo-cha-sheria", "pourakhi"
NOW = dt.datetime.now(dt.UTC)


async def _start(tmp: Path) -> tuple[web.AppRunner, LiveServer, dict[str, Case]]:
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp / 'bot.sqlite3'}",
        PSEUDONYM_KEY="e2e-cases-pseudonym-key-0123456789abcdef0123",
        CONTACT_KEY=CONTACT_KEY,
    )
    services = await build_services(settings)
    app = build_app(services)
    ctx = app[PORTAL]
    keys, ids = {}, {}
    for label, role, countries, partner in (("a", Role.CASEWORKER, [], A),
                                            ("b", Role.CASEWORKER, [], B),
                                            ("official", Role.OFFICIAL, ["KE"], None)):
        account, issued = new_account(f"Caseworker {label}", role, countries, NOW, ctx.hasher,
                                      partner=partner)
        await ctx.stakeholders.add_account(account)
        keys[label], ids[label] = issued.key, account.id
    assert services.cases is not None and services.sealer is not None
    cases = {
        "old": await open_case(services.cases, services.sealer, partner=A, channel="telegram",
                               address="1001", pseudonym="p-old", at=NOW - dt.timedelta(days=2),
                               text="The agency wants another 50,000 shillings."),
        "urgent": await open_case(services.cases, services.sealer, partner=A,
                                  channel="telegram", address="1002", pseudonym="p-urgent",
                                  at=NOW - dt.timedelta(hours=1), urgent=True,
                                  text="My employer locked me in the house."),
        "voice": await open_case(services.cases, services.sealer, partner=A, channel="telegram",
                                 address="1003", pseudonym="p-voice", at=NOW,
                                 voice=b"OggS\x00fake-opus-audio"),
        "theirs": await open_case(services.cases, services.sealer, partner=B,
                                  channel="telegram", address="1004", pseudonym="p-b",
                                  at=NOW - dt.timedelta(days=5), text="Pourakhi only."),
    }
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server = LiveServer(f"http://127.0.0.1:{port}", keys, ids, app, asyncio.get_running_loop())
    return runner, server, cases


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer,
                                                                       dict[str, Case]]]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    tmp = tmp_path_factory.mktemp("cases-e2e")
    runner, server, cases = asyncio.run_coroutine_threadsafe(_start(tmp), loop).result(60)
    try:
        yield server, cases
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


def test_a_caseworker_sees_urgent_first_reads_and_replies(
    page: Page, served: tuple[LiveServer, dict[str, Case]]
) -> None:
    server, cases = served
    log_in(page, server, "a")

    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    rows = page.locator("table.cases tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(cases["urgent"].id)
    expect(rows.nth(0)).to_contain_text("Urgent")
    expect(rows.nth(1)).to_contain_text(cases["old"].id)
    expect(page.locator("table.cases")).not_to_contain_text(cases["theirs"].id)

    page.get_by_role("link", name=cases["urgent"].id).click()
    expect(page.locator("article.message.worker")).to_contain_text("locked me in the house")
    page.get_by_label("Reply to the person").fill("We are calling the police hotline for you.")
    page.get_by_role("button", name="Send reply").click()

    expect(page.get_by_role("status")).to_contain_text("Reply saved")
    reply = page.locator("article.message.caseworker")
    expect(reply).to_contain_text("We are calling the police hotline for you.")
    expect(reply).to_contain_text("not delivered yet")
    expect(page.locator("span.state")).to_have_text("in_progress")

    page.get_by_label("Add a note").fill("Called back at 10:00, no answer.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("article.note")).to_contain_text("no answer")


def test_a_voice_message_plays_only_for_its_organisation(
    page: Page, served: tuple[LiveServer, dict[str, Case]]
) -> None:
    server, cases = served
    log_in(page, server, "a")
    page.goto(f"{server.url}/portal/cases/{cases['voice'].id}")
    source = page.locator("article.message.worker audio").get_attribute("src")
    assert source is not None

    mine = page.request.get(f"{server.url}{source}")
    assert mine.status == 200 and mine.headers["content-type"].startswith("audio/ogg")
    assert mine.body().startswith(b"OggS")

    page.context.clear_cookies()
    log_in(page, server, "b")
    theirs = page.request.get(f"{server.url}{source}")
    assert theirs.status == 404


def test_another_organisation_and_an_official_see_none(
    page: Page, served: tuple[LiveServer, dict[str, Case]]
) -> None:
    server, cases = served
    log_in(page, server, "b")
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    expect(page.locator("table.cases")).to_contain_text(cases["theirs"].id)
    answer = page.goto(f"{server.url}/portal/cases/{cases['urgent'].id}")
    assert answer is not None and answer.status == 404
    expect(page.locator("body")).not_to_contain_text("locked me")

    page.context.clear_cookies()
    log_in(page, server, "official")
    expect(page.get_by_role("navigation")).not_to_contain_text("Cases")
    refused = page.goto(f"{server.url}/portal/cases")
    assert refused is not None and refused.status == 403
    expect(page.locator("body")).not_to_contain_text(cases["urgent"].id)
