"""Pushing to a person outside a reply, through the served app, against the fake platforms.

What a person would see: on Telegram the messages in order; on WhatsApp the
messages inside the 24-hour window, the approved template outside it (in their
language), and nothing at all, with a result naming the setting to fill, when
the template is not configured. A person who blocked the bot is a typed result,
never an exception, and no log line holds their chat id or number.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest

from bot.channels.base import Push, Pushers, PushStatus, Template, TemplatePurpose
from bot.channels.console import ConsolePusher
from bot.core.messages import Choice, Outbound
from tests.e2e.push.conftest import CASE_TEMPLATE, CHAT_ID, WA_ID, PushApp
from tests.fakes.graph_api import shown_text

REPLY = (
    Outbound("A reply from Kituo cha Sheria:"),
    Outbound("We can meet you on Tuesday. Bring your contract if you still have it."),
)
CASE = Template(TemplatePurpose.CASE_REPLY, ("Kituo cha Sheria",), "en")


def tg_push(*messages: Outbound, person: str = "p-telegram") -> Push:
    return Push(str(CHAT_ID), messages or REPLY, person=person)


def wa_push(
    push_app: PushApp, *, template: Template | None = CASE, seen: dt.datetime | None = None,
    wa_id: str = WA_ID,
) -> Push:
    return Push(wa_id, REPLY, person=push_app.pseudonym("whatsapp", wa_id), last_seen=seen,
                template=template)


def texts(push_app: PushApp) -> list[str]:
    return [shown_text(body) for body in push_app.graph.sent]


# --- Telegram --------------------------------------------------------------------------


async def test_telegram_push_sends_every_message_in_order(push_app: PushApp) -> None:
    result = await push_app.pushers.push("telegram", tg_push())

    assert (result.status, result.sent) == (PushStatus.SENT, 2)
    sent = push_app.telegram.calls_to("sendMessage")
    assert [call["text"] for call in sent] == [m.text for m in REPLY]
    assert {call["chat_id"] for call in sent} == {CHAT_ID}


async def test_telegram_push_keeps_buttons(push_app: PushApp) -> None:
    question = Outbound("Did the job match what you were promised?",
                        (Choice("ci:yes", "Yes"), Choice("ci:no", "No")))

    result = await push_app.pushers.push("telegram", tg_push(question))

    assert result.delivered
    assert push_app.telegram.last_keyboard() == [("Yes", "ci:yes"), ("No", "ci:no")]


async def test_telegram_person_who_blocked_the_bot_is_a_result(push_app: PushApp) -> None:
    push_app.telegram.fail_next("sendMessage", 403)

    result = await push_app.pushers.push("telegram", tg_push())

    assert (result.status, result.sent) == (PushStatus.BLOCKED, 0)
    assert not result.retryable
    assert push_app.telegram.sent_texts() == []


async def test_telegram_stops_at_a_refusal_and_says_how_far_it_got(push_app: PushApp) -> None:
    push_app.telegram.fail_next("sendMessage", 400, description="Bad Request: chat not found",
                                after=1)

    result = await push_app.pushers.push("telegram", tg_push())

    assert (result.status, result.sent) == (PushStatus.FAILED, 1)
    assert push_app.telegram.sent_texts() == [REPLY[0].text]


async def test_telegram_rate_limit_that_outlasts_the_retries_is_retry(push_app: PushApp) -> None:
    push_app.telegram.fail_next("sendMessage", 429, retry_after=0, times=10)

    result = await push_app.pushers.push("telegram", tg_push())

    assert result.status is PushStatus.RETRY
    assert result.retryable and result.sent == 0


async def test_telegram_address_that_is_not_a_chat_id_fails_clearly(push_app: PushApp) -> None:
    result = await push_app.pushers.push("telegram", Push("not-a-chat", REPLY))

    assert result.status is PushStatus.FAILED
    assert "not a Telegram chat id" in result.detail


# --- WhatsApp ------------------------------------------------------------------------


async def test_whatsapp_inside_the_window_sends_text(push_app: PushApp) -> None:
    await push_app.whatsapp_says("hello")
    before = len(push_app.graph.sent)

    result = await push_app.pushers.push("whatsapp", wa_push(push_app))

    assert (result.status, result.sent) == (PushStatus.SENT, 2)
    assert texts(push_app)[before:] == [m.text for m in REPLY]
    assert push_app.graph.templates_sent() == []


async def test_whatsapp_window_known_from_the_sender(push_app: PushApp) -> None:
    """Another worker received the person's message: ``last_seen`` says the window is open."""
    seen = dt.datetime.now(dt.UTC) - dt.timedelta(hours=23)

    result = await push_app.pushers.push("whatsapp", wa_push(push_app, seen=seen))

    assert result.status is PushStatus.SENT
    assert texts(push_app) == [m.text for m in REPLY]


