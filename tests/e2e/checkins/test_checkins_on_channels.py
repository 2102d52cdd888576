"""A person agrees to check-ins on Telegram and on WhatsApp through the real webhooks, and a
fake clock brings the 30-day and the 90-day check-in through the real channels to the fake
Bot API and Graph API: sent once each, answered with buttons, stored. On WhatsApp, outside
the 24-hour window the approved template goes first and the check-in follows when the person
writes; a refused template is held for the operator; a blocked number stops everything."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.web import SERVICES, make_app
from bot.web.app import PUSHERS
from bot.web.followups.delivery import CheckinDelivery, CheckinWording
from followups import JobStatus
from tests.casework_data import CONTACT_KEY
from tests.e2e.checkins.people import APP_SECRET, SECRET, WA_ID, People
from tests.e2e.served import (
    eventually,
    served,
    served_settings,
)
from tests.fakes import FakeTelegramAPI
from tests.fakes.clock import FakeClock
from tests.fakes.graph_api import FakeGraphAPI, shown_text, text
from tests.fakes.telegram_updates import TelegramPerson

TEMPLATE = "checkin_v1"


@dataclass
class Live(People):
    def delivery(self, owner: str = "test-worker") -> CheckinDelivery:
        """A second delivery loop beside the app's own, driven by the fake clock."""
        assert self.services.followups is not None and self.services.sealer is not None
        return CheckinDelivery(self.services.followups, self.services.sealer, self.app[PUSHERS],
                               CheckinWording(self.services.catalogs, lambda rid: "Sunrise"),
                               owner=owner, clock=self.clock)



@pytest.fixture
def template() -> str | None:
    return TEMPLATE


@pytest.fixture
async def live(tmp_path: Path, template: str | None) -> AsyncIterator[Live]:
    async with FakeTelegramAPI() as telegram, FakeGraphAPI() as graph:
        graph.approve(TEMPLATE, "en_US", params=0)
        settings = served_settings(
            tmp_path, "followups", telegram=telegram, telegram_secret=SECRET, graph=graph,
            app_secret=APP_SECRET, CONTACT_KEY=CONTACT_KEY,
            WHATSAPP_TEMPLATE_CHECKIN=template,
            WHATSAPP_TEMPLATE_LANGUAGES="en=en_US",
        )
        app = await make_app(settings)
        clock = FakeClock(dt.datetime.now(dt.UTC))
        async with served(app) as (url, session):
            yield Live(app, url, session, telegram, graph, clock)


def _due(live: Live, days: int) -> None:
    live.clock.now = dt.datetime.now(dt.UTC) + dt.timedelta(days=days + 1)


async def test_telegram_opt_in_then_the_30_and_90_day_check_ins(live: Live) -> None:
    person = TelegramPerson(4242)
    await live.rated("telegram", "4242")
    await live.telegram_sends(person.message("/start"))
    await live.telegram_sends(person.press(live.telegram.button("English")))
    await live.telegram_sends(person.press(live.telegram.button("Check-ins later")))
    assert "about 30 days and 90 days after you arrive" in live.telegram.sent_texts()[-1]
    await live.telegram_sends(person.press(live.telegram.button("Not yet")))
    first_month = live.telegram.last_keyboard()[0][1]
    await live.telegram_sends(person.press(first_month))
    await live.telegram_sends(person.press(live.telegram.button("Yes, I agree")))
    assert "Type /stop at any time" in live.telegram.sent_texts()[-1]
    pseudonym = live.pseudonym("telegram", "4242")
    assert live.services.followups is not None
    jobs = await live.services.followups.jobs_of(pseudonym)
    assert [j.ref for j in jobs] == ["30", "90"]
    assert "4242" not in (live.app[SERVICES].settings.STORE_URL or "")

    delivery = live.delivery()
    live.clock.now = jobs[0].due_at + dt.timedelta(minutes=1)
    before = len(live.telegram.sent_texts())
    assert await delivery.run_once() == 1
    assert await delivery.run_once() == 0, "sent once"
    pushed = live.telegram.sent_texts()[before:]
    assert len(pushed) == 1 and "30 days after arriving" in pushed[0]
    await live.telegram_sends(person.press(live.telegram.button("Start")))
    for answer in ("Yes", "Yes", "Yes", "Yes"):
        await live.telegram_sends(person.press(live.telegram.button(answer)))
    await live.telegram_sends(person.press(live.telegram.button("⭐⭐⭐⭐ 4")))
    assert "keeps its promises" in live.telegram.sent_texts()[-1]

    live.clock.now = jobs[1].due_at + dt.timedelta(minutes=1)
    assert await delivery.run_once() == 1
    assert "90 days after arriving" in live.telegram.sent_texts()[-1]
    await live.telegram_sends(person.press(live.telegram.button("Start")))
    await live.telegram_sends(person.press(live.telegram.button("No")))  # job not as promised
    for answer in ("Yes", "Yes", "Yes"):
        await live.telegram_sends(person.press(live.telegram.button(answer)))
    await live.telegram_sends(person.press(live.telegram.button("⭐⭐ 2")))
    answers = await live.services.followups.answers_of(pseudonym)
    assert [(a.round, a.answers["job_now_as_promised"]) for a in answers] == [
        ("30", True), ("90", False)]
    assert all(a.reported and a.promised is True for a in answers)
    assert await live.services.followups.jobs_of(pseudonym) == []


