"""``send_text``: the rendered JSON posted as it is, Telegram's refusals as PTB's errors,
PTB's rate limiter and its retries kept, and PTB's own transport still served."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.channels.telegram import AiohttpRequest, render
from bot.channels.telegram.send import send_text
from bot.core.messages import Choice, Outbound
from tests.fakes import TOKEN, FakeTelegramAPI
from tests.fakes.telegram_api import BOT_USER

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


async def test_the_body_is_the_rendered_json_itself() -> None:
    """What Telegram receives is the object a webhook answer carries, minus the method."""
    received: list[tuple[str, bytes]] = []

    async def record(request: web.Request) -> web.Response:
        received.append((request.content_type, await request.read()))
        return web.json_response({"ok": True, "result": {"message_id": 1}})

    async def me(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": BOT_USER})

    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/getMe", me)
    app.router.add_post(f"/bot{TOKEN}/sendMessage", record)
    [part] = render(Outbound("Chagua lugha:", (Choice("lang:sw", "Kiswahili"),)))
    async with TestServer(app, host="127.0.0.1") as server:
        made: ExtBot[None] = ExtBot(
            TOKEN, base_url=str(server.make_url("/bot")), request=AiohttpRequest(),
            rate_limiter=AIORateLimiter(max_retries=0),
        )  # fmt: skip
        async with made:
            await send_text(made, CHAT, part)
    [(kind, body)] = received
    assert kind == "application/json"
    assert body == part.json_body(CHAT)
    assert json.loads(body) == {
        "chat_id": CHAT,
        "text": "Chagua lugha:",
        "link_preview_options": {"is_disabled": True},
        "reply_markup": {"inline_keyboard": [[{"text": "Kiswahili", "callback_data": "lang:sw"}]]},
    }
    assert json.loads(part.webhook_answer(CHAT)) == {"method": "sendMessage", **json.loads(body)}


async def test_ptbs_rate_limiter_retries_after_flood_control(api: FakeTelegramAPI) -> None:
    [part] = render(Outbound("Piga simu 999"))
    api.fail_next("sendMessage", 429, retry_after=1)
    made: ExtBot[None] = ExtBot(
        TOKEN, base_url=api.base_url, request=AiohttpRequest(),
        rate_limiter=AIORateLimiter(max_retries=1),
    )  # fmt: skip
    async with made:
        await send_text(made, CHAT, part)
    [sent] = api.calls_to("sendMessage")
    assert sent["text"] == "Piga simu 999"


async def test_on_ptbs_own_transport_the_call_goes_as_a_form(api: FakeTelegramAPI) -> None:
    """Another transport reads the parameters as PTB's own calls give them."""
    [part] = render(Outbound("Chagua lugha:", (Choice("lang:en", "English"),)))
    made: ExtBot[None] = ExtBot(TOKEN, base_url=api.base_url, request=HTTPXRequest())
    async with made:
        await send_text(made, CHAT, part)
    [sent] = api.calls_to("sendMessage")
    assert sent["chat_id"] == CHAT
    assert sent["text"] == "Chagua lugha:"
    assert sent["link_preview_options"] == {"is_disabled": True}
    assert sent["reply_markup"] == {
        "inline_keyboard": [[{"text": "English", "callback_data": "lang:en"}]]
    }


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
