"""The served app with Telegram and WhatsApp both on, each against its fake platform.

``push_app`` is what ``python -m bot serve`` builds (``make_app``), started on a
free port so both channels connect (getMe, setWebhook) as in production; the
push senders are read from ``app[PUSHERS]``. WhatsApp has the case-reply
template configured in two languages and no check-in template, so a test can
see both the template send and the "no template" error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.channels.base import Pushers
from bot.web import make_app
from bot.web.app import PUSHERS
from tests.e2e.served import ServedApp, served, served_settings, whatsapp_sends
from tests.fakes import FakeTelegramAPI
from tests.fakes.graph_api import FakeGraphAPI, text

APP_SECRET = "push-app-secret-0123456789"
SECRET = "push-webhook-secret_0123456789abcdef"
WA_ID = "254712345678"
CHAT_ID = 777000111
CASE_TEMPLATE = "case_reply_v1"


@dataclass
class PushApp(ServedApp):
    telegram: FakeTelegramAPI
    graph: FakeGraphAPI

    @property
    def pushers(self) -> Pushers:
        return self.app[PUSHERS]

    async def whatsapp_says(self, words: str, wa_id: str = WA_ID) -> None:
        """The person writes on WhatsApp (opens the window); waits until answered."""
        await whatsapp_sends(self.session, self.url, self.app, text(wa_id, words), APP_SECRET)


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
    settings = served_settings(
        tmp_path, "push", telegram=telegram, telegram_secret=SECRET, graph=graph,
        app_secret=APP_SECRET,
        WHATSAPP_TEMPLATE_CASE_REPLY=CASE_TEMPLATE,
        WHATSAPP_TEMPLATE_LANGUAGES="en=en_US, sw=sw",
    )
    app = await make_app(settings)
    async with served(app) as (url, session):
        yield PushApp(app, url, session, telegram, graph)
