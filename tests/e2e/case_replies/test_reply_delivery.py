"""A caseworker's reply reaches the person's chat: Telegram, WhatsApp in and out of the window.

Everything runs as in production: the reply goes through the API, the
delivery loop inside the served app pushes it, the fakes receive what a phone
would show. Nothing is called by hand but the person writing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp import web

from bot.web import make_app
from bot.web.cases.wiring import DELIVERY
from casework.outbox import EntryStatus
from tests.e2e.case_replies.conftest import CHAT_ID, PARTNER, TEMPLATE, WA_ID, Live
from tests.e2e.served import eventually
from tests.fakes.graph_api import shown_text


def partner_name(live: Live) -> str:
    return live.services.partner_name(PARTNER, "en")


async def test_a_reply_reaches_telegram_with_the_partner_s_name_in_order(live: Live) -> None:
    case = await live.case("telegram", CHAT_ID)

    first = await live.reply(case, "We have your message. Are you safe right now?")
    second = await live.reply(case, "Our lawyer can see you on Tuesday.")

    sent = await live.telegram.wait_for("sendMessage", 2)
    texts = [call["text"] for call in sent]
    assert partner_name(live) in texts[0] and case.id in texts[0]
    assert texts[0].endswith("Are you safe right now?")
    assert texts[1].endswith("Our lawyer can see you on Tuesday.")
    assert {call["chat_id"] for call in sent} == {int(CHAT_ID)}
    cases = live.services.cases
    assert cases is not None

    async def delivered() -> bool:
        stored = await cases.get(case.id)
        return stored is not None and all(
            m.delivered_at for m in stored.messages if m.id in {first, second})

    await eventually(delivered)


async def test_the_person_is_told_when_it_is_read_and_when_it_is_closed(live: Live) -> None:
    case = await live.case("telegram", CHAT_ID)

    status, _ = await live.api("GET", f"/cases/{case.id}")
    assert status == 200
    read = await live.telegram.wait_for("sendMessage", 1)
    status, _ = await live.api("GET", f"/cases/{case.id}")  # a second read tells nothing new
    assert status == 200
    status, closed = await live.api("POST", f"/cases/{case.id}/state", {"state": "closed"})
    assert status == 200 and closed["state"] == "closed"
    sent = await live.telegram.wait_for("sendMessage", 2)

    assert partner_name(live) in read[0]["text"] and "has read your message" in read[0]["text"]
    assert "closed your case" in sent[1]["text"] and case.id in sent[1]["text"]
    assert len(live.telegram.calls_to("sendMessage")) == 2


async def test_whatsapp_inside_the_window_gets_the_text(live: Live) -> None:
    case = await live.case("whatsapp", WA_ID)  # the person wrote just now

    await live.reply(case, "We can help. Which city are you in?")

    [body] = await live.graph.wait_for(1)
    assert body["type"] in {"text", "interactive"}
    assert "Which city are you in?" in shown_text(body)
    assert partner_name(live) in shown_text(body)


async def test_whatsapp_outside_the_window_sends_the_template_then_the_reply_when_they_write(
    live: Live,
) -> None:
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    case = await live.case("whatsapp", WA_ID, at=two_days_ago)

    await live.reply(case, "Please call our hotline, it is free.")

    [announced] = await live.graph.wait_for(1)
    assert announced["type"] == "template"
    assert announced["template"]["name"] == TEMPLATE
    params = announced["template"]["components"][0]["parameters"]
    assert params == [{"type": "text", "text": partner_name(live)}]

    await live.whatsapp_says("hi")  # "write anything to read it"

    def replies() -> list[str]:
        return [shown_text(b) for b in live.graph.sent
                if b["type"] != "template" and "hotline" in shown_text(b)]

    await eventually(replies)
    assert len(replies()) == 1 and partner_name(live) in replies()[0]


@pytest.mark.parametrize("template", [None])
async def test_without_a_template_the_reply_stays_queued_and_the_caseworker_sees_why(
    live: Live,
) -> None:
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    case = await live.case("whatsapp", WA_ID, at=two_days_ago)
    reply_id = await live.reply(case, "Please call our hotline.")
    outbox = live.services.outbox
    assert outbox is not None

    async def stuck() -> bool:
        entries = await outbox.of_case(case.id)
        return bool(entries) and entries[0].status is EntryStatus.STUCK

    await eventually(stuck)
    status, body = await live.api("GET", f"/cases/{case.id}")

    assert status == 200
    reply = next(m for m in body["messages"] if m["id"] == reply_id)
    assert reply["delivered_at"] is None
    assert "WHATSAPP_TEMPLATE_CASE_REPLY" in reply["delivery"]
    assert [b for b in live.graph.sent if "hotline" in str(b)] == []


async def test_a_reply_one_worker_received_is_delivered_by_another(live: Live) -> None:
    """Two ``serve`` workers on one store: the one that took the reply stops before
    sending it (killed, or busy); the other one's loop delivers it."""
    case = await live.case("telegram", CHAT_ID)
    first = await make_app(live.services.settings, worker="worker-a")
    runner = web.AppRunner(first, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        await first[DELIVERY].stop()  # worker A takes requests but sends nothing any more
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/v1/cases/{case.id}/reply"
        async with live.session.post(url, json={"text": "Sent through worker A."},
                                     headers={"Authorization": f"Bearer {live.key}"}) as answer:
            assert answer.status == 202

        sent = await live.telegram.wait_for("sendMessage", 1)  # worker B, the live app
        assert sent[0]["text"].endswith("Sent through worker A.")
        assert sent[0]["chat_id"] == int(CHAT_ID)
    finally:
        await runner.cleanup()
