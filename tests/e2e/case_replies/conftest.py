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

import pytest

from bot.web import make_app
from bot.web.portal import PORTAL
from casework import Case
from recruiter_reports.stakeholders import Role, new_account
from tests.casework_data import CONTACT_KEY, open_case
from tests.e2e.served import ServedApp, served, served_settings, whatsapp_sends
from tests.fakes import FakeTelegramAPI
from tests.fakes.graph_api import FakeGraphAPI, text

PARTNER = "kituo-cha-sheria"
APP_SECRET = "cases-app-secret-0123456789"
WA_ID = "254712345678"
CHAT_ID = "777000111"
TEMPLATE = "case_reply_v1"


@dataclass
class Live(ServedApp):
    telegram: FakeTelegramAPI
    graph: FakeGraphAPI
    key: str

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
        settings = served_settings(
            tmp_path, "cases", telegram=telegram,
            telegram_secret="cases-webhook-secret_0123456789abcdef", graph=graph,
            app_secret=APP_SECRET, CONTACT_KEY=CONTACT_KEY,
            WHATSAPP_TEMPLATE_CASE_REPLY=template,
            WHATSAPP_TEMPLATE_LANGUAGES="en=en_US",
        )
        app = await make_app(settings)
        account, issued = new_account("Amani", Role.CASEWORKER, [], dt.datetime.now(dt.UTC),
                                      app[PORTAL].hasher, partner=PARTNER)
        await app[PORTAL].stakeholders.add_account(account)
        async with served(app) as (url, session):
            yield Live(app, url, session, telegram, graph, issued.key)
