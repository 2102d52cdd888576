"""Real Telegram update JSON, as Telegram posts it to a webhook or returns from getUpdates.

A ``TelegramPerson`` is one private-chat user; each method returns the next
update from them with a fresh ``update_id``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any

from tests.fakes.telegram_api import BOT_USER

_UPDATE_IDS: Iterator[int] = itertools.count(800_000_001)
_QUERY_IDS: Iterator[int] = itertools.count(5_550_000_000_000_000_001)


class TelegramPerson:
    """A user in a private chat with the bot (chat id == user id, as in Telegram)."""

    def __init__(
        self,
        user_id: int,
        first_name: str = "Amina",
        *,
        last_name: str | None = "Wanjiru",
        username: str | None = "amina_w",
        language_code: str | None = "en",
    ) -> None:
        self.id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            self.user["last_name"] = last_name
        if username:
            self.user["username"] = username
        if language_code:
            self.user["language_code"] = language_code
        self.chat: dict[str, Any] = {"id": user_id, "first_name": first_name, "type": "private"}
        if last_name:
            self.chat["last_name"] = last_name
        if username:
            self.chat["username"] = username
        self._message_ids = itertools.count(1)

    def message(self, text: str) -> dict[str, Any]:
        """A text message; a leading ``/command`` carries its bot_command entity."""
        body = self._message_body()
        body["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            body["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        return self._update("message", body)

    def press(self, data: str, *, message_id: int = 1000) -> dict[str, Any]:
        """A tap on an inline button under a message the bot sent."""
        query = {
            "id": str(next(_QUERY_IDS)),
            "from": self.user,
            "message": {
                "message_id": message_id,
                "from": BOT_USER,
                "chat": self.chat,
                "date": int(time.time()),
                "text": "…",
            },
            "chat_instance": "-4455667788990011223",
            "data": data,
        }
        return self._update("callback_query", query)

    def voice(self, seconds: int = 3) -> dict[str, Any]:
        body = self._message_body()
        body["voice"] = {
            "file_id": "AwACAgQAAxkBAAIBZ2VoiceFileId",
            "file_unique_id": "AgADvoice",
            "duration": seconds,
            "mime_type": "audio/ogg",
            "file_size": 12_345,
        }
        return self._update("message", body)

    def photo(self, caption: str | None = None) -> dict[str, Any]:
        body = self._message_body()
        body["photo"] = [
            {"file_id": "AgACAgQAAxkBAAIBphotoSmall", "file_unique_id": "AQADsmall",
             "width": 90, "height": 67, "file_size": 1_200},
            {"file_id": "AgACAgQAAxkBAAIBphotoLarge", "file_unique_id": "AQADlarge",
             "width": 1280, "height": 960, "file_size": 98_000},
        ]
        if caption:
            body["caption"] = caption
        return self._update("message", body)

    def location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """A shared location (the paper-clip menu, "Location")."""
        body = self._message_body()
        body["location"] = {"latitude": latitude, "longitude": longitude}
        return self._update("message", body)

    def _message_body(self) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
        }

    @staticmethod
    def _update(kind: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"update_id": next(_UPDATE_IDS), kind: body}


def group_message(user: TelegramPerson, text: str) -> dict[str, Any]:
    """The same person writing in a group the bot was added to."""
    update = user.message(text)
    update["message"]["chat"] = {"id": -1001234567890, "title": "Workers", "type": "supergroup"}
    return update