async def test_whatsapp_outside_the_window_sends_the_template(push_app: PushApp) -> None:
    seen = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)

    result = await push_app.pushers.push("whatsapp", wa_push(push_app, seen=seen))

    assert (result.status, result.sent) == (PushStatus.TEMPLATE_SENT, 0)
    assert result.waiting_for_person and not result.delivered
    assert push_app.graph.templates_sent() == [{
        "name": CASE_TEMPLATE,
        "language": {"code": "en_US"},
        "components": [{"type": "body",
                        "parameters": [{"type": "text", "text": "Kituo cha Sheria"}]}],
    }]
    assert len(push_app.graph.sent) == 1, "the reply itself waits until the person writes"


@pytest.mark.parametrize(("locale", "language"), [("sw", "sw"), ("ne", "en_US"), ("ar", "en_US")])
async def test_whatsapp_template_in_the_person_s_language(
    push_app: PushApp, locale: str, language: str
) -> None:
    template = Template(TemplatePurpose.CASE_REPLY, ("Pravasi Nepali Coordination\nCommittee",),
                        locale)

    result = await push_app.pushers.push("whatsapp", wa_push(push_app, template=template))

    assert result.status is PushStatus.TEMPLATE_SENT
    sent = push_app.graph.templates_sent()[0]
    assert sent["language"] == {"code": language}
    assert sent["components"][0]["parameters"][0]["text"] == (
        "Pravasi Nepali Coordination Committee"
    ), "a parameter is sent on one line, as Meta requires"
    assert push_app.graph.violations == []


async def test_whatsapp_without_a_configured_template_is_a_clear_error(
    push_app: PushApp, caplog: pytest.LogCaptureFixture
) -> None:
    checkin = Template(TemplatePurpose.CHECKIN, (), "en")

    result = await push_app.pushers.push("whatsapp", wa_push(push_app, template=checkin))

    assert (result.status, result.sent) == (PushStatus.NO_TEMPLATE, 0)
    assert "WHATSAPP_TEMPLATE_CHECKIN" in result.detail
    assert not result.delivered and not result.retryable
    assert push_app.graph.requests == [], "nothing is sent"
    assert "WHATSAPP_TEMPLATE_CHECKIN" in caplog.text


async def test_whatsapp_without_a_template_asked_for_waits(push_app: PushApp) -> None:
    result = await push_app.pushers.push("whatsapp", wa_push(push_app, template=None))

    assert result.status is PushStatus.WINDOW_CLOSED
    assert result.waiting_for_person
    assert push_app.graph.requests == []


async def test_whatsapp_re_engagement_error_falls_back_to_the_template(push_app: PushApp) -> None:
    """The worker thought the window open; Meta says 131047: the template goes instead."""
    await push_app.whatsapp_says("hello")
    push_app.graph.close_window(WA_ID)
    before = len(push_app.graph.sent)

    result = await push_app.pushers.push("whatsapp", wa_push(push_app))

    assert (result.status, result.sent) == (PushStatus.TEMPLATE_SENT, 0)
    assert [body["type"] for body in push_app.graph.sent[before:]] == ["template"]


