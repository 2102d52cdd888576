"""A portal and API on a test server over an in-memory store, with a movable clock."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from argon2 import PasswordHasher

from bot.content import load_content
from bot.i18n import Catalogs
from bot.web.api import mount_api
from bot.web.followups.figures import PROMISES, PromiseFigures
from bot.web.portal import PortalConfig, PortalContext, PortalData, mount_portal
from followups import FollowupStore
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.reports import Report
from recruiter_reports.stakeholders import Role, new_account
from recruiter_reports.stores.memory import MemoryStore
from recruiter_reports.stores.stakeholder_port import stakeholder_store_for
from tests.fakes.clock import FakeClock

ROOT = Path(__file__).resolve().parents[3]
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class Portal:
    client: TestClient
    ctx: PortalContext
    store: MemoryStore
    clock: FakeClock
    keys: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    async def add(self, label: str, role: Role, countries: Iterable[str],
                  agency: str | None = None) -> str:  # fmt: skip
        partner = "kituo-cha-sheria" if role is Role.CASEWORKER else None
        if role is Role.AGENCY and agency is None:
            agency = "KE-EX-KE-0002"
        account, issued = new_account(label, role, countries, self.clock(), FAST_HASHER,
                                      partner=partner, agency=agency)
        await self.ctx.stakeholders.add_account(account)
        self.keys[label], self.ids[label] = issued.key, account.id
        return issued.key

    async def login(self, key: str) -> web.StreamResponse:
        page = await self.client.get("/portal/login")
        token = csrf_of(await page.text())
        return await self.client.post(
            "/portal/login", data={"csrf_token": token, "access_key": key},
            allow_redirects=False,
        )  # fmt: skip

    async def logout(self) -> None:
        page = await self.client.get("/portal/")  # each role's home page has the form
        token = csrf_of(await page.text())
        await self.client.post("/portal/logout", data={"csrf_token": token})

    def api(self, label: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[label]}"}

    async def report(self, recruiter_id: str, n: int, destination: str | None = "QA",
                     year: int = 2025, start: int = 0, **answers: object) -> None:
        for i in range(start, start + n):
            report = Report(
                recruiter_id=recruiter_id, origin=recruiter_id[:2], destination=destination,
                passport_kept=answers.get("passport_kept", i % 2 == 0),
                contract_substituted=answers.get("contract_substituted", i % 3 == 0),
                fee_band=answers.get("fee_band", "b2"), recommend=3,
                created_at=answers.get("created_at", dt.datetime(year, 5, 1, tzinfo=dt.UTC)),
            )  # fmt: skip
            await self.store.save_report(f"p-{recruiter_id}-{destination}-{year}-{i}", report,
                                         reporter_since=START)  # fmt: skip


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def build_context(store: MemoryStore, clock: FakeClock, k: int = 5,
                  config: PortalConfig | None = None) -> PortalContext:
    content = load_content(ROOT / "content")
    countries = {c.code: c for c in [*content.origins(), *content.destinations()]}
    data = PortalData(store, load_registries(ROOT / "content" / "recruiters"), k,
                      {"KE": ("none", "b1", "b2", "b3", "b4", "b5"),
                       "NP": ("none", "b1", "b2", "b3", "b4", "b5")},
                      countries=countries)  # fmt: skip
    return PortalContext(
        stakeholders=stakeholder_store_for(store), store=store,
        catalogs=Catalogs.load(ROOT / "locales", "en"), min_reporters=k, data=data,
        hasher=FAST_HASHER, config=config or PortalConfig(), now=clock,
    )  # fmt: skip


@contextlib.asynccontextmanager
async def open_portal(config: PortalConfig | None = None,
                      followups: FollowupStore | None = None) -> AsyncIterator[Portal]:
    """A fresh portal and API over an empty in-memory store; with ``followups``, the
    check-ins behind promise against reality, as ``serve`` sets them when they are on."""
    clock = FakeClock(START)
    store = MemoryStore(clock)
    ctx = build_context(store, clock, config=config)
    app = web.Application()
    if followups is not None:
        app[PROMISES] = PromiseFigures(followups, ctx.min_reporters)
    mount_portal(app, ctx)
    mount_api(app, ctx)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield Portal(client, ctx, store, clock)
    finally:
        await client.close()


@pytest.fixture
async def portal() -> AsyncIterator[Portal]:
    async with open_portal() as opened:
        yield opened
