"""Discreet notifications end to end: a person who chose "Only “You have a new message”" in
the chat gets, for a check-in and for a caseworker's reply, only that neutral notice and one
Open button on the fake Bot API and the fake Graph API (free text inside WhatsApp's window,
the approved notice template outside it); tapping Open shows the real check-in question or
reply. Without the preference the words arrive as before.

Everything runs through the served app: the chat through the real webhooks, the reply
through the real API, the app's own delivery loops; a second check-in loop on a fake clock
brings the 30-day check-in due.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.web import make_app
from bot.web.app import PUSHERS
from bot.web.followups.wiring import checkins_for
from bot.web.portal import PORTAL
from casework import Case
from casework.outbox import EntryStatus
from followups import JobStatus
from recruiter_reports.stakeholders import Role, new_account
from tests.casework_data import CONTACT_KEY, open_case
from tests.e2e.checkins.people import APP_SECRET, SECRET, WA_ID, People
from tests.e2e.served import (
    eventually,
    served,
    served_settings,
)
from tests.fakes import FakeTelegramAPI
from tests.fakes.clock import FakeClock
from tests.fakes.graph_api import (
    FakeGraphAPI,
    shown_choices,
    shown_text,
    template_payloads,
    template_tap,
    text,
)
from tests.fakes.telegram_updates import TelegramPerson

CHAT_ID = 4242
TG = ("telegram", str(CHAT_ID))
WA = ("whatsapp", WA_ID)
PARTNER = "kituo-cha-sheria"
NOTICE_TEMPLATE = "notice_v1"
CHECKIN_TEMPLATE = "checkin_v1"
CASE_TEMPLATE = "case_reply_v1"
NOTICE = "You have a new message."
REVEALING = ("check-in", "check in", "case", "agency", "sunrise", "kituo", "days", "reply")


@dataclass
class Live(People):
    key: str
    person: TelegramPerson

    # --- Telegram ---------------------------------------------------------------------

    async def telegram_says(self, words: str) -> None:
        await self.telegram_sends(self.person.message(words))

    async def telegram_taps(self, label: str) -> None:
        await self.telegram_sends(self.person.press(self.telegram.button(label)))

    # --- what the people around the chat do -------------------------------------------

    async def case(self, channel: str, address: str, **kw: Any) -> Case:
        assert self.services.cases is not None and self.services.sealer is not None
        return await open_case(self.services.cases, self.services.sealer, partner=PARTNER,
                               channel=channel, address=address,
                               pseudonym=self.pseudonym(channel, address), **kw)

    async def reply(self, case: Case, words: str) -> None:
        async with self.session.post(f"{self.url}/api/v1/cases/{case.id}/reply",
                                     json={"text": words},
                                     headers={"Authorization": f"Bearer {self.key}"}) as answer:
            assert answer.status == 202, await answer.text()

    async def checkin_due(self, channel: str, user: str) -> int:
        """A second check-in loop built as the app builds its own, on a fake clock set just
        after the 30-day check-in is due; how many check-ins it tried."""
        delivery = checkins_for(self.services, self.app[PUSHERS], "test-worker", self.clock)
        assert delivery is not None and self.services.followups is not None
        jobs = await self.services.followups.jobs_of(self.pseudonym(channel, user))
        self.clock.now = jobs[0].due_at + dt.timedelta(minutes=1)
        return await delivery.run_once()



@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    async with FakeTelegramAPI() as telegram, FakeGraphAPI() as graph:
        graph.approve(NOTICE_TEMPLATE, "en_US", params=0, buttons=1)
        graph.approve(CHECKIN_TEMPLATE, "en_US", params=0)
        graph.approve(CASE_TEMPLATE, "en_US", params=1)
        settings = served_settings(
            tmp_path, "notice", telegram=telegram, telegram_secret=SECRET, graph=graph,
            app_secret=APP_SECRET, CONTACT_KEY=CONTACT_KEY,
            WHATSAPP_TEMPLATE_CHECKIN=CHECKIN_TEMPLATE,
            WHATSAPP_TEMPLATE_CASE_REPLY=CASE_TEMPLATE,
            WHATSAPP_TEMPLATE_NOTICE=NOTICE_TEMPLATE,
            WHATSAPP_TEMPLATE_LANGUAGES="en=en_US",
        )
        app = await make_app(settings)
        account, issued = new_account("Amani", Role.CASEWORKER, [], dt.datetime.now(dt.UTC),
                                      app[PORTAL].hasher, partner=PARTNER)
        await app[PORTAL].stakeholders.add_account(account)
        clock = FakeClock(dt.datetime.now(dt.UTC))
        async with served(app) as (url, session):
            yield Live(app, url, session, telegram, graph, clock, issued.key,
                       TelegramPerson(CHAT_ID))


# --- the conversations before the notice ----------------------------------------------


async def telegram_start(live: Live, *, neutral: bool) -> None:
    await live.telegram_says("/start")
    await live.telegram_taps("English")
    if neutral:
        await live.telegram_says("/mydata")
        await live.telegram_taps("Discreet notifications")
        await live.telegram_taps("You have a new message")
        assert "the notification says only" in live.telegram.sent_texts()[-1]


async def telegram_checkins(live: Live) -> None:
    await live.rated("telegram", str(CHAT_ID))
    await live.telegram_says("menu")
    await live.telegram_taps("Check-ins later")
    await live.telegram_taps("Not yet")
    await live.telegram_sends(live.person.press(live.telegram.last_keyboard()[0][1]))
    await live.telegram_taps("Yes, I agree")
    assert "Type /stop at any time" in live.telegram.sent_texts()[-1]


async def whatsapp_start(live: Live, *, neutral: bool) -> None:
    await live.whatsapp_sends(text(WA_ID, "hi"))
    await live.whatsapp_taps("English")
    if neutral:
        await live.whatsapp_sends(text(WA_ID, "/mydata"))
        await live.whatsapp_taps("Discreet notif")
        await live.whatsapp_taps("Only")
        assert "the notification says only" in shown_text(live.graph.sent[-1])


async def whatsapp_checkins(live: Live) -> None:
    await live.rated("whatsapp", WA_ID)
    await live.whatsapp_sends(text(WA_ID, "menu"))
    await live.agree_on_whatsapp()


def reveals_nothing(words: str) -> None:
    assert words == NOTICE
    assert not any(part in words.casefold() for part in REVEALING)


def telegram_notice(sent: dict[str, Any]) -> None:
    """Only the neutral words and one Open button, nothing else on the phone."""
    reveals_nothing(sent["text"])
    keyboard = sent["reply_markup"]
    if isinstance(keyboard, str):
        keyboard = json.loads(keyboard)
    buttons = [button for row in keyboard["inline_keyboard"] for button in row]
    assert [(b["text"], b["callback_data"]) for b in buttons] == [("Open", "inbox")]


# --- check-ins ------------------------------------------------------------------------


async def test_telegram_check_in_is_only_a_neutral_notice_until_opened(live: Live) -> None:
    await telegram_start(live, neutral=True)
    await telegram_checkins(live)
    before = len(live.telegram.messages())

    assert await live.checkin_due(*TG) == 1

    [notice] = live.telegram.messages()[before:]
    telegram_notice(notice)
    assert notice["chat_id"] == CHAT_ID
    assert live.services.followups is not None
    pseudonym = live.pseudonym("telegram", str(CHAT_ID))
    jobs = {job.ref: job for job in await live.services.followups.jobs_of(pseudonym)}
    assert jobs["30"].status is JobStatus.WAITING

    await live.telegram_sends(live.person.press("inbox"))  # taps Open

    def check_in() -> list[str]:
        return [t for t in live.telegram.sent_texts() if "30 days after arriving" in t]

    await eventually(check_in)  # the app's own loop, woken by the tap
    assert "Any messages waiting for you follow now." in live.telegram.sent_texts()[before + 1:]
    assert len(check_in()) == 1 and "Sunrise" in check_in()[0]
    await live.telegram_taps("Start")
    assert "job" in live.telegram.sent_texts()[-1].casefold()  # the first real question
    assert [j.ref for j in await live.services.followups.jobs_of(pseudonym)] == ["90"]


async def test_telegram_check_in_without_the_preference_shows_its_words(live: Live) -> None:
    await telegram_start(live, neutral=False)
    await telegram_checkins(live)
    before = len(live.telegram.messages())

    assert await live.checkin_due(*TG) == 1

    [pushed] = live.telegram.messages()[before:]
    assert "30 days after arriving" in pushed["text"] and "Sunrise" in pushed["text"]
    assert NOTICE not in live.telegram.sent_texts()


async def test_whatsapp_check_in_inside_the_window_is_a_notice_with_an_open_button(
    live: Live,
) -> None:
    await whatsapp_start(live, neutral=True)
    await whatsapp_checkins(live)
    before = len(live.graph.sent)

    assert await live.checkin_due(*WA) == 1

    [notice] = live.graph.sent[before:]
    assert notice["type"] == "interactive"
    reveals_nothing(shown_text(notice))
    assert shown_choices(notice) == [("inbox", "Open")]

    await live.whatsapp_taps("Open")

    def check_in() -> list[str]:
        return [shown_text(b) for b in live.graph.sent if "30 days after arriving" in
                shown_text(b)]

    await eventually(check_in)
    assert len(check_in()) == 1
    await live.whatsapp_taps("Start")
    assert "job" in shown_text(live.graph.sent[-1]).casefold()


async def test_whatsapp_check_in_outside_the_window_is_the_notice_template(live: Live) -> None:
    await whatsapp_start(live, neutral=True)
    await whatsapp_checkins(live)
    live.graph.close_window(WA_ID)
    before = len(live.graph.sent)

    assert await live.checkin_due(*WA) == 1

    [notice] = live.graph.sent[before:]
    assert notice["type"] == "template" and notice["template"]["name"] == NOTICE_TEMPLATE
    assert template_payloads(notice) == ["inbox"]
    assert not [c for c in notice["template"].get("components", []) if c["type"] == "body"]

    live.graph.closed_windows.discard(WA_ID)  # tapping the template's button opens the window
    await live.whatsapp_sends(template_tap(WA_ID, "inbox", "Open"))

    def check_in() -> list[str]:
        return [shown_text(b) for b in live.graph.sent if "30 days after arriving" in
                shown_text(b)]

    await eventually(check_in)
    assert len(check_in()) == 1
    assert CHECKIN_TEMPLATE not in [t["name"] for t in live.graph.templates_sent()]


# --- a caseworker's reply -------------------------------------------------------------


async def test_telegram_case_reply_is_a_notice_and_opening_it_shows_the_reply(
    live: Live,
) -> None:
    await telegram_start(live, neutral=True)
    case = await live.case("telegram", str(CHAT_ID))
    before = len(live.telegram.messages())

    await live.reply(case, "We have your message. Are you safe right now?")

    await live.telegram.wait_for("sendMessage", before + 1)
    [notice] = live.telegram.messages()[before:]
    telegram_notice(notice)
    outbox = live.services.outbox
    assert outbox is not None

    async def waiting() -> bool:
        return [e.status for e in await outbox.of_case(case.id)] == [EntryStatus.WAITING]

    await eventually(waiting)

    await live.telegram_sends(live.person.press("inbox"))

    def reply() -> list[str]:
        return [t for t in live.telegram.sent_texts() if "Are you safe right now?" in t]

    await eventually(reply)
    assert case.id in reply()[0] and live.services.partner_name(PARTNER, "en") in reply()[0]
    assert await eventually(lambda: _none_left(live, case))


async def test_telegram_case_reply_without_the_preference_shows_its_words(live: Live) -> None:
    await telegram_start(live, neutral=False)
    case = await live.case("telegram", str(CHAT_ID))
    before = len(live.telegram.messages())

    await live.reply(case, "Our lawyer can see you on Tuesday.")

    sent = await live.telegram.wait_for("sendMessage", before + 1)
    assert sent[before]["text"].endswith("Our lawyer can see you on Tuesday.")
    assert NOTICE not in live.telegram.sent_texts()


async def test_whatsapp_case_reply_outside_the_window_names_no_partner(live: Live) -> None:
    await whatsapp_start(live, neutral=True)
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    case = await live.case("whatsapp", WA_ID, at=two_days_ago)
    live.graph.close_window(WA_ID)
    before = len(live.graph.sent)

    await live.reply(case, "Please call our hotline, it is free.")

    await live.graph.wait_for(before + 1)
    [notice] = live.graph.sent[before:]
    assert notice["type"] == "template" and notice["template"]["name"] == NOTICE_TEMPLATE
    assert live.services.partner_name(PARTNER, "en") not in json.dumps(notice)
    assert "hotline" not in json.dumps(live.graph.sent)

    live.graph.closed_windows.discard(WA_ID)
    await live.whatsapp_sends(template_tap(WA_ID, "inbox", "Open"))

    def reply() -> list[str]:
        return [shown_text(b) for b in live.graph.sent if "hotline" in shown_text(b)]

    await eventually(reply)
    assert len(reply()) == 1 and case.id in reply()[0]


async def test_opening_one_notice_brings_every_waiting_message_of_the_case(live: Live) -> None:
    """Two replies: one notice; after Open both follow in order, no second notice."""
    await telegram_start(live, neutral=True)
    case = await live.case("telegram", str(CHAT_ID))
    before = len(live.telegram.messages())
    await live.reply(case, "First: are you safe?")
    await live.telegram.wait_for("sendMessage", before + 1)
    await live.reply(case, "Second: call us on Tuesday.")
    await asyncio.sleep(0.3)  # the loop had its chance to send the second: it waits
    assert [m["text"] for m in live.telegram.messages()[before:]] == [NOTICE]

    await live.telegram_sends(live.person.press("inbox"))

    def replies() -> list[str]:
        return [t for t in live.telegram.sent_texts() if t.endswith(("safe?", "Tuesday."))]

    await eventually(lambda: len(replies()) == 2)
    assert replies()[0].endswith("First: are you safe?")
    assert live.telegram.sent_texts().count(NOTICE) == 1


async def _none_left(live: Live, case: Case) -> bool:
    assert live.services.outbox is not None
    return not await live.services.outbox.of_case(case.id)
