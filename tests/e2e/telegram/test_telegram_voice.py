"""Listening on Telegram, as a new person finds it: Kiswahili, Saudi Arabia, the passport
article, "🔊 Sikiliza", a voice message; SOS in Qatar in every language; a failed upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from tests.e2e.telegram.conftest import BotServer, StartServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson

LISTEN = {"en": "Listen", "sw": "Sikiliza", "ne": "सुन्नुहोस्", "ar": "استمع"}
LANGUAGES = {"en": "English", "sw": "Kiswahili", "ne": "नेपाली", "ar": "العربية"}


def _bytes(path: str) -> bytes:
    return Path(path).read_bytes()


async def _choose(server: BotServer, api: FakeTelegramAPI, person: TelegramPerson,
                  language: str) -> None:
    await server.post_update(person.message("/start"))
    await server.post_update(person.press(api.button(LANGUAGES[language])))


async def test_kiswahili_saudi_passport_article_offers_listen_and_delivers_a_voice_message(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_330_001, language_code="sw")
    await _choose(server, telegram_api, person, "sw")
    await server.post_update(person.press(telegram_api.button("📖")))
    await server.post_update(person.press(telegram_api.button("Saudi Arabia")))
    await server.post_update(person.press(telegram_api.button("Pasipoti yako")))
    assert "PASIPOTI YAKO NI MALI YAKO" in telegram_api.sent_texts()[-1].upper()
    listen = telegram_api.button("🔊 Sikiliza")
    assert listen == "listen:a:sa-passport:sw"

    await server.post_update(person.press(listen))
    voice = telegram_api.calls_to("sendVoice")
    assert len(voice) == 2 and {v["chat_id"] for v in voice} == {person.id}
    upload = voice[0]["voice"]
    assert upload["filename"] == "passport.ogg" and upload["bytes"].startswith(b"OggS")
    assert voice[0]["caption"].startswith("🔊 Pasipoti yako ni mali yako (Saudi Arabia) (")
    assert "Sauti ya kompyuta" in voice[0]["caption"]  # a draft says a computer reads it
    assert int(voice[0]["duration"]) > 30
    # Asked once, in Kiswahili, with a spoken prompt, whether to send audio every time.
    assert voice[1]["caption"].startswith("Ungependa nikutumie pia rekodi za sauti")
    assert voice[1]["voice"]["filename"] == "ask-audio.ogg"
    assert ("🔊 Ndiyo, na sauti", "audio:on") in telegram_api.last_keyboard()


async def test_the_second_listen_reuses_the_file_id_and_the_question_is_asked_once(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    first, second = TelegramPerson(402_330_002), TelegramPerson(402_330_003)
    for person in (first, second):
        await _choose(server, telegram_api, person, "sw")
        await server.post_update(person.press("listen:a:sa-passport:sw"))
    calls = telegram_api.calls_to("sendVoice")
    article = [c for c in calls if "Pasipoti" in c.get("caption", "")]
    asked = [c for c in calls if "Ungependa" in c.get("caption", "")]
    assert isinstance(article[0]["voice"], dict)  # uploaded once...
    assert isinstance(article[1]["voice"], str)  # ...then sent by its file_id
    assert article[1]["voice"] in telegram_api.files
    assert len(asked) == 2 and isinstance(asked[1]["voice"], str)  # the prompt too, once each
    await server.post_update(first.press("listen:a:sa-passport:sw"))
    again = telegram_api.calls_to("sendVoice")[len(calls):]
    assert len(again) == 1  # not asked a second time


@pytest.mark.parametrize("language", ["en", "sw", "ne", "ar"])
async def test_sos_in_qatar_has_audio_in_every_language(
    server: BotServer, telegram_api: FakeTelegramAPI, language: str
) -> None:
    person = TelegramPerson(402_330_010 + len(language) + ord(language[0]))
    await _choose(server, telegram_api, person, language)
    await server.post_update(person.press("sos:QA"))
    assert "999" in "\n".join(telegram_api.sent_texts())
    listen = telegram_api.button(LISTEN[language])
    assert listen == "listen:sos:QA"
    await server.post_update(person.press(listen))
    voice = telegram_api.calls_to("sendVoice")[0]
    assert voice["voice"]["filename"] == "sos.ogg"
    assert voice["voice"]["bytes"] == _bytes(f"content/countries/qa/{language}/sos.ogg")


async def test_answer_me_with_audio_sends_the_sos_recording_beside_the_numbers(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_330_020)
    await _choose(server, telegram_api, person, "sw")
    await server.post_update(person.message("/audio"))
    asked = telegram_api.calls_to("sendVoice")[-1]
    assert "Ungependa" in asked["caption"]
    await server.post_update(person.press(telegram_api.button("Ndiyo, na sauti")))
    before = len(telegram_api.calls)
    await server.post_update(person.press("sos:QA"))
    after = [c for c in telegram_api.calls[before:] if c.status == 200
             and c.method.lower() in ("sendmessage", "sendvoice")]
    kinds = [c.method.lower() for c in after]
    assert kinds[0] == "sendmessage" and "999" in after[0].params["text"]  # the numbers first
    assert kinds[1] == "sendvoice" and after[1].params["voice"]["filename"] == "sos.ogg"


async def test_a_failed_upload_still_sends_the_text_with_a_note(
    start_server: StartServer, telegram_api: FakeTelegramAPI, tmp_path: Path
) -> None:
    settings: Settings = bot_settings(tmp_path, telegram_api)
    server = await start_server(settings)
    person = TelegramPerson(402_330_030)
    await _choose(server, telegram_api, person, "sw")
    telegram_api.fail_next("sendVoice", 400, description="Bad Request: file is too big")
    await server.post_update(person.press("listen:a:sa-passport:sw"))
    voice = telegram_api.calls_to("sendVoice")
    assert [v["voice"]["filename"] for v in voice] == ["ask-audio.ogg"]  # not the article
    texts = telegram_api.sent_texts()
    shown = next(text for text in texts if "Pasipoti yako ni mali yako" in text)
    assert "Rekodi haikuweza kutumwa sasa hivi" in shown
    assert any("Msaada sasa" in label for label, _ in telegram_api.last_keyboard())


async def test_a_file_id_telegram_no_longer_knows_is_uploaded_again(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_330_040)
    await _choose(server, telegram_api, person, "en")
    await server.post_update(person.press("listen:sos:QA"))
    telegram_api.forget_files()
    await server.post_update(person.press("listen:sos:QA"))
    uploads = [c for c in telegram_api.uploads() if c["voice"]["filename"] == "sos.ogg"]
    assert len(uploads) == 2
