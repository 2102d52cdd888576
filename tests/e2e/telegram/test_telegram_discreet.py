"""The quick exit over Telegram, end to end: the real app, the webhook, the fake Bot API.

The fake keeps the private chat as the person sees it (one message_id sequence
for the person and the bot, as Telegram numbers them), so the test reads what
is left on the person's screen after the quick exit: only the neutral screen.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.telegram.conftest import BotServer
from tests.fakes import FakeTelegramAPI, TelegramPerson


class Chat:
    """A person whose updates are numbered by the fake, as Telegram numbers them."""

    def __init__(self, server: BotServer, api: FakeTelegramAPI, person: TelegramPerson) -> None:
        self.server, self.api, self.person = server, api, person

    async def say(self, text: str) -> None:
        assert await self.server.post_update(self.api.incoming(self.person.message(text))) == 200

    async def press(self, label: str) -> None:
        update = self.api.incoming(self.person.press(self.api.button(label)))
        assert await self.server.post_update(update) == 200

    def screen(self) -> list[dict[str, Any]]:
        return self.api.visible(self.person.id)


async def test_quick_exit_on_the_sos_card_leaves_only_a_neutral_screen(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    chat = Chat(server, telegram_api, TelegramPerson(402_771_100, language_code="en"))
    await chat.say("/start")
    await chat.press("English")
    await chat.say("/sos")
    await chat.press("Qatar")
    before = chat.screen()
    assert len(before) >= 6
    assert any("Qatar" in str(message.get("text", "")) for message in before)

    await chat.press("Quick exit")

    left = chat.screen()
    assert [message["text"] for message in left] == ["📝 Notes\n\nNo notes yet."]
    assert [label for label, _ in telegram_api.last_keyboard()] == ["Continue"]
    calls = telegram_api.calls_to("deleteMessages")
    assert calls and all(1 <= len(call["message_ids"]) <= 100 for call in calls)
    await chat.press("Continue")
    assert "Help now" in [label for label, _ in telegram_api.last_keyboard()][-1]


async def test_exit_deletes_a_long_conversation_in_batches_of_100(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    chat = Chat(server, telegram_api, TelegramPerson(402_771_101, language_code="en"))
    await chat.say("/start")
    await chat.press("English")
    for _ in range(70):
        await chat.say("/menu")
    assert len(chat.screen()) > 140

    await chat.say("/exit")

    assert [message["text"] for message in chat.screen()] == ["📝 Notes\n\nNo notes yet."]
    calls = telegram_api.calls_to("deleteMessages")
    assert len(calls) >= 2 and max(len(call["message_ids"]) for call in calls) == 100


async def test_messages_older_than_48_hours_stay(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(402_771_102, language_code="en")
    chat = Chat(server, telegram_api, person)
    await chat.say("/start")
    await chat.press("English")
    telegram_api.age(person.id, 49 * 3600)  # Telegram no longer lets the bot delete these
    old = [message["message_id"] for message in chat.screen()]
    await chat.say("/sos")
    await chat.say("/exit")

    left = chat.screen()
    assert [message["message_id"] for message in left[:-1]] == old
    assert left[-1]["text"] == "📝 Notes\n\nNo notes yet."


async def test_a_refused_delete_still_shows_the_neutral_screen(
    server: BotServer, telegram_api: FakeTelegramAPI
) -> None:
    chat = Chat(server, telegram_api, TelegramPerson(402_771_103, language_code="en"))
    await chat.say("/start")
    await chat.press("English")
    telegram_api.fail_next("deleteMessages", 400,
                           description="Bad Request: message can't be deleted for everyone")
    await chat.say("/exit")
    assert chat.screen()[-1]["text"] == "📝 Notes\n\nNo notes yet."
    assert [label for label, _ in telegram_api.last_keyboard()] == ["Continue"]
