"""Telegram update JSON -> Inbound: what the engine is told a person did."""

from __future__ import annotations

from typing import Any

from bot.channels.telegram import parse_update, reply_chat_id
from bot.core.messages import Inbound, Media
from tests.fakes.telegram_updates import TelegramPerson, group_message

AMINA = TelegramPerson(412_339_871, language_code="sw")


def parsed(data: dict[str, Any]) -> Inbound | None:
    return parse_update(data)


def test_text_message_keeps_the_text_and_the_language_hint() -> None:
    update = AMINA.message("mshahara")
    inbound = parsed(update)
    number = update["message"]["message_id"]
    assert inbound == Inbound("telegram", "412339871", text="mshahara", locale_hint="sw",
                              message_no=number)


def test_a_command_arrives_as_text() -> None:
    inbound = parsed(AMINA.message("/start"))
    assert inbound is not None and inbound.text == "/start" and inbound.choice is None


def test_a_button_press_is_a_choice_with_its_callback_data() -> None:
    inbound = parsed(AMINA.press("lang:sw", message_id=1042))
    # The number of the message the button sits under: the quick exit erases up to it.
    assert inbound == Inbound("telegram", "412339871", choice="lang:sw", locale_hint="sw",
                              message_no=1042)


def test_voice_is_media_without_text() -> None:
    inbound = parsed(AMINA.voice())
    assert inbound is not None
    assert (inbound.media, inbound.text) == (Media.VOICE, None)


def test_a_photo_keeps_its_caption_so_a_cry_for_help_is_read() -> None:
    inbound = parsed(AMINA.photo(caption="msaada"))
    assert inbound is not None
    assert (inbound.media, inbound.text) == (Media.IMAGE, "msaada")


def test_a_sticker_is_other_media() -> None:
    data = AMINA.message("x")
    del data["message"]["text"]
    data["message"]["sticker"] = {
        "file_id": "CAACAgIAAxkBAAIBsticker", "file_unique_id": "AgADsticker",
        "type": "regular", "width": 512, "height": 512, "is_animated": False,
        "is_video": False,
    }
    inbound = parsed(data)
    assert inbound is not None and inbound.media is Media.OTHER


def test_a_shared_contact_is_other_media_and_its_phone_number_is_not_passed_on() -> None:
    data = AMINA.message("x")
    del data["message"]["text"]
    data["message"]["contact"] = {"phone_number": "+254700111222", "first_name": "Amina"}
    inbound = parsed(data)
    assert inbound is not None and inbound.media is Media.OTHER
    assert "254700111222" not in repr(inbound)


def test_a_service_message_is_nothing_to_answer() -> None:
    data = AMINA.message("x")
    del data["message"]["text"]
    data["message"]["pinned_message"] = {
        "message_id": 3, "chat": AMINA.chat, "date": 0, "text": "hi"
    }
    assert parsed(data) is None


def test_group_chats_are_not_served() -> None:
    data = group_message(AMINA, "/start")
    assert parsed(data) is None
    assert reply_chat_id(data) is None


def test_no_language_code_means_no_hint() -> None:
    person = TelegramPerson(77_001, language_code=None)
    inbound = parsed(person.message("hi"))
    assert inbound is not None and inbound.locale_hint is None
