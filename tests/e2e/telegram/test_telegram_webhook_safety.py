"""The webhook refuses forgeries and junk, survives both, and handles a repeat once,
even across workers and after one of them died mid-update."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.channels.telegram import webhook
from bot.web import SERVICES
from tests.e2e.telegram.conftest import BotServer
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.fakes.telegram_updates import group_message


async def test_a_forged_or_missing_secret_is_refused_and_nothing_is_handled(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(503_220_101)
    assert await server.post_update(person.message("/start"), secret="guess") == 403
    assert await server.post_update(person.message("/start"), secret=None) == 403
    assert await server.post_update(person.message("/start"), secret="") == 403
    assert telegram_api.calls_to("sendMessage") == []
    _, metrics = await server.get("/metrics")
    assert 'bot_rejected_total{channel="telegram"} 3' in metrics
    assert 'bot_updates_total{channel="telegram"} 0' in metrics


async def test_a_body_that_is_not_an_update_gets_400_and_the_server_keeps_serving(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    assert await server.post_update(b"{not json") == 400
    assert await server.post_update(b"[1, 2, 3]") == 400
    assert await server.post_update(json.dumps({"message": {"text": "hi"}}).encode()) == 400
    assert await server.post_update(b'{"update_id": 9, "message": "nonsense"}') == 400
    assert telegram_api.calls_to("sendMessage") == []

    person = TelegramPerson(503_220_102)
    assert await server.post_update(person.message("/start")) == 200
    assert telegram_api.last_keyboard()
    _, metrics = await server.get("/metrics")
    assert 'bot_malformed_total{channel="telegram"} 4' in metrics


async def test_the_same_update_delivered_twice_is_answered_once(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(503_220_103)
    update = person.message("/start")
    assert await server.post_update(update) == 200
    once = len(telegram_api.calls_to("sendMessage"))
    assert once > 0
    assert await server.post_update(update) == 200
    assert len(telegram_api.calls_to("sendMessage")) == once
    _, metrics = await server.get("/metrics")
    assert 'bot_duplicates_total{channel="telegram"} 1' in metrics


async def test_a_repeated_button_press_is_handled_once(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(503_220_104)
    await server.post_update(person.message("/start"))
    press = person.press("lang:sw")
    await server.post_update(press)
    after_first = len(telegram_api.calls_to("sendMessage"))
    await server.post_update(press)
    assert len(telegram_api.calls_to("sendMessage")) == after_first
    assert len(telegram_api.calls_to("answerCallbackQuery")) == 1


async def test_a_person_who_blocked_the_bot_is_handled_quietly(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(503_220_105)
    telegram_api.fail_next("sendMessage", 403)
    assert await server.post_update(person.message("/start")) == 200
    # The rest of that turn's replies are dropped, not retried into a wall.
    assert telegram_api.calls_to("sendMessage") == []
    assert [c.status for c in telegram_api.calls if c.method == "sendMessage"] == [403]
    _, metrics = await server.get("/metrics")
    assert 'bot_blocked_total{channel="telegram"} 1' in metrics

    # Unblocked later: the next message is answered as usual.
    assert await server.post_update(person.message("/start")) == 200
    assert telegram_api.last_keyboard()


async def test_flood_control_is_waited_out_and_the_reply_still_arrives(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(503_220_106)
    telegram_api.fail_next("sendMessage", 429, retry_after=1)
    assert await server.post_update(person.message("/start")) == 200
    statuses = [c.status for c in telegram_api.calls if c.method == "sendMessage"]
    assert statuses[0] == 429
    assert statuses[1:] == [200, 200]
    assert ("Kiswahili", "lang:sw") in telegram_api.last_keyboard()


async def test_group_chats_get_no_answer(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(503_220_107)
    assert await server.post_update(group_message(person, "/start")) == 200
    assert telegram_api.calls_to("sendMessage") == []


async def _claim_as_another_worker(
    server: BotServer, update_id: int, *, lease: dt.timedelta
) -> None:
    """What a worker does on receiving the update, before it answers it."""
    now = dt.datetime.now(dt.UTC)
    store = server.app[SERVICES].store
    claimed = await store.claim_delivery(
        f"telegram:{update_id}", lease_until=now + lease, expires_at=now + dt.timedelta(days=2)
    )
    assert claimed is True


async def test_a_retry_while_another_worker_handles_the_update_is_not_answered_twice(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    update = TelegramPerson(503_220_105).message("/start")
    await _claim_as_another_worker(server, update["update_id"], lease=dt.timedelta(minutes=2))
    assert await server.post_update(update) == 200
    assert telegram_api.calls_to("sendMessage") == []


async def test_the_retry_of_an_update_whose_worker_died_is_answered(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    update = TelegramPerson(503_220_106).message("/start")
    # Claimed by a worker that stopped before answering; its lease ran out.
    await _claim_as_another_worker(server, update["update_id"], lease=-dt.timedelta(seconds=1))
    assert await server.post_update(update) == 200
    assert telegram_api.last_keyboard()
    sent = len(telegram_api.calls_to("sendMessage"))
    # Handled now, so a further retry is a repeat.
    assert await server.post_update(update) == 200
    assert len(telegram_api.calls_to("sendMessage")) == sent


async def test_a_handled_update_stays_handled_when_its_lease_is_long_gone(
    server: BotServer, telegram_api: FakeTelegramAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Leases that lapse at once: only the completion keeps a late retry out.
    monkeypatch.setattr(webhook, "DELIVERY_LEASE", dt.timedelta(0))
    update = TelegramPerson(503_220_107).message("/start")
    assert await server.post_update(update) == 200
    sent = len(telegram_api.calls_to("sendMessage"))
    assert await server.post_update(update) == 200
    assert len(telegram_api.calls_to("sendMessage")) == sent
