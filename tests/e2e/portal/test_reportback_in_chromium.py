"""An admin sends a quarter's report-back, in a real headless Chromium, over seed-demo data.

The server is the real app over SQLite with CONTACT_KEY and a Telegram bot pointed at
the fake Bot API; three people agreed to check-ins (sealed addresses, as the chat keeps
them), one of whom then said /stop. The admin previews the round (exactly the message
each corridor and language gets, and only "fewer than 5 people"), nothing is sent before
the Approve button, the app's own delivery loop then sends each person their message
once, a second approval from a page left open sends nothing, the person taps the guide
button and reads the guide, and an official cannot open the page at all.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from playwright.sync_api import Browser, Page, expect

from bot.services import build_services
from bot.settings import load_settings
from bot.web.app import build_app
from bot.web.followups.wiring import CHECKINS
from bot.web.portal import PORTAL
from casework import Sealer
from casework.models import ReplyAddress
from followups import CONSENT_VERSION, Enrolment, Stage, address_context
from followups.port import FollowupStore
from recruiter_reports.demo import seed_demo
from recruiter_reports.quarters import Quarter
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stakeholders import Role, new_account
from tests.casework_data import CONTACT_KEY
from tests.e2e.portal.conftest import LiveServer, log_in
from tests.e2e.served import telegram_sends
from tests.fakes import TOKEN, FakeTelegramAPI, TelegramPerson
from tests.fakes.telegram_api import buttons

pytestmark = pytest.mark.browser

SECRET = "reportback-webhook-secret_0123456789abcdef"
NOW = dt.datetime.now(dt.UTC)
QUARTER = Quarter(NOW.year - (Quarter.of(NOW).number == 1), (Quarter.of(NOW).number - 2) % 4 + 1)
PEOPLE = {"p-amina": (5151, "en"), "p-baraka": (5252, "sw"), "p-stopped": (5353, "en")}


@dataclass
class Served:
    server: LiveServer
    telegram: FakeTelegramAPI
    followups: FollowupStore

    def deliver(self) -> int:
        """What the app's own delivery loop sends now (``serve`` runs it every 30 s)."""
        return self.server.run(self.server.app[CHECKINS].run_until_done())

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.telegram.calls_to("sendMessage") if m["chat_id"] == chat_id]


