"""A whole WhatsApp conversation through real HTTP: Meta's webhook in, the Graph API out."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.channels.whatsapp import PATH, sign
from bot.core.messages import Inbound, Outbound
from bot.services import Services
from tests.e2e.whatsapp.conftest import APP_SECRET, VERIFY_TOKEN, WA_ID, Phone, whatsapp_channel
from tests.fakes.graph_api import FakeGraphAPI, shown_choices, shown_text


def ids(body: dict) -> list[str]:
    return [choice_id for choice_id, _ in shown_choices(body)]


def first(replies: list[dict], prefix: str) -> str:
    for body in reversed(replies):
        for choice_id in ids(body):
            if choice_id.startswith(prefix):
                return choice_id
    raise AssertionError(f"no choice starting with {prefix!r} in {replies}")


def words(text: str) -> list[str]:
    return text.split()


async def test_handshake_echoes_the_challenge_only_with_our_token(client: TestClient) -> None:
    ok = await client.get(PATH, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                        "hub.challenge": "1158201444"})
    assert ok.status == 200
    assert await ok.text() == "1158201444"
    wrong = await client.get(PATH, params={"hub.mode": "subscribe",
                                           "hub.verify_token": VERIFY_TOKEN + "x",
                                           "hub.challenge": "1158201444"})
    assert wrong.status == 403
    assert "1158201444" not in await wrong.text()
    no_mode = await client.get(PATH, params={"hub.verify_token": VERIFY_TOKEN,
                                             "hub.challenge": "1"})
    assert no_mode.status == 403


async def test_hi_gets_the_languages_and_kiswahili_gets_the_swahili_menu(
    phone: Phone, services: Services, graph: FakeGraphAPI
) -> None:
    replies = await phone.say("hi")
    sw = services.catalogs.translator("sw")
    # A Kenyan number: the welcome is in Swahili, Kiswahili the first language offered.
    assert "huduma ya bure" in shown_text(replies[0])
    languages = replies[-1]
    assert languages["to"] == WA_ID
    assert shown_choices(languages)[0] == ("lang:sw", "Kiswahili")

    menu = await phone.tap("lang:sw", row=True)
    question = sw("What do you need? Tap a button.")
    pseudonym = services.runner.pseudonym(Inbound(channel="whatsapp", user_ref=WA_ID))
    assert (await services.store.load_session(pseudonym) or {}).get("locale") == "sw"
    assert len(menu) == 1 and shown_text(menu[0]) == question
    assert menu[0]["interactive"]["type"] == "list"  # 7 choices: more than 3 buttons
    assert set(ids(menu[0])) >= {"guides", "rights", "find", "sos"}
    titles = dict(shown_choices(menu[0]))
    assert titles["sos"] == "🆘 " + sw("Help now")
    assert graph.violations == []


async def test_a_long_guide_arrives_whole_and_within_the_limits(
    phone: Phone, services: Services, graph: FakeGraphAPI
) -> None:
    twin: list[Outbound] = []

    async def both(choice_id: str) -> list[dict]:
        twin[:] = await services.runner.handle(
            Inbound(channel="twin", user_ref="twin", choice=choice_id))
        return await phone.tap(choice_id, row=True)

    await phone.say("hi")
    await both("lang:en")
    replies = await both("guides")
    replies = await both(first(replies, "guide:"))
    replies = await both(first(replies, "topic:"))
    if not any(i.startswith("article:") and i.endswith(":1") for b in replies for i in ids(b)):
        replies = await both(first(replies, "article:"))
    # The same article page as the engine wrote it, word for word, in order.
    sent = [word for body in replies for word in words(shown_text(body))]
    assert sent == [word for message in twin for word in words(message.text)]
    assert graph.violations == []
    assert all(len(shown_text(b)) <= (4096 if b["type"] == "text" else 1024) for b in replies)
    next_page = first(replies, "article:")
    assert next_page.endswith(":1")
    page_two = await both(next_page)
    assert [w for b in page_two for w in words(shown_text(b))] == [
        w for m in twin for w in words(m.text)]


async def test_sos_gives_the_emergency_number(phone: Phone, graph: FakeGraphAPI) -> None:
    await phone.say("hi")
    await phone.tap("lang:en", row=True)
    replies = await phone.say("/sos")
    choices = ids(replies[-1])
    if "sos:QA" in choices:  # several destinations: the bot asks where the person is
        replies = await phone.tap("sos:QA", row=True)
    texts = "\n".join(shown_text(b) for b in replies)
    assert "999" in texts  # Qatar's police, ambulance and fire
    assert graph.violations == []


async def test_a_forged_or_missing_signature_is_refused_and_nothing_is_handled(
    phone: Phone, graph: FakeGraphAPI, services: Services, tmp_path: Path
) -> None:
    from tests.fakes.graph_api import notification, text

    payload = notification(text(WA_ID, "hi"))
    assert await phone.post(payload, signature="sha256=" + "0" * 64) == 403
    assert await phone.post(payload, signature=None) == 403
    assert await phone.post(payload, signature="md5=abc") == 403
    assert graph.requests == []
    pseudonym = services.runner.pseudonym(Inbound(channel="whatsapp", user_ref=WA_ID))
    assert await services.store.load_session(pseudonym) is None


async def test_the_same_message_id_twice_gets_one_reply(phone: Phone, graph: FakeGraphAPI) -> None:
    from tests.fakes.graph_api import text

    message = text(WA_ID, "hi")
    first_replies = await phone.deliver(message)
    assert first_replies
    assert await phone.deliver(message) == []
    assert len(graph.sent) == len(first_replies)


async def test_a_500_then_200_delivers_one_reply(phone: Phone, graph: FakeGraphAPI) -> None:
    await phone.say("hi")
    await phone.tap("lang:en", row=True)
    graph.fail_next(500, 131016)
    before = len(graph.requests)
    replies = await phone.tap("menu", row=True)
    assert len(replies) == 1  # the menu, once
    assert [r.status for r in graph.requests[before:]] == [500, 200]


async def test_a_429_is_retried_after_the_wait_it_asks_for(phone: Phone,
                                                          graph: FakeGraphAPI) -> None:
    graph.fail_next(429, 130429, headers={"Retry-After": "0"})
    replies = await phone.say("hi")
    assert len(replies) == 2
    assert [r.status for r in graph.requests] == [429, 200, 200]


async def test_a_400_is_not_retried_and_is_logged_clearly(
    phone: Phone, graph: FakeGraphAPI, caplog: pytest.LogCaptureFixture
) -> None:
    graph.fail_next(400, 131026)
    replies = await phone.say("hi")
    assert replies == []  # the welcome failed, so the languages were not sent alone
    assert [r.status for r in graph.requests] == [400]
    assert "error 131026: message undeliverable" in caplog.text


async def test_voice_and_stickers_get_a_short_note_and_the_menu(phone: Phone) -> None:
    from tests.fakes.graph_api import message

    await phone.say("hi")
    await phone.tap("lang:en", row=True)
    voice = await phone.deliver(message(WA_ID, "audio", {"id": "1", "voice": True}))
    assert "voice" in shown_text(voice[0])
    assert "guides" in ids(voice[-1])
    sticker = await phone.deliver(message(WA_ID, "sticker", {"id": "2"}))
    assert "only read text" in shown_text(sticker[0])
    assert "sos" in ids(sticker[-1])
    # A shared location is a call for help: the SOS card of where it lies (Doha).
    location = await phone.deliver(message(WA_ID, "location", {"latitude": 25.28,
                                                               "longitude": 51.53}))
    assert "999" in "\n".join(shown_text(b) for b in location)
    assert "menu" in ids(location[-1])


async def test_reactions_and_receipts_get_no_answer(phone: Phone, graph: FakeGraphAPI) -> None:
    from tests.fakes.graph_api import message, notification

    await phone.say("hi")
    before = len(graph.sent)
    await phone.deliver(message(WA_ID, "reaction", {"message_id": "wamid.X", "emoji": "👍"}))
    status = {"id": "wamid.FAKE1", "status": "delivered", "timestamp": "1749416383",
              "recipient_id": WA_ID}
    assert await phone.post(notification(statuses=[status])) == 200
    assert len(graph.sent) == before


async def test_a_redelivery_after_24_hours_is_not_answered_free_form(
    phone: Phone, graph: FakeGraphAPI, caplog: pytest.LogCaptureFixture
) -> None:
    import time

    from tests.fakes.graph_api import text

    assert await phone.deliver(text(WA_ID, "hi", timestamp=int(time.time()) - 25 * 3600)) == []
    assert graph.requests == []
    assert "more than 24 hours" in caplog.text


async def test_no_phone_number_or_name_in_the_store_or_the_logs(
    phone: Phone, graph: FakeGraphAPI, services: Services, tmp_path: Path,
    caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await phone.say("hi")
    await phone.tap("lang:sw", row=True)
    await phone.tap("guides", row=True)
    await phone.say("/sos")
    graph.fail_next(400, 131030)  # Meta's error texts may quote numbers
    await phone.say("/menu")
    await services.store.close()
    stored = b"".join(path.read_bytes() for path in sorted(tmp_path.glob("bot.sqlite3*")))  # noqa: ASYNC240
    assert stored  # the conversation was saved...
    assert WA_ID.encode() not in stored  # ...without the number
    assert b"Amina" not in stored
    assert WA_ID not in caplog.text
    assert "Amina" not in caplog.text
    await services.store.open()


async def test_while_the_store_cannot_write_sos_guides_and_the_menu_are_answered(
    phone: Phone, graph: FakeGraphAPI, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recruiter_reports.stores import StoreUnavailable
    from tests.fakes.graph_api import notification, text

    await phone.say("hi")
    await phone.tap("lang:en", row=True)

    async def down(*_: object, **__: object) -> None:
        raise StoreUnavailable("disk full")

    store = services.store
    for method in ("claim_delivery", "claim_delivery_answer", "delivery_completed",
                   "complete_delivery", "release_delivery", "save_session", "load_session"):
        monkeypatch.setattr(store, method, down)

    replies = await phone.say("/sos")
    if "sos:QA" in ids(replies[-1]):
        replies = await phone.tap("sos:QA", row=True)
    assert "999" in "\n".join(shown_text(b) for b in replies)
    assert "sos" in ids(replies[-1])
    guides = await phone.tap("guides", row=True)
    assert guides and "menu" in ids(guides[-1])
    menu = await phone.say("/menu")
    assert {"guides", "sos"} <= set(ids(menu[-1]))

    # Meta's repeat of a message during the outage is still answered once.
    repeat = notification(text(WA_ID, "/menu"))
    before = len(graph.sent)
    assert await phone.post(repeat) == 200
    assert await phone.post(repeat) == 200
    assert len(graph.sent) == before + 1
    assert graph.violations == []


async def test_checking_a_recruiter_works_within_the_limits(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    await phone.say("hi")
    await phone.tap("lang:en", row=True)
    replies = await phone.say("/check")
    if "agencies:check:KE" in ids(replies[-1]):
        replies = await phone.tap("agencies:check:KE")
    replies = await phone.say("sunrise")
    pick = first(replies, "pick:check:")
    assert pick == "pick:check:KE-EX-KE-0001"
    rows = [row for section in replies[-1]["interactive"]["action"]["sections"]
            for row in section["rows"]]
    sunrise = next(row for row in rows if row["id"] == pick)
    assert "✅" in sunrise["title"] + sunrise.get("description", "")  # licence status shown
    replies = await phone.tap(pick, row=True)
    texts = "\n".join(shown_text(body) for body in replies)
    assert "Example Sunrise Recruitment Agency Ltd" in texts
    assert "5 more ratings are needed" in texts
    assert graph.violations == []


async def test_a_deleted_message_a_system_notice_and_an_edit_get_no_reply(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    from tests.fakes.graph_api import message

    await phone.say("hi")
    before = len(graph.sent)
    for kind, content in (("revoke", {"original_message_id": "wamid.X"}),
                          ("system", {"body": "number changed", "type": "user_changed_number"}),
                          ("edit", {"original_message_id": "wamid.X",
                                    "message": {"type": "text", "text": {"body": "hi"}}})):
        assert await phone.deliver(message(WA_ID, kind, content)) == []
    assert len(graph.sent) == before
    metrics = await (await phone.client.get("/metrics")).text()
    assert 'bot_ignored_total{channel="whatsapp"} 3' in metrics


async def test_odd_but_signed_bodies_are_answered_or_refused_never_a_500(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    import json

    from tests.fakes.graph_api import notification, text

    huge = await phone.deliver(text(WA_ID, "hi", timestamp=10**30))
    assert huge, "a timestamp out of range still gets the person an answer"
    raw = json.dumps(notification(text(WA_ID, "PLACEHOLDER"))).replace("PLACEHOLDER", "\\ud800")
    response = await phone.client.post(
        "/webhooks/whatsapp", data=raw.encode(),
        headers={"X-Hub-Signature-256": sign(raw.encode(), APP_SECRET)},
    )
    assert response.status == 200
    await whatsapp_channel(phone.app).drain()
    deep = b'{"entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = await phone.client.post(
        "/webhooks/whatsapp", data=deep,
        headers={"X-Hub-Signature-256": sign(deep, APP_SECRET)},
    )
    assert response.status == 400
    metrics = await (await phone.client.get("/metrics")).text()
    assert 'bot_repaired_total{channel="whatsapp"} 1' in metrics
    assert 'bot_malformed_total{channel="whatsapp"} 2' in metrics
    assert 'bot_errors_total{channel="whatsapp"}' not in metrics
    assert graph.violations == []
