"""An official reads promise against reality on an agency page in a real Chromium: nothing
below k people with a check-in, the share once k have answered."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from bot.web.app import SERVICES
from followups import CheckinAnswers
from tests.e2e.portal.conftest import LiveServer, log_in

pytestmark = pytest.mark.browser

SAVANNAH = "KE-EX-KE-0002"


def _check_ins(server: LiveServer, first: int, count: int, *, different: bool) -> None:
    store = server.app[SERVICES].followups
    assert store is not None
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    for n in range(first, first + count):
        answers = CheckinAnswers(f"synthetic-e2e-checkin-{n}", SAVANNAH, "30", when,
                                 {"job_now_as_promised": not different,
                                  "wage_paid_in_full": True}, reported=True, promised=True)
        server.run(store.save_answers(answers))


def test_promise_against_reality_appears_only_at_k_people(
    page: Page, live_server: LiveServer
) -> None:
    _check_ins(live_server, 0, 4, different=True)
    log_in(page, live_server, "official")
    page.goto(f"{live_server.url}/portal/agencies/{SAVANNAH}")
    section = page.locator("#promise")
    expect(section.get_by_role("heading", name="Promise against reality")).to_be_visible()
    expect(section).to_contain_text("Shown once at least 5 workers who rated this agency")
    expect(section).not_to_contain_text("%")

    _check_ins(live_server, 4, 1, different=False)
    page.reload()
    expect(section).to_contain_text(
        "80% of 5 workers who rated this agency and then answered a check-in after arrival "
        "found the job or the wage different from what they were promised.")