async def test_whatsapp_person_who_blocked_the_number_is_a_result(push_app: PushApp) -> None:
    push_app.graph.block(WA_ID)
    seen = dt.datetime.now(dt.UTC)

    inside = await push_app.pushers.push("whatsapp", wa_push(push_app, seen=seen))
    outside = await push_app.pushers.push("whatsapp", wa_push(push_app))

    assert (inside.status, inside.code) == (PushStatus.BLOCKED, 131026)
    assert (outside.status, outside.code) == (PushStatus.BLOCKED, 131026)
    assert "undeliverable" in outside.detail
    assert push_app.graph.sent == []


async def test_whatsapp_template_meta_does_not_know_fails_with_its_code(
    push_app: PushApp,
) -> None:
    push_app.graph.templates.clear()  # e.g. deleted in WhatsApp Manager

    result = await push_app.pushers.push("whatsapp", wa_push(push_app))

    assert (result.status, result.code) == (PushStatus.FAILED, 132001)
    assert CASE_TEMPLATE in result.detail and "does not exist" in result.detail


async def test_whatsapp_pair_rate_limit_is_retry(push_app: PushApp) -> None:
    push_app.graph.fail_next(400, 131056)

    result = await push_app.pushers.push(
        "whatsapp", wa_push(push_app, seen=dt.datetime.now(dt.UTC))
    )

    assert (result.status, result.sent) == (PushStatus.RETRY, 0)
    assert result.retryable


async def test_whatsapp_stops_half_way_and_says_how_far(push_app: PushApp) -> None:
    await push_app.whatsapp_says("hello")
    before = len(push_app.graph.sent)
    push_app.graph.fail_next(400, 131026, after=1)

    result = await push_app.pushers.push("whatsapp", wa_push(push_app))

    assert (result.status, result.sent) == (PushStatus.BLOCKED, 1)
    assert texts(push_app)[before:] == [REPLY[0].text]


# --- the registry, the terminal and privacy ------------------------------------------


async def test_a_channel_this_server_does_not_run_is_no_channel(push_app: PushApp) -> None:
    assert set(push_app.pushers) == {"telegram", "whatsapp"}, "serve never prints messages"

    result = await push_app.pushers.push("sms", tg_push())

    assert result.status is PushStatus.NO_CHANNEL
    assert result.retryable


async def test_console_prints_the_messages() -> None:
    out = io.StringIO()
    pushers = Pushers({"console": ConsolePusher(out)})

    result = await pushers.push("console", Push("amina", REPLY, template=CASE))

    assert (result.status, result.sent) == (PushStatus.SENT, 2)
    shown = out.getvalue()
    assert "(a new message arrived)" in shown
    assert shown.index(REPLY[0].text) < shown.index(REPLY[1].text)


async def test_console_names_a_pushed_message_s_buttons_without_numbers() -> None:
    out = io.StringIO()
    answer = Outbound("Reply from Kituo cha Sheria:", (Choice("case:C-1", "💬 Answer"),))

    await ConsolePusher(out).push(Push("amina", (answer,)))

    shown = out.getvalue()
    assert "💬 Answer" in shown and "/talk" in shown
    assert "[1]" not in shown  # a typed number picks from the bot's last answer, not these


async def test_no_push_logs_the_address(
    push_app: PushApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    push_app.graph.block("254700000001")
    push_app.telegram.fail_next("sendMessage", 403)
    await push_app.pushers.push("telegram", tg_push())
    await push_app.pushers.push("whatsapp", wa_push(push_app))
    await push_app.pushers.push("whatsapp", wa_push(push_app, wa_id="254700000001"))
    await push_app.pushers.push("whatsapp", wa_push(push_app, template=None))

    assert str(CHAT_ID) not in caplog.text
    assert WA_ID not in caplog.text and "254700000001" not in caplog.text
    assert WA_ID not in repr(wa_push(push_app)), "a traceback cannot print the address"