async def whatsapp_opt_in(live: Live) -> str:
    await live.rated("whatsapp", WA_ID)
    await live.whatsapp_sends(text(WA_ID, "hi"))
    await live.whatsapp_taps("English")
    await live.agree_on_whatsapp()
    return live.pseudonym("whatsapp", WA_ID)


async def test_whatsapp_outside_the_window_sends_the_template_then_the_check_in(
    live: Live,
) -> None:
    pseudonym = await whatsapp_opt_in(live)
    assert live.services.followups is not None
    jobs = await live.services.followups.jobs_of(pseudonym)
    live.graph.close_window(WA_ID)
    delivery = live.delivery()
    live.clock.now = jobs[0].due_at + dt.timedelta(minutes=1)
    before = len(live.graph.sent)
    assert await delivery.run_once() == 1
    [announced] = live.graph.sent[before:]
    assert announced["type"] == "template" and announced["template"]["name"] == TEMPLATE
    assert announced["template"]["language"]["code"] == "en_US"
    waiting = {j.ref: j for j in await live.services.followups.jobs_of(pseudonym)}["30"]
    assert waiting.status is JobStatus.WAITING

    live.graph.closed_windows.discard(WA_ID)  # the person writes: the window opens
    await live.whatsapp_sends(text(WA_ID, "hello"))

    def check_in_shown() -> bool:
        return any("30 days after arriving" in shown_text(body) for body in live.graph.sent)

    await eventually(check_in_shown)  # the app's own loop sends it once woken
    await delivery.run_once()
    assert sum("30 days after arriving" in shown_text(b) for b in live.graph.sent) == 1
    await live.whatsapp_taps("Start")
    for _ in range(4):
        await live.whatsapp_taps("Yes")
    await live.whatsapp_taps("5")
    [answers] = await live.services.followups.answers_of(pseudonym)
    assert answers.round == "30" and answers.answers["recommend_now"] == 5

    live.clock.now = jobs[1].due_at + dt.timedelta(minutes=1)
    before = len(live.graph.sent)
    assert await delivery.run_once() == 1
    assert "90 days after arriving" in shown_text(live.graph.sent[before])


@pytest.mark.parametrize("template", [None])
async def test_without_the_template_the_check_in_is_held_for_the_operator(live: Live) -> None:
    pseudonym = await whatsapp_opt_in(live)
    assert live.services.followups is not None
    live.graph.close_window(WA_ID)
    live.graph.templates.clear()
    delivery = live.delivery()
    _due(live, 30)
    await delivery.run_once()
    stuck = {j.ref: j for j in await live.services.followups.jobs_of(pseudonym)}["30"]
    assert stuck.status is JobStatus.STUCK and stuck.attempts == 1
    assert "WHATSAPP_TEMPLATE_CHECKIN" in stuck.detail


async def test_a_template_refused_by_meta_is_retried_later(live: Live) -> None:
    pseudonym = await whatsapp_opt_in(live)
    assert live.services.followups is not None
    live.graph.close_window(WA_ID)
    live.graph.templates.clear()  # configured here, but not approved at Meta
    delivery = live.delivery()
    _due(live, 30)
    await delivery.run_once()
    stuck = {j.ref: j for j in await live.services.followups.jobs_of(pseudonym)}["30"]
    assert stuck.status is JobStatus.STUCK and "132001" in stuck.detail
    assert stuck.due_at > live.clock.now


async def test_a_person_who_blocked_the_number_is_not_tried_again(live: Live) -> None:
    pseudonym = await whatsapp_opt_in(live)
    assert live.services.followups is not None
    live.graph.block(WA_ID)
    delivery = live.delivery()
    _due(live, 30)
    assert await delivery.run_once() == 1
    assert await live.services.followups.enrolment(pseudonym) is None, "the address is dropped"
    assert await live.services.followups.jobs_of(pseudonym) == []
    _due(live, 90)
    assert await delivery.run_once() == 0
