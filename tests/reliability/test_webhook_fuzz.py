"""A bounded, seeded fuzzer over both webhooks: thousands of hostile bodies, no server error.

The bodies are correctly authenticated (Telegram's secret token, Meta's
signature), so they reach the parsers and the engine. Every answer must be a
2xx or a 4xx, no handler may log an unhandled exception, and afterwards the
bot still answers a real person on each channel.
"""

from __future__ import annotations

import logging
import os
import random
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.channels.whatsapp import PATH as WHATSAPP_PATH
from bot.channels.whatsapp import sign
from tests.e2e.telegram.conftest import SECRET, BotServer, StartServer, bot_settings
from tests.e2e.whatsapp.conftest import whatsapp_channel
from tests.fakes import FakeTelegramAPI, TelegramPerson
from tests.fakes.graph_api import FakeGraphAPI, notification, text
from tests.reliability.rating_chat import sos
from tests.reliability.webhook_payloads import payloads, telegram_shapes, whatsapp_shapes

pytestmark = pytest.mark.reliability

SEED = 20_261_201
PER_CHANNEL = int(os.environ.get("FUZZ_PER_CHANNEL", "1000"))
APP_SECRET = "app-secret-for-fuzzing-0123456789"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        yield api


@pytest.fixture
async def server(
    tmp_path: Path, telegram_api: FakeTelegramAPI, graph: FakeGraphAPI,
    start_server: StartServer,
) -> BotServer:  # fmt: skip
    settings = bot_settings(
        tmp_path, telegram_api,
        WHATSAPP_ACCESS_TOKEN=graph.token, WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
        WHATSAPP_APP_SECRET=APP_SECRET, WHATSAPP_VERIFY_TOKEN="verify-token",
        WHATSAPP_API_BASE_URL=graph.base_url,
    )  # fmt: skip
    return await start_server(settings)


def unhandled(records: list[logging.LogRecord]) -> list[str]:
    return [f"{r.name}: {r.getMessage()[:200]}" for r in records
            if r.levelno >= logging.ERROR and r.exc_info]  # fmt: skip


async def test_thousands_of_hostile_bodies_get_no_server_error(
    server: BotServer, telegram_api: FakeTelegramAPI, graph: FakeGraphAPI,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.WARNING)
    rng = random.Random(SEED)
    statuses: Counter[tuple[str, int]] = Counter()
    failures: list[tuple[str, int, bytes]] = []
    async with aiohttp.ClientSession() as session:
        for body in payloads(rng, PER_CHANNEL, telegram_shapes):
            async with session.post(
                f"{server.url}/webhooks/telegram", data=body,
                headers={"Content-Type": "application/json",
                         "X-Telegram-Bot-Api-Secret-Token": SECRET},
            ) as response:  # fmt: skip
                statuses["telegram", response.status] += 1
                if response.status >= 500:
                    failures.append(("telegram", response.status, body[:300]))
        ours = graph.phone_number_id
        for body in payloads(rng, PER_CHANNEL, lambda r: whatsapp_shapes(r, ours)):
            async with session.post(
                f"{server.url}{WHATSAPP_PATH}", data=body,
                headers={"Content-Type": "application/json",
                         "X-Hub-Signature-256": sign(body, APP_SECRET)},
            ) as response:  # fmt: skip
                statuses["whatsapp", response.status] += 1
                if response.status >= 500:
                    failures.append(("whatsapp", response.status, body[:300]))
    await whatsapp_channel(server.app).drain()

    assert sum(statuses.values()) >= 2_000
    assert failures == [], f"{len(failures)} server errors, first: {failures[:3]}"
    assert unhandled(caplog.records) == []
    assert statuses["telegram", 200] > 100 and statuses["whatsapp", 200] > 100  # not all refused

    # The bot still serves real people on both channels.
    person = TelegramPerson(402_990_001, language_code="en")
    assert "999" in await sos(server, telegram_api, person)
    sent = len(graph.sent)
    real = notification(text("254700000999", "/sos"), phone_number_id=ours)
    raw = aiohttp.payload.JsonPayload(real)._value  # the bytes aiohttp would send
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{server.url}{WHATSAPP_PATH}", data=raw, headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": sign(raw, APP_SECRET)}) as response:  # fmt: skip
            assert response.status == 200
    await whatsapp_channel(server.app).drain()
    assert len(graph.sent) > sent


async def test_a_membership_update_with_a_chat_id_that_is_an_object_is_refused(
    server: BotServer,
) -> None:
    """Found by the fuzzer: PTB hashed the chat id of a my_chat_member update (500)."""
    update = {"update_id": 976_823_350, "my_chat_member": {"chat": {"id": {"id": -1},
                                                                     "type": "private"}}}
    assert await server.post_update(update) == 400
