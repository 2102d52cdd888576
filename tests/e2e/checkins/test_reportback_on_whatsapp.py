"""The report-back on WhatsApp against the fake Graph API: outside the 24-hour window the
approved ``WHATSAPP_TEMPLATE_REPORT_BACK`` template goes first and the approved words follow
when the person writes, once; without that template the job is held for the operator and
says which setting is missing; a number that blocked the bot stops everything."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.web import SERVICES, make_app
from bot.web.followups.reportback_round import ROUNDS, Approval
from bot.web.followups.wiring import CHECKINS
from casework import Sealer
from casework.models import ReplyAddress
from followups import CONSENT_VERSION, Enrolment, JobKind, JobStatus, Stage, address_context
from followups.reportback import message_key
from recruiter_reports.demo import seed_demo
from recruiter_reports.registry_csv import load_registries
from tests.casework_data import CONTACT_KEY
from tests.e2e.served import ServedApp, eventually, served, served_settings, whatsapp_sends
from tests.fakes.graph_api import FakeGraphAPI, shown_choices, shown_text, text

APP_SECRET = "reportback-app-secret-0123456789"
WA_ID = "254798765432"
TEMPLATE = "reportback_v1"


@dataclass
class Live(ServedApp):
    graph: FakeGraphAPI

    @property
    def person(self) -> str:
        return self.pseudonym("whatsapp", WA_ID)

    async def whatsapp_sends(self, body: str) -> None:
        await whatsapp_sends(self.session, self.url, self.app, text(WA_ID, body), APP_SECRET)


@pytest.fixture
def template() -> str | None:
    return TEMPLATE


@pytest.fixture
async def live(tmp_path: Path, template: str | None) -> AsyncIterator[Live]:
    async with FakeGraphAPI() as graph:
        graph.approve(TEMPLATE, "sw", params=0)
        settings = served_settings(
            tmp_path, "reportback", graph=graph, app_secret=APP_SECRET, CONTACT_KEY=CONTACT_KEY,
            WHATSAPP_TEMPLATE_REPORT_BACK=template,
            WHATSAPP_TEMPLATE_LANGUAGES="en=en_US, sw=sw",
        )
        app = await make_app(settings)
        services = app[SERVICES]
        registries = load_registries(settings.CONTENT_DIR / "recruiters")
        now = dt.datetime.now(dt.UTC)
        await seed_demo(services.store, [r for reg in registries.values() for r in reg], now)
        async with served(app) as (url, session):
            found = Live(app, url, session, graph)
            await _enrol(found, now)
            yield found


async def _enrol(live: Live, now: dt.datetime) -> None:
    """A Swahili speaker from Kenya in Qatar agreed to check-ins on WhatsApp (sealed)."""
    followups = live.services.followups
    assert followups is not None
    sealed = Sealer.from_setting(CONTACT_KEY).seal(
        ReplyAddress("whatsapp", WA_ID).to_bytes(), context=address_context(live.person))
    await followups.enrol(Enrolment(live.person, CONSENT_VERSION, now - dt.timedelta(days=40),
                                    sealed, Stage.ARRIVED, "2026-10", "KE-EX-KE-0001", "sw",
                                    origin="KE", destination="QA"), [])


async def _approve(live: Live) -> str:
    rounds = live.app[ROUNDS]
    quarter = rounds.quarters()[0]
    preview = await rounds.preview(quarter)
    assert await rounds.approve(quarter, preview.digest, "admin") is Approval.APPROVED
    return preview.messages[message_key("KE", "QA", "sw")].text


async def test_outside_the_window_the_template_goes_first_then_the_words_once(
    live: Live,
) -> None:
    live.graph.close_window(WA_ID)
    words = await _approve(live)
    delivery = live.app[CHECKINS]
    assert await delivery.run_until_done() == 1
    [announced] = live.graph.templates_sent()
    assert announced["name"] == TEMPLATE and announced["language"]["code"] == "sw"
    assert not any(words[:40] in shown_text(body) for body in live.graph.sent)
    [waiting] = await live.services.followups.jobs_of(live.person)  # type: ignore[union-attr]
    assert (waiting.kind, waiting.status) == (JobKind.REPORTBACK, JobStatus.WAITING)

    live.graph.closed_windows.discard(WA_ID)  # the person writes: the window opens
    await live.whatsapp_sends("habari")

    def shown_words() -> list[dict[str, object]]:
        return [body for body in live.graph.sent if "Wafanyakazi kutoka Kenya" in shown_text(body)]

    async def sent_and_done() -> bool:
        jobs = await live.services.followups.jobs_of(live.person)  # type: ignore[union-attr]
        return bool(shown_words()) and not jobs

    await eventually(sent_and_done)  # the app's own loop sends it once woken
    await delivery.run_until_done()
    shown = shown_words()
    assert len(shown) == 1, "the words go out once the person wrote, once"
    assert shown_text(shown[0]).startswith(words[:60])
    assert any(choice.startswith("article:qa-") for choice, _ in shown_choices(shown[0]))
    assert await delivery.run_until_done() == 0
    kept = await live.services.followups.enrolment(live.person)  # type: ignore[union-attr]
    assert kept is not None and kept.last_round == str(live.app[ROUNDS].quarters()[0])


@pytest.mark.parametrize("template", [None])
async def test_without_the_template_the_round_is_held_for_the_operator(live: Live) -> None:
    live.graph.close_window(WA_ID)
    await _approve(live)
    await live.app[CHECKINS].run_until_done()
    [stuck] = await live.services.followups.jobs_of(live.person)  # type: ignore[union-attr]
    assert stuck.status is JobStatus.STUCK and "WHATSAPP_TEMPLATE_REPORT_BACK" in stuck.detail
    assert live.graph.templates_sent() == []


async def test_a_number_that_blocked_the_bot_gets_nothing_more(live: Live) -> None:
    live.graph.block(WA_ID)
    await _approve(live)
    assert await live.app[CHECKINS].run_until_done() == 1
    assert await live.services.followups.enrolment(live.person) is None  # type: ignore[union-attr]
    assert await live.services.followups.jobs_of(live.person) == []  # type: ignore[union-attr]
