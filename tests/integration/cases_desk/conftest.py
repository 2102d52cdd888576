"""The served app with cases on (CONTACT_KEY), over SQLite, with two partners' caseworkers.

``desk`` gives the test server, the case store and sealer, and the access
keys of a caseworker of partner A, one of partner B and an official.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.services import Services, build_services
from bot.settings import load_settings
from bot.web.app import build_app
from bot.web.portal import PORTAL
from casework import Case
from recruiter_reports.stakeholders import Role, new_account
from tests.casework_data import CONTACT_KEY, open_case

PARTNER_A = "kituo-cha-sheria"
PARTNER_B = "pourakhi"


@dataclass
class Desk:
    client: TestClient
    services: Services
    keys: dict[str, str] = field(default_factory=dict)

    def bearer(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    async def case(self, partner: str = PARTNER_A, **kw: object) -> Case:
        assert self.services.cases is not None and self.services.sealer is not None
        kw.setdefault("channel", "telegram")
        kw.setdefault("address", "777000111")
        kw.setdefault("pseudonym", "p-" + str(len(self.keys)) + str(kw.get("text", ""))[:5])
        return await open_case(self.services.cases, self.services.sealer, partner=partner,
                               **kw)  # type: ignore[arg-type]


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        PSEUDONYM_KEY="cases-pseudonym-key-0123456789abcdef0123456789",
        CONTACT_KEY=CONTACT_KEY,
    )
    services = await build_services(settings)
    app = build_app(services)
    ctx = app[PORTAL]
    found = Desk(TestClient(TestServer(app, host="127.0.0.1")), services)
    for who, role, countries, partner in (
        ("a", Role.CASEWORKER, [], PARTNER_A),
        ("b", Role.CASEWORKER, [], PARTNER_B),
        ("official", Role.OFFICIAL, ["KE"], None),
    ):
        account, issued = new_account(f"worker {who}", role, countries,
                                      dt.datetime.now(dt.UTC), ctx.hasher, partner=partner)
        await ctx.stakeholders.add_account(account)
        found.keys[who] = issued.key
    await found.client.start_server()
    try:
        yield found
    finally:
        await found.client.close()
        await services.close()
