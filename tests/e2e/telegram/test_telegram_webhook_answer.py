"""A turn's last message rides in the webhook answer; the ones before it are sent first.

Telegram performs the call in a webhook answer only once it has the answer, so
sending the earlier messages (and waiting for Telegram to take them) before
answering keeps what the person reads in order, with one request fewer per turn.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from bot.settings import Settings
from tests.e2e.telegram.conftest import SECRET, BotServer, StartServer
from tests.fakes import FakeTelegramAPI, TelegramPerson


async def _post_raw(url: str, update: dict[str, Any]) -> tuple[int, str, bytes]:
    """POST as Telegram does, without performing the answer: its status, type and body."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with aiohttp.ClientSession() as session, session.post(
        f"{url}/webhooks/telegram", json=update, headers=headers
    ) as response:
        return response.status, response.content_type, await response.read()


async def _in_english(server: BotServer, person: TelegramPerson) -> None:
    """Past the language choice, as a person who has just started."""
    assert await server.post_update(person.message("/start")) == 200
    assert await server.post_update(person.press("lang:en")) == 200


async def test_a_turn_of_several_messages_answers_with_its_last(
    start_server: StartServer, settings: Settings, telegram_api: FakeTelegramAPI
) -> None:
    server = await start_server(settings)
    person = TelegramPerson(503_330_201)
    await _in_english(server, person)
    before = len(telegram_api.calls_to("sendMessage"))

    status, kind, body = await _post_raw(server.url, person.message("/sos"))
    assert status == 200
    sent = [call["text"] for call in telegram_api.calls_to("sendMessage")[before:]]
    assert sent, "the messages before the last are sent before the answer"
    answer = json.loads(body)
    assert answer["method"] == "sendMessage"
    assert answer["chat_id"] == person.id
    assert answer["text"] not in sent

    await telegram_api.perform_webhook_answer(status, kind, body)  # Telegram's part
    shown = [call["text"] for call in telegram_api.calls_to("sendMessage")[before:]]
    assert shown == [*sent, answer["text"]]  # in the order the turn said them
    assert shown[0].startswith("🆘 If you are in danger now")  # the numbers come first
    assert "Qatar: 999" in shown[0]
    assert answer["text"].startswith("Which country are you in?")
    assert answer["reply_markup"]["inline_keyboard"]  # the countries, under the last message


async def test_a_press_stops_its_spinner_first_and_its_reply_rides_in_the_answer(
    start_server: StartServer, settings: Settings, telegram_api: FakeTelegramAPI
) -> None:
    server = await start_server(settings)
    person = TelegramPerson(503_330_203)
    assert await server.post_update(person.message("/start")) == 200
    press = person.press("lang:en")
    status, kind, body = await _post_raw(server.url, press)
    assert status == 200
    stopped = telegram_api.calls_to("answerCallbackQuery")  # its own call, before the answer
    assert [call["callback_query_id"] for call in stopped] == [press["callback_query"]["id"]]
    answer = json.loads(body)
    assert answer["method"] == "sendMessage" and answer["chat_id"] == person.id
    assert [row[0]["callback_data"] for row in answer["reply_markup"]["inline_keyboard"]][:1]
    await telegram_api.perform_webhook_answer(status, kind, body)
    assert telegram_api.calls_to("sendMessage")[-1]["text"] == answer["text"]


async def test_a_person_who_blocked_the_bot_gets_no_answer_call(
    start_server: StartServer, settings: Settings, telegram_api: FakeTelegramAPI
) -> None:
    """When the first messages are refused (blocked), the last is not put in the answer."""
    server = await start_server(settings)
    person = TelegramPerson(503_330_202)
    await _in_english(server, person)
    telegram_api.fail_next("sendMessage", 403)
    status, _, body = await _post_raw(server.url, person.message("/sos"))
    assert status == 200
    assert body == b"ok"  # no Bot API call rides in it
    assert telegram_api.calls_to("sendMessage")[-1]["text"] != "Which country are you in?"
