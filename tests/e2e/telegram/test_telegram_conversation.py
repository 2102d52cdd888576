"""A person's conversation through the webhook: language, menus, a guide, SOS."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.telegram.conftest import SECRET, WEBHOOK_URL, BotServer
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.fakes.telegram_api import buttons


async def test_start_registers_the_webhook_with_the_secret_and_our_update_types(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    assert telegram_api.calls_to("getMe")
    assert telegram_api.webhook["url"] == WEBHOOK_URL
    assert telegram_api.webhook["secret_token"] == SECRET
    assert telegram_api.webhook["allowed_updates"] == ["message", "callback_query"]


async def test_start_answers_in_the_private_chat_with_the_language_keyboard(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_117_533, language_code="en")
    assert await server.post_update(person.message("/start")) == 200

    # Answered only once handled: the replies are already at the Bot API.
    sent = telegram_api.calls_to("sendMessage")
    assert len(sent) == 2
    assert {message["chat_id"] for message in sent} == {person.id}
    assert "parse_mode" not in sent[0]
    keyboard = telegram_api.last_keyboard()
    assert ("English", "lang:en") in keyboard
    assert ("Kiswahili", "lang:sw") in keyboard


async def test_the_telegram_language_is_the_first_offered(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_117_534, language_code="sw")
    await server.post_update(person.message("/start"))
    assert telegram_api.last_keyboard()[0] == ("Kiswahili", "lang:sw")


async def test_kiswahili_guide_and_sos_through_buttons(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_117_535, language_code="en")
    await server.post_update(person.message("/start"))

    press = person.press(telegram_api.button("Kiswahili"))
    assert await server.post_update(press) == 200
    answered = telegram_api.calls_to("answerCallbackQuery")
    assert answered[-1]["callback_query_id"] == press["callback_query"]["id"]

    await server.post_update(person.press(telegram_api.button("📖")))
    await server.post_update(person.press(telegram_api.button("Qatar")))
    topics = [label for label, _ in telegram_api.last_keyboard()]
    assert "Mshahara na malipo" in topics
    assert "Pasipoti yako" in topics

    before = len(telegram_api.calls_to("sendMessage"))
    await server.post_update(person.press(telegram_api.button("Mshahara")))
    article = telegram_api.sent_texts()[before:]
    assert article and "MSHAHARA" in article[0]

    before = len(telegram_api.calls_to("sendMessage"))
    await server.post_update(person.press(telegram_api.button("🆘")))
    card = "\n".join(telegram_api.sent_texts()[before:])
    assert "Qatar" in card
    assert "Polisi, ambulensi, zimamoto: " in card
    assert "999" in card
    assert {m["chat_id"] for m in telegram_api.calls_to("sendMessage")} == {person.id}


async def test_a_typed_emergency_word_goes_straight_to_the_numbers(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_117_536)
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    before = len(telegram_api.calls_to("sendMessage"))
    await server.post_update(person.message("/sos"))
    if ("Qatar", "sos:QA") in telegram_api.last_keyboard():  # several destinations: it asks where
        await server.post_update(person.press("sos:QA"))
    card = "\n".join(telegram_api.sent_texts()[before:])
    assert "999" in card


async def test_a_voice_message_is_answered_aloud_and_offers_a_person(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_117_537)
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    before = len(telegram_api.messages())
    assert await server.post_update(person.voice()) == 200
    answer = telegram_api.messages()[before]
    assert answer["voice"]["filename"] == "cannot-listen.ogg"
    assert "cannot listen to voice messages" in answer["caption"]
    assert ("💬 Talk to a person", "talk") == buttons(answer)[0]
    assert ("🆘 Help now", "sos") in telegram_api.last_keyboard()


async def test_every_button_fits_telegrams_callback_data_limit(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_117_538)
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    for label in ("📖", "Qatar"):
        await server.post_update(person.press(telegram_api.button(label)))
    sent = telegram_api.calls
    assert not [call for call in sent if call.status != 200]
    assert all(len(data.encode()) <= 64 for _, data in telegram_api.last_keyboard())


async def test_a_shared_location_gets_the_sos_card_and_is_not_kept(
    server: BotServer, telegram_api: FakeTelegramAPI, tmp_path: Path
) -> None:
    person = TelegramPerson(601_990_001)
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    before = len(telegram_api.sent_texts())
    assert await server.post_update(person.location(25.2854, 51.5310)) == 200  # Doha
    texts = "\n".join(telegram_api.sent_texts()[before:])
    assert "In Qatar" in texts and "999" in texts
    stored = b"".join(p.read_bytes() for p in sorted(tmp_path.glob("bot.sqlite3*")))  # noqa: ASYNC240
    assert b"25.285" not in stored and b"51.531" not in stored


async def test_a_location_with_a_mistyped_latitude_is_refused(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    update = TelegramPerson(601_990_002).location(25.2854, 51.5310)
    update["message"]["location"]["latitude"] = "north"
    assert await server.post_update(update) == 400
