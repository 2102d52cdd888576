"""``send_text``: the rendered payload posted as it is, Telegram's refusals as PTB's errors."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

from bot.channels.telegram import AiohttpRequest, render
from bot.channels.telegram.send import send_text
from bot.core.messages import Choice, Outbound
from tests.fakes import TOKEN, FakeTelegramAPI

CHAT = 610_000_321


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeTelegramAPI) -> AsyncIterator[ExtBot[None]]:
    """The channel's kind of bot: PTB's rate limiter (no retries here) over our transport."""
    made: ExtBot[None] = ExtBot(
        TOKEN, base_url=api.base_url, request=AiohttpRequest(),
        rate_limiter=AIORateLimiter(max_retries=0),
    )  # fmt: skip
    async with made:
        yield made


async def test_the_rendered_message_arrives_with_its_keyboard(
    bot: ExtBot[None], api: FakeTelegramAPI
) -> None:
    [part] = render(Outbound("Chagua lugha:", (Choice("lang:en", "English"),)))
    await send_text(bot, CHAT, part)
    [sent] = api.calls_to("sendMessage")
    assert sent["chat_id"] == CHAT
    assert sent["text"] == "Chagua lugha:"
    markup = sent["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    assert markup == {"inline_keyboard": [[{"text": "English", "callback_data": "lang:en"}]]}


@pytest.mark.parametrize(
    ("status", "error"), [(403, Forbidden), (400, BadRequest), (429, RetryAfter)]
)
async def test_a_refusal_raises_ptbs_error_as_send_message_would(
    bot: ExtBot[None], api: FakeTelegramAPI, status: int, error: type[Exception]
) -> None:
    [part] = render(Outbound("Hello"))
    api.fail_next("sendMessage", status, retry_after=1 if status == 429 else None)
    with pytest.raises(error):
        await send_text(bot, CHAT, part)
    assert api.calls_to("sendMessage") == []


def test_a_keyboard_is_rendered_once_per_set_of_labels_never_across_languages() -> None:
    english = (Choice("guides", "📚 Guides"), Choice("sos", "🆘 Help now"))
    swahili = (Choice("guides", "📚 Miongozo"), Choice("sos", "🆘 Msaada sasa"))
    [first] = render(Outbound("Menu", english))
    [again] = render(Outbound("Menu, again", english))
    [other] = render(Outbound("Menyu", swahili))
    assert again.reply_markup is first.reply_markup  # built once, shared
    assert again.reply_markup_json == first.reply_markup_json
    assert other.reply_markup is not first.reply_markup
    assert other.reply_markup_json is not None and "Miongozo" in other.reply_markup_json
    assert first.reply_markup_json is not None and "Miongozo" not in first.reply_markup_json
