"""The same update 20 times at once: exactly one answer, and every copy gets a fitting status.

Telegram: while the first copy is being answered the others are told to come
back (503 with Retry-After); once it is answered, every retry is a repeat
(200, nothing sent). WhatsApp: one copy is answered, the others are repeats.
Both over real HTTP on 127.0.0.1, against the fake platform APIs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.channels.whatsapp import PATH, WhatsAppChannel, sign
from bot.services import build_services
from bot.settings import load_settings
from bot.web.app import CHANNELS_ON, build_app
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.fakes.graph_api import FakeGraphAPI, notification, text
from tests.reliability.served_bot import ServedBot

pytestmark = pytest.mark.reliability

COPIES = 20


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(tmp_path: Path, api: FakeTelegramAPI) -> AsyncIterator[ServedBot]:
    served = ServedBot(tmp_path, api)
    await served.start()
    yield served
    await served.stop()


async def test_twenty_copies_of_a_telegram_update_get_one_answer(
    bot: ServedBot, api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(700_200_001)
    assert (await bot.post(person.message("/start")))[0] == 200
    assert (await bot.post(person.press("lang:en")))[0] == 200
    sos = person.message("/sos")
    before = len(api.sent_texts())

    api.hold("sendMessage")  # the first copy is mid-answer while the others arrive
    first = asyncio.create_task(bot.post(sos))
    await api.wait_holding()
    others = await asyncio.gather(*(bot.post(sos) for _ in range(COPIES - 1)))
    assert {status for status, _ in others} == {503}
    assert all(headers.get("Retry-After") for _, headers in others)
    api.release()
    assert (await first)[0] == 200
    answer = api.sent_texts()[before:]
    assert answer

    # Telegram retries the 19: all repeats now, and nothing more is sent.
    retries = await asyncio.gather(*(bot.post(sos) for _ in range(COPIES - 1)))
    assert {status for status, _ in retries} == {200}
    assert api.sent_texts()[before:] == answer
    metrics = await bot.metrics()
    assert f'bot_busy_total{{channel="telegram"}} {COPIES - 1}' in metrics
    assert f'bot_duplicates_total{{channel="telegram"}} {COPIES - 1}' in metrics


async def test_twenty_copies_arriving_at_once_get_one_answer(
    bot: ServedBot, api: FakeTelegramAPI
) -> None:
    person = TelegramPerson(700_200_002)
    start = person.message("/start")
    statuses = [status for status, _ in
                await asyncio.gather(*(bot.post(start) for _ in range(COPIES)))]
    assert statuses.count(200) >= 1 and set(statuses) <= {200, 503}
    while 503 in statuses:  # Telegram's retries of those told to come back
        statuses = [(await bot.redeliver(start)) for _ in range(statuses.count(503))]
    assert len(api.calls_to("sendMessage")) == 2  # the welcome and the languages, once


APP_SECRET = "storm-app-secret-0123456789"
WA_ID = "254712345600"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as fake:
        yield fake


async def test_twenty_copies_of_a_whatsapp_message_get_one_answer(
    tmp_path: Path, graph: FakeGraphAPI
) -> None:
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}", PSEUDONYM_KEY="k" * 40,
        WHATSAPP_ACCESS_TOKEN=graph.token, WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
        WHATSAPP_APP_SECRET=APP_SECRET, WHATSAPP_VERIFY_TOKEN="verify",
        WHATSAPP_API_BASE_URL=graph.base_url,
    )
    services = await build_services(settings)
    app = build_app(services)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}{PATH}"
    body = json.dumps(notification(text(WA_ID, "hi"))).encode()
    headers = {"Content-Type": "application/json",
               "X-Hub-Signature-256": sign(body, APP_SECRET)}
    try:
        async with aiohttp.ClientSession() as session:

            async def post() -> int:
                async with session.post(url, data=body, headers=headers) as response:
                    return response.status

            statuses = await asyncio.gather(*(post() for _ in range(COPIES)))
        channel = app[CHANNELS_ON]["whatsapp"]
        assert isinstance(channel, WhatsAppChannel)
        await channel.drain()
        assert set(statuses) == {200}
        assert len(graph.sent) == 2  # the welcome and the languages, once
        assert channel.stats["duplicates"] == COPIES - 1
    finally:
        await runner.cleanup()
        await services.close()
