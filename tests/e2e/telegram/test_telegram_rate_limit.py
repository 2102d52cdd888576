"""The Bot API call in a webhook answer waits its turn in PTB's rate limiter like a sent one.

Telegram counts it against the bot's flood limits, and a refusal of it would go
unseen (nobody reads Telegram's answer to it), so while the limiter holds calls
(the overall rate, or a ``RetryAfter`` being waited out) the answer waits too.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import pytest
from telegram.ext import AIORateLimiter

from bot.channels.telegram import channel as telegram_channel
from bot.settings import Settings
from tests.e2e.telegram.conftest import StartServer
from tests.fakes import FakeTelegramAPI, TelegramPerson


class _HeldLimiter(AIORateLimiter):
    """PTB's limiter, recording what it is asked to pass and able to hold everything."""

    seen: ClassVar[list[tuple[str, dict[str, Any]]]] = []
    open: ClassVar[asyncio.Event] = asyncio.Event()

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any],
                              endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:  # fmt: skip
        self.seen.append((endpoint, dict(data)))
        await self.open.wait()
        return await super().process_request(callback, args, kwargs, endpoint, data,
                                              rate_limit_args)  # fmt: skip


@pytest.fixture
def limiter(monkeypatch: pytest.MonkeyPatch) -> type[_HeldLimiter]:
    _HeldLimiter.seen = []
    _HeldLimiter.open = asyncio.Event()
    _HeldLimiter.open.set()
    monkeypatch.setattr(telegram_channel, "AIORateLimiter", _HeldLimiter)
    return _HeldLimiter


async def test_a_reply_in_the_webhook_answer_waits_while_the_limiter_holds(
    start_server: StartServer, settings: Settings, telegram_api: FakeTelegramAPI,
    limiter: type[_HeldLimiter],
) -> None:  # fmt: skip
    server = await start_server(settings)
    person = TelegramPerson(503_330_101)
    assert await server.post_update(person.message("/start")) == 200
    assert await server.post_update(person.press("lang:en")) == 200
    sent = len(telegram_api.calls_to("sendMessage"))

    limiter.open.clear()  # flood control: every call waits
    limiter.seen.clear()
    answered = asyncio.create_task(server.post_update(person.message("passport")))
    await asyncio.sleep(0.3)
    assert not answered.done()  # the answer waits for its turn like a sent message
    assert ("sendMessage", {"chat_id": person.id}) in limiter.seen
    limiter.open.set()
    assert await answered == 200
    [reply] = telegram_api.calls_to("sendMessage")[sent:]  # made by "Telegram" from the answer
    assert "passport" in reply["text"].lower()


async def test_a_button_press_answer_and_its_reply_in_the_webhook_answer_pass_the_limiter(
    start_server: StartServer, settings: Settings, telegram_api: FakeTelegramAPI,
    limiter: type[_HeldLimiter],
) -> None:  # fmt: skip
    server = await start_server(settings)
    person = TelegramPerson(503_330_102)
    assert await server.post_update(person.message("/start")) == 200
    limiter.seen.clear()
    press = person.press("lang:en")
    assert await server.post_update(press) == 200
    query_id = press["callback_query"]["id"]
    assert ("answerCallbackQuery", {"callback_query_id": query_id}) in limiter.seen
    assert ("sendMessage", {"chat_id": person.id}) in limiter.seen  # the reply, in the answer
    assert [c["callback_query_id"] for c in telegram_api.calls_to("answerCallbackQuery")] == [
        query_id
    ]


async def test_a_press_without_a_chat_is_answered_in_the_webhook_answer_through_the_limiter(
    start_server: StartServer, settings: Settings, telegram_api: FakeTelegramAPI,
    limiter: type[_HeldLimiter],
) -> None:  # fmt: skip
    """A press on an inline message has no chat to reply in: only its spinner is stopped."""
    server = await start_server(settings)
    press = {
        "update_id": 90_000_001,
        "callback_query": {
            "id": "press-without-chat", "data": "menu", "inline_message_id": "inline-1",
            "from": {"id": 503_330_103, "is_bot": False, "first_name": "A"},
        },
    }  # fmt: skip
    assert await server.post_update(press) == 200
    assert ("answerCallbackQuery", {"callback_query_id": "press-without-chat"}) in limiter.seen
    assert [c["callback_query_id"] for c in telegram_api.calls_to("answerCallbackQuery")] == [
        "press-without-chat"
    ]
    assert telegram_api.calls_to("sendMessage") == []
