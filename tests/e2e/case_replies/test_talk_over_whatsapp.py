"""The whole hand-over on WhatsApp, as a person and a caseworker would live it.

The person writes to the real webhook: ``/talk``, who reads it, consent, the
message. The caseworker of that organisation reads and answers through the
API; the delivery loop inside the app sends over the fake Graph API: inside
the 24-hour window the reply itself (with Answer / Close / Help now), outside
it the approved template, then the reply once the person writes; without a
template configured, the clear error for the caseworker. Then "read" and
"closed" reach the person too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.channels.whatsapp import PATH, WhatsAppChannel, sign
from bot.web import CHANNELS_ON
from bot.web.portal import PORTAL
from casework import CaseState, Direction
from casework.outbox import EntryStatus
from recruiter_reports.stakeholders import Role, new_account
from tests.e2e.case_replies.conftest import APP_SECRET, TEMPLATE, WA_ID, Live
from tests.e2e.served import eventually
from tests.fakes.graph_api import notification, shown_choices, shown_text, tap

PARTNER = "migrant-rights"
WORDS = "My employer keeps my passport and I have not been paid for 3 months"


async def _tap(live: Live, choice_id: str, *, row: bool = False) -> None:
    await _post(live, notification(tap(WA_ID, choice_id, row=row)))


async def _post(live: Live, payload: dict[str, Any]) -> None:
    raw = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, APP_SECRET)}
    async with live.session.post(f"{live.url}{PATH}", data=raw, headers=headers) as answer:
        assert answer.status == 200
    channel = live.app[CHANNELS_ON]["whatsapp"]
    assert isinstance(channel, WhatsAppChannel)
    await channel.drain()


async def _caseworker(live: Live) -> str:
    account, issued = new_account("Noor", Role.CASEWORKER, [], dt.datetime.now(dt.UTC),
                                  live.app[PORTAL].hasher, partner=PARTNER)
    await live.app[PORTAL].stakeholders.add_account(account)
    live.key = issued.key
    return issued.key


async def _open_a_case(live: Live) -> str:
    """The person's side, through the webhook; the case id the bot gave them."""
    await live.whatsapp_says("hello")
    await _tap(live, "lang:en")
    await live.whatsapp_says("/talk")
    assert "Which country are you in?" in shown_text(live.graph.sent[-1])
    await _tap(live, "talk:-:QA", row=True)
    assert "Who should read your message?" in shown_text(live.graph.sent[-1])
    await _tap(live, f"talk:p:{PARTNER}", row=True)
    assert any("Do you agree to send them a message?" in shown_text(b)
               for b in live.graph.sent[-3:])
    await _tap(live, "talk:ok", row=True)
    assert "Write your message now" in shown_text(live.graph.sent[-1])
    await live.whatsapp_says(WORDS)
    sent = "\n".join(shown_text(b) for b in live.graph.sent[-2:])
    assert "✅ Sent to Migrant-Rights.org. Your case number is C-" in sent
    status, listed = await live.api("GET", "/cases")
    assert status == 200 and len(listed["cases"]) == 1, listed
    return str(listed["cases"][0]["id"])


