"""``/talk`` over Telegram, end to end: the real app, the webhook, the fake Bot API.

A person in Qatar asks for a person, reads who will read it and agrees, writes
and sends a voice note; the case is in the store, sealed: the SQLite file holds
neither the words, nor the Telegram chat id, nor the voice note's file id.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import aiohttp
import pytest

from bot.settings import Settings
from bot.web.app import SERVICES
from bot.web.portal import PORTAL
from casework import MessageKind
from casework.sealing import generate_entry
from recruiter_reports.stakeholders import Role, new_account
from tests.e2e.served import eventually
from tests.e2e.telegram.conftest import StartServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson

WORDS = "Sponsor took my passport and I sleep in the kitchen"
CONTACT = "+974 5555 1234 after 9 pm"


async def test_talk_to_a_person_opens_a_sealed_case_over_telegram(
    start_server: StartServer, telegram_api: FakeTelegramAPI, tmp_path: Path
) -> None:
    settings: Settings = bot_settings(tmp_path, telegram_api, CONTACT_KEY=generate_entry("e2e"))
    server = await start_server(settings)
    person = TelegramPerson(402_998_771, language_code="en")

    async def press(label: str) -> None:
        assert await server.post_update(person.press(telegram_api.button(label))) == 200

    await server.post_update(person.message("/start"))
    await press("English")
    await server.post_update(person.message("/sos"))
    await press("Qatar")
    await press("Talk to a person")
    assert "Who should read your message?" in telegram_api.sent_texts()[-1]
    await press("Migrant-Rights.org")
    shown = "\n".join(telegram_api.sent_texts()[-3:])
    assert "Hours: not stated" in shown
    assert "has not agreed to read messages from this service yet" in shown
    assert "Do you agree to send them a message?" in shown
    await press("Yes, I agree")
    assert "Write your message now" in telegram_api.sent_texts()[-1]

    assert await server.post_update(person.message(WORDS)) == 200
    sent = "\n".join(telegram_api.sent_texts()[-2:])
    assert "✅ Sent to Migrant-Rights.org. Your case number is C-" in sent
    await press("No, answer me here")
    assert await server.post_update(person.voice(seconds=4)) == 200
    assert "✅ Sent to Migrant-Rights.org." in telegram_api.sent_texts()[-1]
    assert "Help now" in [label for label, _ in telegram_api.last_keyboard()][-1]

    services = server.app[SERVICES]
    assert services.cases is not None
    listed = await services.cases.list_for_partner("migrant-rights")
    assert len(listed) == 1
    assert [m.kind for m in listed[0].messages] == [MessageKind.TEXT, MessageKind.VOICE]
    assert listed[0].messages[1].media_type == "ref/telegram"
    store_file = tmp_path / "bot.sqlite3"
    stored = b"".join(
        path.read_bytes()
        for path in (store_file, store_file.with_name("bot.sqlite3-wal"))
        if path.exists()
    )
    assert b"C-" in stored  # the case is there...
    for secret in (WORDS, "passport", str(person.id), "AwACAgQAAxkBAAIBZ2VoiceFileId"):
        assert secret.encode() not in stored, secret  # ...and nothing readable in it


async def test_the_whole_hand_over_the_reply_arrives_and_the_person_answers_over_telegram(
    start_server: StartServer, telegram_api: FakeTelegramAPI, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = bot_settings(tmp_path, telegram_api, CONTACT_KEY=generate_entry("e2e"))
    server = await start_server(settings)
    account, issued = new_account("Noor", Role.CASEWORKER, [], dt.datetime.now(dt.UTC),
                                  server.app[PORTAL].hasher, partner="migrant-rights")
    await server.app[PORTAL].stakeholders.add_account(account)
    person = TelegramPerson(402_998_772, language_code="en")

    async def press(label: str) -> None:
        assert await server.post_update(person.press(telegram_api.button(label))) == 200

    await server.post_update(person.message("/start"))
    await press("English")
    await server.post_update(person.message("/talk"))
    await press("Qatar")
    await press("Migrant-Rights.org")
    await press("Yes, I agree")
    await server.post_update(person.message(WORDS))
    await press("Yes, give a contact")
    await server.post_update(person.message(CONTACT))
    assert "Saved. Migrant-Rights.org may contact you there." in telegram_api.sent_texts()[-1]

    headers = {"Authorization": f"Bearer {issued.key}"}
    async with aiohttp.ClientSession(headers=headers) as api:
        async with api.get(f"{server.url}/api/v1/cases") as answer:
            [case] = (await answer.json())["cases"]
        async with api.get(f"{server.url}/api/v1/cases/{case['id']}") as answer:
            assert answer.status == 200
        await eventually(lambda: any("has read your message" in text
                                     for text in telegram_api.sent_texts()))
        async with api.post(f"{server.url}/api/v1/cases/{case['id']}/reply",
                            json={"text": "We are here. Are you safe tonight?"}) as answer:
            assert answer.status == 202
        await eventually(lambda: any("Are you safe tonight?" in text
                                     for text in telegram_api.sent_texts()))
        assert "Reply from Migrant-Rights.org" in telegram_api.sent_texts()[-1]
        assert [data for _, data in telegram_api.last_keyboard()] == [
            f"case:{case['id']}", f"case:close:{case['id']}", "sos"]
        await press("Answer")
        await server.post_update(person.message("Yes, I am with a friend"))
        assert "✅ Sent to Migrant-Rights.org." in telegram_api.sent_texts()[-1]
        async with api.get(f"{server.url}/api/v1/cases/{case['id']}") as answer:
            shown = await answer.json()
        assert [m["sender"] for m in shown["messages"]] == ["worker", "caseworker", "worker"]
        assert shown["messages"][-1]["text"] == "Yes, I am with a friend"
        async with api.post(f"{server.url}/api/v1/cases/{case['id']}/state",
                            json={"state": "closed"}) as answer:
            assert answer.status == 200
        await eventually(lambda: any("closed your case" in text
                                     for text in telegram_api.sent_texts()))
        assert [data for _, data in telegram_api.last_keyboard()] == ["talk", "menu", "sos"]

    logged = "\n".join(record.getMessage() for record in caplog.records)
    stored = b"".join(path.read_bytes() for path in sorted(tmp_path.iterdir())  # noqa: ASYNC240
                      if path.name.startswith("bot.sqlite3"))
    for secret in (WORDS, CONTACT, "Are you safe tonight?", "with a friend", str(person.id)):
        assert secret not in logged, secret
        assert secret.encode() not in stored, secret
