"""The served app with cases on and both channels against their fakes: replies end to end.

A caseworker of ``PARTNER`` answers through the real API; the delivery loop
running inside the app pushes to the fake Bot API or Graph API. ``template``
(a parametrisable fixture) says whether WhatsApp has its case-reply template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.core.messages import Inbound
from bot.services import Services
from bot.settings import load_settings
from bot.web import SERVICES, make_app
from bot.web.portal import PORTAL
from casework import Case
from recruiter_reports.stakeholders import Role, new_account
from tests.casework_data import CONTACT_KEY, open_case
from tests.e2e.served import served, whatsapp_sends
from tests.fakes import TOKEN, FakeTelegramAPI
from tests.fakes.graph_api import FakeGraphAPI, text

PARTNER = "kituo-cha-sheria"
APP_SECRET = "cases-app-secret-0123456789"
WA_ID = "254712345678"
CHAT_ID = "777000111"
TEMPLATE = "case_reply_v1"


@dataclass
class Live:
    app: web.Application
    url: str
    session: aiohttp.ClientSession
    telegram: FakeTelegramAPI
    graph: FakeGraphAPI
    key: str

    @property
    def services(self) -> Services:
        return self.app[SERVICES]

    def pseudonym(self, channel: str, user: str) -> str:
        return self.services.runner.pseudonym(Inbound(channel, user))

    async def case(self, channel: str, address: str, **kw: Any) -> Case:
        assert self.services.cases is not None and self.services.sealer is not None
        return await open_case(self.services.cases, self.services.sealer, partner=PARTNER,
                               channel=channel, address=address,
                               pseudonym=self.pseudonym(channel, address), **kw)

    async def api(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.key}"}
        async with self.session.request(method, f"{self.url}/api/v1{path}", json=body,
                                        headers=headers) as response:
            return response.status, await response.json()

    async def reply(self, case: Case, words: str) -> str:
        status, body = await self.api("POST", f"/cases/{case.id}/reply", {"text": words})
        assert status == 202, body
        return str(body["id"])

    async def whatsapp_says(self, words: str) -> None:
        await whatsapp_sends(self.session, self.url, self.app, text(WA_ID, words), APP_SECRET)



@pytest.fixture
def template() -> str | None:
    return TEMPLATE


@pytest.fixture
async def live(tmp_path: Path, template: str | None) -> AsyncIterator[Live]:
    async with FakeTelegramAPI() as telegram, FakeGraphAPI() as graph:
        graph.approve(TEMPLATE, "en_US", params=1)
        settings = load_settings(
            STORE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            PSEUDONYM_KEY="cases-e2e-pseudonym-key-0123456789abcdef01234",
            CONTACT_KEY=CONTACT_KEY,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_WEBHOOK_SECRET="cases-webhook-secret_0123456789abcdef",
            TELEGRAM_API_BASE_URL=telegram.base_url,
            WHATSAPP_ACCESS_TOKEN=graph.token,
            WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id,
            WHATSAPP_APP_SECRET=APP_SECRET,
            WHATSAPP_VERIFY_TOKEN="cases-verify-token",
            WHATSAPP_API_BASE_URL=graph.base_url,
            WHATSAPP_TEMPLATE_CASE_REPLY=template,
            WHATSAPP_TEMPLATE_LANGUAGES="en=en_US",
        )
        app = await make_app(settings)
        account, issued = new_account("Amani", Role.CASEWORKER, [], dt.datetime.now(dt.UTC),
                                      app[PORTAL].hasher, partner=PARTNER)
        await app[PORTAL].stakeholders.add_account(account)
        async with served(app) as (url, session):
            yield Live(app, url, session, telegram, graph, issued.key)