async def test_talk_consent_message_then_a_reply_in_the_window_and_the_person_answers(
    live: Live, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    await _caseworker(live)
    case_id = await _open_a_case(live)

    status, body = await live.api("GET", f"/cases/{case_id}")
    assert status == 200 and body["messages"][0]["text"] == WORDS
    await eventually(lambda: any("has read your message" in shown_text(b)
                                 for b in live.graph.sent))
    before = len(live.graph.sent)
    status, _ = await live.api("POST", f"/cases/{case_id}/reply",
                               {"text": "We are here. Which city are you in?"})
    assert status == 202

    [reply] = await eventually(lambda: [b for b in live.graph.sent[before:]
                                        if "Which city" in shown_text(b)])
    assert "Reply from Migrant-Rights.org" in shown_text(reply)
    assert [cid for cid, _ in shown_choices(reply)] == [f"case:{case_id}",
                                                         f"case:close:{case_id}", "sos"]
    await _tap(live, f"case:{case_id}")  # "Answer"
    await live.whatsapp_says("Doha, near the industrial area")
    assert "✅ Sent to Migrant-Rights.org." in shown_text(live.graph.sent[-1])

    status, body = await live.api("GET", f"/cases/{case_id}")
    assert [m["sender"] for m in body["messages"]] == ["worker", "caseworker", "worker"]
    assert body["messages"][2]["text"] == "Doha, near the industrial area"

    status, _ = await live.api("POST", f"/cases/{case_id}/state", {"state": "closed"})
    assert status == 200
    [closed] = await eventually(lambda: [b for b in live.graph.sent
                                         if "closed your case" in shown_text(b)])
    assert [cid for cid, _ in shown_choices(closed)] == ["talk", "menu", "sos"]
    await live.whatsapp_says("thank you")  # after the close: answered, not dropped
    assert "is closed, so this message was not sent" in shown_text(live.graph.sent[-1])
    cases = live.services.cases
    assert cases is not None
    stored = await cases.get(case_id)
    assert stored is not None and stored.state is CaseState.CLOSED
    assert [m.direction for m in stored.messages].count(Direction.WORKER) == 2
    assert not live.graph.violations
    # Neither the logs nor the store file hold the words, the reply or the phone number.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Which city" not in logged and WORDS not in logged and WA_ID not in logged
    files = b"".join(p.read_bytes() for p in sorted(tmp_path.iterdir())  # noqa: ASYNC240
                     if p.name.startswith("bot.sqlite3"))
    assert b"C-" in files
    for secret in (WORDS, "Which city", "industrial area", WA_ID):
        assert secret.encode() not in files, secret


async def test_outside_the_window_the_template_then_the_reply_when_the_person_writes(
    live: Live,
) -> None:
    await _caseworker(live)
    case_id = await _open_a_case(live)
    live.graph.close_window(WA_ID)  # a day and more later
    before = len(live.graph.sent)

    status, _ = await live.api("POST", f"/cases/{case_id}/reply",
                               {"text": "Please call our lawyer, it is free."})
    assert status == 202
    [announced] = await eventually(lambda: [b for b in live.graph.sent[before:]
                                            if b["type"] == "template"])
    assert announced["template"]["name"] == TEMPLATE
    assert announced["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Migrant-Rights.org"}]
    assert not [b for b in live.graph.sent if "lawyer" in str(b)]

    live.graph.closed_windows.discard(WA_ID)
    await live.whatsapp_says("hi")  # "write anything to read it"
    [reply] = await eventually(lambda: [b for b in live.graph.sent if "lawyer" in shown_text(b)])
    assert "Reply from Migrant-Rights.org" in shown_text(reply)


@pytest.mark.parametrize("template", [None])
async def test_outside_the_window_without_a_template_the_caseworker_reads_the_clear_error(
    live: Live,
) -> None:
    await _caseworker(live)
    case_id = await _open_a_case(live)
    live.graph.close_window(WA_ID)

    status, sent = await live.api("POST", f"/cases/{case_id}/reply", {"text": "Call us."})
    assert status == 202
    outbox = live.services.outbox
    assert outbox is not None

    async def stuck() -> bool:
        entries = await outbox.of_case(case_id)
        return any(e.status is EntryStatus.STUCK for e in entries)

    await eventually(stuck)
    status, body = await live.api("GET", f"/cases/{case_id}")
    reply = next(m for m in body["messages"] if m["id"] == sent["id"])
    assert reply["delivered_at"] is None
    assert "WHATSAPP_TEMPLATE_CASE_REPLY" in reply["delivery"]
    assert not [b for b in live.graph.sent if "Call us." in str(b)]
