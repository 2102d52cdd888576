"""Signed-in requests with hostile query strings get a 4xx or an ordinary page, never a 500.

Run over SQLite, where a 64-bit overflow or a lone surrogate reaches the
database driver (the in-memory store would shrug both off).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.api import mount_api
from bot.web.portal import mount_portal
from recruiter_reports.stakeholders import Role
from recruiter_reports.stores.sqlite import SQLiteStore
from tests.fakes.clock import FakeClock
from tests.integration.portal.conftest import START, Portal, build_context

PAGES = ["/portal/admin/audit", "/portal/agencies", "/portal/overview",
         "/portal/agencies/KE-EX-KE-0001", "/portal/export.csv", "/portal/export.json",
         "/api/v1/recruiters", "/api/v1/overview", "/api/v1/recruiters/KE-EX-KE-0001"]  # fmt: skip
HOSTILE = [
    "page=9223372036854775807", "page=-9223372036854775809", "page=1e309", "page=%00",
    "q=%ED%A0%80", "q=%FF%FE", "origin=%ED%A0%80", "destination=" + "Q" * 5000,
    "sort=__class__", "status=%0A%0D", "q=" + "[" * 5000, "origin=KE&origin=QA&origin=",
]


@pytest.fixture
async def sqlite_portal(tmp_path: Path) -> AsyncIterator[Portal]:
    clock = FakeClock(START)
    store = SQLiteStore(tmp_path / "portal.sqlite3", now=clock)
    await store.open()
    ctx = build_context(store, clock)  # type: ignore[arg-type]
    app = web.Application()
    mount_portal(app, ctx)
    mount_api(app, ctx)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield Portal(client, ctx, store, clock)  # type: ignore[arg-type]
    finally:
        await client.close()
        await store.close()


async def test_hostile_queries_on_every_page_get_4xx_or_a_page(sqlite_portal: Portal) -> None:
    portal = sqlite_portal
    key = await portal.add("Admin", Role.ADMIN, ["KE"])
    assert (await portal.login(key)).status == 303
    failures = []
    for path, query in itertools.product(PAGES, HOSTILE):
        headers = portal.api("Admin") if path.startswith("/api/") else {}
        response = await portal.client.get(f"{path}?{query}", headers=headers,
                                           allow_redirects=False)  # fmt: skip
        if response.status >= 500:
            failures.append((path, query, response.status))
    assert failures == []
    huge = await portal.client.get("/portal/admin/audit?page=9223372036854775807")
    assert huge.status == 400 and "no page" in await huge.text()
    assert (await portal.client.get("/portal/admin/audit?page=1")).status == 200
