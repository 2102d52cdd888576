"""A voice note reaches a person, on Telegram, tried as a new Kiswahili speaker would.

Outside a case the bot says, in writing and aloud, that it cannot listen, and offers
"Talk to a person" first; through it the voice note becomes the case message in the
casework store (a caseworker's queue) as soon as the person agrees, without sending it
again; a later voice note, sent from anywhere, is added
to the open case. With cases off, the bot says how to reach the partner directly.
"""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings
from bot.web.app import SERVICES
from casework import MessageKind
from casework.sealing import generate_entry
from tests.e2e.telegram.conftest import StartServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.fakes.telegram_api import buttons


async def test_a_voice_note_ends_up_in_a_caseworkers_queue(
    start_server: StartServer, telegram_api: FakeTelegramAPI, tmp_path: Path
) -> None:
    settings: Settings = bot_settings(tmp_path, telegram_api, CONTACT_KEY=generate_entry("v1"))
    server = await start_server(settings)
    person = TelegramPerson(402_997_001, language_code="sw")

    async def press(label: str) -> None:
        assert await server.post_update(person.press(telegram_api.button(label))) == 200

    await server.post_update(person.message("/start"))
    await press("Kiswahili")
    await server.post_update(person.press("sos:QA"))  # the person is in Qatar
    before = len(telegram_api.messages())
    assert await server.post_update(person.voice(seconds=6)) == 200
    answer = telegram_api.messages()[before]
    assert answer["voice"]["filename"] == "cannot-listen.ogg"  # said aloud...
    assert answer["caption"].startswith("Mimi ni programu ya kompyuta")  # ...and in writing
    assert buttons(answer)[0] == ("💬 Ongea na mtu", "talk:-:QA")

    await server.post_update(person.press("talk:-:QA"))
    await press("Migrant-Rights.org")
    await server.post_update(person.press("talk:ok"))  # the voice note above is the message:
    services = server.app[SERVICES]
    assert services.cases is not None
    queue = await services.cases.list_for_partner("migrant-rights")
    assert len(queue) == 1 and queue[0].country == "QA"
    assert [m.kind for m in queue[0].messages] == [MessageKind.VOICE]
    assert queue[0].messages[0].media_type == "ref/telegram"

    await server.post_update(person.message("/menu"))
    assert await server.post_update(person.voice(seconds=3)) == 200  # from the menu: into the case
    queue = await services.cases.list_for_partner("migrant-rights")
    assert [m.kind for m in queue[0].messages] == [MessageKind.VOICE, MessageKind.VOICE]
    assert "Migrant-Rights.org" in telegram_api.sent_texts()[-1]


async def test_with_cases_off_a_voice_note_says_how_to_reach_the_partner(
    start_server: StartServer, telegram_api: FakeTelegramAPI, tmp_path: Path
) -> None:
    server = await start_server(bot_settings(tmp_path, telegram_api))  # no CONTACT_KEY
    person = TelegramPerson(402_997_002, language_code="en")
    await server.post_update(person.message("/start"))
    await server.post_update(person.press("lang:en"))
    await server.post_update(person.press("sos:QA"))
    before = len(telegram_api.messages())
    await server.post_update(person.voice())
    assert buttons(telegram_api.messages()[before])[0] == ("💬 Talk to a person", "talk:-:QA")
    await server.post_update(person.press("talk:-:QA"))
    await server.post_update(person.press(telegram_api.button("Migrant-Rights.org")))
    shown = "\n".join(telegram_api.sent_texts()[-3:])
    assert "Migrant-Rights.org" in shown
    assert "Yes, I agree" not in [label for label, _ in telegram_api.last_keyboard()]
    assert any("Help now" in label for label, _ in telegram_api.last_keyboard())
