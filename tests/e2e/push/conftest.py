"""The served app with Telegram and WhatsApp both on, each against its fake platform.

``push_app`` is what ``python -m bot serve`` builds (``make_app``), started on a
free port so both channels connect (getMe, setWebhook) as in production; the
push senders are read from ``app[PUSHERS]``. WhatsApp has the case-reply
template configured in two languages and no check-in template, so a test can
see both the template send and the "no template" error.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.channels.base import Pushers
from bot.channels.whatsapp import PATH, WhatsAppChannel, sign
from bot.core.messages import Inbound
from bot.settings import load_settings
from bot.web import CHANNELS_ON, SERVICES, make_app
from bot.web.app import PUSHERS
from tests.fakes import TOKEN, FakeTelegramAPI
from tests.fakes.graph_api import FakeGraphAPI, notification, text

APP_SECRET = "push-app-secret-0123456789"
SECRET = "push-webhook-secret_0123456789abcdef"
WA_ID = "254712345678"
CHAT_ID = 777000111
CASE_TEMPLATE = "case_reply_v1"


@dataclass
class PushApp:
    app: web.Application
    url: str
    session: aiohttp.ClientSession
    telegram: FakeTelegramAPI
    graph: FakeGraphAPI

    @property
    def pushers(self) -> Pushers:
        return self.app[PUSHERS]

    def pseudonym(self, channel: str, user_ref: str) -> str:
        return self.app[SERVICES].runner.pseudonym(Inbound(channel, user_ref))

    async def whatsapp_says(self, words: str, wa_id: str = WA_ID) -> None:
        """The person writes on WhatsApp (opens the window); waits until answered."""
        raw = json.dumps(notification(text(wa_id, words))).encode()
        headers = {"Content-Type": "application/json",
                   "X-Hub-Signature-256": sign(raw, APP_SECRET)}
        async with self.session.post(f"{self.url}{PATH}", data=raw, headers=headers) as reply:
            assert reply.status == 200
        channel = self.app[CHANNELS_ON]["whatsapp"]
        assert isinstance(channel, WhatsAppChannel)
        await channel.drain()


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        api.approve(CASE_TEMPLATE, "en_US", params=1)
        api.approve(CASE_TEMPLATE, "sw", params=1)
        yield api


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as api:
        yield api


@pytest.fixture
async def push_app(
    tmp_path: Path, graph: FakeGraphAPI, telegram: FakeTelegramAPI
) -> AsyncIterator[PushApp]:
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        PSEUDONYM_KEY="push-pseudonym-key-0123456789abcdef0123456789",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        WHATSAPP_ACCESS_TOKEN=graph.token,
        WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN="push-verify-token",
        WHATSAPP_API_BASE_URL=graph.base_url,
        WHATSAPP_TEMPLATE_CASE_REPLY=CASE_TEMPLATE,
        WHATSAPP_TEMPLATE_LANGUAGES="en=en_US, sw=sw",
    )
    app = await make_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    async with aiohttp.ClientSession() as session:
        yield PushApp(app, f"http://127.0.0.1:{port}", session, telegram, graph)
    await runner.cleanup()