async def _start(tmp: Path) -> tuple[web.AppRunner, Served]:
    telegram = FakeTelegramAPI()
    await telegram.start()
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp / 'bot.sqlite3'}",
        PSEUDONYM_KEY="e2e-reportback-pseudonym-key-0123456789abcdef",
        CONTACT_KEY=CONTACT_KEY, MIN_REPORTERS=5, TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET, TELEGRAM_API_BASE_URL=telegram.base_url,
    )
    services = await build_services(settings)
    app = build_app(services)
    ctx = app[PORTAL]
    registries = load_registries(settings.CONTENT_DIR / "recruiters")
    await seed_demo(services.store, [r for registry in registries.values() for r in registry],
                    NOW, ctx.stakeholders)
    keys, ids = {}, {}
    for label, role, countries in (("Portal Admin", Role.ADMIN, []),
                                   ("Kenya Official", Role.OFFICIAL, ["KE"])):
        account, issued = new_account(label, role, countries, NOW, ctx.hasher)
        await ctx.stakeholders.add_account(account)
        keys[role.value], ids[role.value] = issued.key, account.id
    followups, sealer = services.followups, Sealer.from_setting(CONTACT_KEY)
    assert followups is not None
    for pseudonym, (chat, locale) in PEOPLE.items():
        sealed = sealer.seal(ReplyAddress("telegram", str(chat)).to_bytes(),
                             context=address_context(pseudonym))
        await followups.enrol(Enrolment(pseudonym, CONSENT_VERSION, NOW - dt.timedelta(days=50),
                                        sealed, Stage.ARRIVED, "2026-10", "KE-EX-KE-0001",
                                        locale, origin="KE", destination="QA"), [])
    await followups.stop("p-stopped")
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = LiveServer(f"http://127.0.0.1:{runner.addresses[0][1]}", keys, ids, app,
                        asyncio.get_running_loop())
    return runner, Served(server, telegram, followups)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    tmp = tmp_path_factory.mktemp("reportback-e2e")
    runner, found = asyncio.run_coroutine_threadsafe(_start(tmp), loop).result(timeout=90)
    try:
        yield found
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        asyncio.run_coroutine_threadsafe(found.telegram.close(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


async def _press(url: str, telegram: FakeTelegramAPI, chat: int, data: str) -> None:
    """A press as Telegram delivers it; the Bot API call its answer carries is made."""
    async with aiohttp.ClientSession() as session:
        await telegram_sends(session, url, telegram, TelegramPerson(chat).press(data), SECRET)


def test_an_admin_previews_approves_and_each_person_gets_it_once(
    page: Page, browser: Browser, served: Served,
) -> None:
    server = served.server
    log_in(page, server, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Report-back").click()
    expect(page.get_by_role("heading", name=f"Round {QUARTER}")).to_be_visible()
    expect(page.locator("#recipients")).to_contain_text("Fewer than 5 people would get a message.")
    english = page.locator('article.reportback[data-key="KE>QA|en"]')
    expect(english).to_contain_text("fewer than 5 people")
    expect(english.locator("blockquote")).to_contain_text(
        "What workers from Kenya in Qatar told us about")
    expect(english.locator("blockquote")).to_contain_text("% paid a fee to get their job.")
    expect(english.locator(".guide").first).to_have_text("📖 Recruitment fees")
    previewed = english.locator("blockquote").inner_text()
    swahili = page.locator('article.reportback[data-key="KE>QA|sw"] blockquote').inner_text()
    assert "Wafanyakazi kutoka Kenya nchini Qatar" in swahili

    # A second admin tab stays open on the same preview.
    other = browser.new_context(locale="en-GB").new_page()
    log_in(other, server, "admin")
    other.goto(f"{server.url}/portal/admin/reportback?quarter={QUARTER}")

    assert served.deliver() == 0 and served.telegram.calls_to("sendMessage") == [], \
        "nothing is sent before approval"
    page.get_by_role("button", name="Approve and send").click()
    expect(page.get_by_role("status")).to_contain_text("Approved: the messages are queued")
    expect(page.locator("#round-state")).to_contain_text("by Portal Admin")
    expect(page.get_by_role("button", name="Approve and send")).to_have_count(0)

    assert served.deliver() == 2
    [amina] = served.sent_to(5151)
    assert amina["text"] == previewed, "the person reads exactly what the admin saw"
    assert ("📖 Recruitment fees", "article:qa-recruitment-fees:0") in buttons(amina)
    [baraka] = served.sent_to(5252)
    assert baraka["text"] == swahili
    assert served.sent_to(5353) == [], "/stop: nothing"
    assert "5151" not in page.content()

    other.get_by_role("button", name="Approve and send").click()
    expect(other.get_by_role("alert")).to_contain_text("approved already")
    other.context.close()
    assert served.deliver() == 0
    assert len(served.sent_to(5151)) == 1 and len(served.sent_to(5252)) == 1, "sent once"

    server.run(_press(server.url, served.telegram, 5151, "article:qa-recruitment-fees:0"))
    assert any("employer pays" in m["text"].casefold() for m in served.sent_to(5151)[1:]), \
        "the guide button opens the guide"

    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("main")).to_contain_text(f"report-back {QUARTER}")
    expect(page.locator("main")).to_contain_text("approved")
    expect(page.locator("main")).to_contain_text("already")


def test_an_official_cannot_open_the_report_back(page: Page, served: Served) -> None:
    server = served.server
    log_in(page, server, "official")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Report-back")
    refused = page.goto(f"{server.url}/portal/admin/reportback")
    assert refused is not None and refused.status == 403
    posted = page.request.post(f"{server.url}/portal/admin/reportback",
                               form={"quarter": str(QUARTER), "digest": "x"})
    assert posted.status == 403


def test_a_quarter_that_is_not_offered_is_a_clear_400(page: Page, served: Served) -> None:
    log_in(page, served.server, "admin")
    answer = page.goto(f"{served.server.url}/portal/admin/reportback?quarter=1999Q1")
    assert answer is not None and answer.status == 400
    expect(page.locator("body")).to_contain_text("choose one of")

