"""A real bot (engine, content, SQLite store) behind the WhatsApp webhook, and a fake Graph API.

``phone`` plays a person on WhatsApp: it posts signed webhooks the way Meta
does and returns what the fake Graph API received in answer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.whatsapp import PATH, WhatsAppChannel, sign
from bot.services import Services, build_services
from bot.settings import load_settings
from bot.web.app import CHANNELS_ON, build_app
from tests.fakes.graph_api import FakeGraphAPI, notification, tap, text

APP_SECRET = "app-secret-for-tests-0123456789"
VERIFY_TOKEN = "verify-token-for-tests"
WA_ID = "254712345678"


def whatsapp_channel(app: web.Application) -> WhatsAppChannel:
    channel = app[CHANNELS_ON]["whatsapp"]
    assert isinstance(channel, WhatsAppChannel)
    return channel


class Phone:
    """One person writing to the bot on WhatsApp."""

    def __init__(self, client: TestClient, api: FakeGraphAPI, app: web.Application,
                 wa_id: str = WA_ID) -> None:
        self.client = client
        self.api = api
        self.app = app
        self.wa_id = wa_id

    async def post(self, payload: dict[str, Any], signature: str | None = "valid") -> int:
        """POST a webhook body; wait until the bot is done answering; the HTTP status."""
        raw = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "valid":
            headers["X-Hub-Signature-256"] = sign(raw, APP_SECRET)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        response = await self.client.post(PATH, data=raw, headers=headers)
        await whatsapp_channel(self.app).drain()
        return response.status

    async def deliver(self, *messages: dict[str, Any]) -> list[dict[str, Any]]:
        """Deliver messages and return the replies the bot sent."""
        before = len(self.api.sent)
        status = await self.post(notification(*messages))
        assert status == 200
        return self.api.sent[before:]

    async def say(self, words: str) -> list[dict[str, Any]]:
        return await self.deliver(text(self.wa_id, words))

    async def tap(self, choice_id: str, *, row: bool = False) -> list[dict[str, Any]]:
        return await self.deliver(tap(self.wa_id, choice_id, row=row))


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        yield api


@pytest.fixture
async def services(tmp_path: Path, graph: FakeGraphAPI) -> AsyncIterator[Services]:
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        PSEUDONYM_KEY="k" * 40,
        WHATSAPP_ACCESS_TOKEN=graph.token,
        WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_API_BASE_URL=graph.base_url,
    )
    built = await build_services(settings)
    yield built
    await built.close()


@pytest.fixture
async def app(services: Services) -> web.Application:
    """The served app, as ``python -m bot serve`` builds it."""
    application = build_app(services)
    assert "whatsapp" in application[CHANNELS_ON], "build_app mounts WhatsApp when configured"
    return application


@pytest.fixture
async def client(app: web.Application) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client


@pytest.fixture
def phone(client: TestClient, graph: FakeGraphAPI, app: web.Application,
          caplog: pytest.LogCaptureFixture) -> Phone:
    caplog.set_level(logging.DEBUG)
    return Phone(client, graph, app)
