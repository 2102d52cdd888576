"""The webhook refuses forgeries and junk, survives both, and handles a repeat once,
even across workers and after one of them died mid-update."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.channels.telegram import RETRY_AFTER_SECONDS, TelegramChannel
from bot.web import CHANNELS_ON, SERVICES
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


async def test_a_retry_while_another_worker_handles_the_update_is_asked_to_come_back(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    update = TelegramPerson(503_220_105).message("/sos")
    await _claim_as_another_worker(server, update["update_id"], lease=dt.timedelta(minutes=2))
    # Not "ok": if that worker never finishes (it crashed), a 200 would lose the /sos.
    status, headers = await server.deliver(update)
    assert status == 503
    assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert telegram_api.calls_to("sendMessage") == []
    # The other worker finishes: from then on the retry is a repeat, answered "ok".
    await server.app[SERVICES].store.complete_delivery(f"telegram:{update['update_id']}")
    assert await server.post_update(update) == 200
    assert telegram_api.calls_to("sendMessage") == []
    _, metrics = await server.get("/metrics")
    assert 'bot_busy_total{channel="telegram"} 1' in metrics


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
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    # Leases that lapse at once: only the completion keeps a late retry out.
    channel = server.app[CHANNELS_ON]["telegram"]
    assert isinstance(channel, TelegramChannel)
    channel.deliveries.lease = dt.timedelta(0)
    update = TelegramPerson(503_220_107).message("/start")
    assert await server.post_update(update) == 200
    sent = len(telegram_api.calls_to("sendMessage"))
    assert await server.post_update(update) == 200
    assert len(telegram_api.calls_to("sendMessage")) == sent


async def test_nesting_deeper_than_the_parser_goes_is_refused_not_a_500(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    deep = b'{"update_id": 11, "message": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    assert await server.post_update(deep) == 400
    _, metrics = await server.get("/metrics")
    assert 'bot_malformed_total{channel="telegram"} 1' in metrics
    assert await server.post_update(TelegramPerson(503_220_111).message("/start")) == 200


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("message", "chat", "id"), {"id": 1}),
        (("message", "chat", "id"), "503220112"),
        (("message", "chat", "id"), True),
        (("message", "from", "id"), [1]),
        (("message", "text"), {"text": "hi"}),
        (("message", "from", "language_code"), 7),
        (("message", "chat"), "private"),
    ],
)
async def test_a_mistyped_field_is_refused_with_a_count_never_a_500(
    server: BotServer, telegram_api: FakeTelegramAPI, where: tuple[str, ...], value: object
) -> None:
    update = TelegramPerson(503_220_112).message("hi")
    part = update
    for name in where[:-1]:
        part = part[name]
    part[where[-1]] = value
    assert await server.post_update(update) == 400
    assert telegram_api.calls_to("sendMessage") == []
    _, metrics = await server.get("/metrics")
    assert 'bot_malformed_total{channel="telegram"} 1' in metrics


async def test_a_mistyped_button_press_is_refused(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    press = TelegramPerson(503_220_113).press("lang:en")
    press["callback_query"]["data"] = {"x": 1}
    assert await server.post_update(press) == 400
    press = TelegramPerson(503_220_113).press("lang:en")
    press["callback_query"]["message"]["chat"]["id"] = {"x": 1}
    assert await server.post_update(press) == 400
    assert telegram_api.calls == [c for c in telegram_api.calls if c.method != "sendMessage"]


async def test_a_lone_surrogate_in_the_text_still_gets_a_reply(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(503_220_114)
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    before = len(telegram_api.calls_to("sendMessage"))
    body = json.dumps(person.message("PLACEHOLDER")).replace("PLACEHOLDER", "wages \\ud800 late")
    assert "\\ud800" in body
    assert await server.post_update(body.encode()) == 200
    replies = telegram_api.calls_to("sendMessage")[before:]
    assert replies, "the person gets an answer"
    assert any(label.endswith("Help now") for label, _ in telegram_api.last_keyboard())
    _, metrics = await server.get("/metrics")
    assert 'bot_repaired_total{channel="telegram"} 1' in metrics
    assert 'bot_errors_total{channel="telegram"} 0' in metrics


async def test_a_turn_that_fails_is_counted_by_type_and_the_next_one_is_answered(
    server: BotServer, telegram_api: FakeTelegramAPI, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    channel = server.app[CHANNELS_ON]["telegram"]
    assert isinstance(channel, TelegramChannel)
    runner = channel._runner
    handle = runner.handle
    calls = 0

    async def fails_once(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom with mshahara 503220108")
        return await handle(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "handle", fails_once)
    person = TelegramPerson(503_220_108)
    assert await server.post_update(person.message("mshahara")) == 200
    assert telegram_api.calls_to("sendMessage") == []
    assert "handling an update failed: RuntimeError" in caplog.text
    assert "mshahara" not in caplog.text and "503220108" not in caplog.text
    _, metrics = await server.get("/metrics")
    assert 'bot_errors_total{channel="telegram"} 1' in metrics

    assert await server.post_update(person.message("/start")) == 200
    assert ("Kiswahili", "lang:sw") in telegram_api.last_keyboard()
