"""What only MongoDB needs: its indexes, two workers sharing accounts, outages, and the real app.

Runs over the test session's wire server, each test in a database of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.services import build_services
from bot.settings import load_settings
from bot.web.app import build_app
from bot.web.portal import PORTAL
from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.stakeholders import Role, new_account
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.mongodb import MongoDBStore
from recruiter_reports.stores.mongodb_schema import (
    LOGIN_FAILURES,
    PORTAL_SESSIONS,
    STAKEHOLDER_ACCOUNTS,
)
from recruiter_reports.stores.stakeholder_port import PortalSession, stakeholder_store_for
from recruiter_reports.stores.stakeholders_mongodb import (
    DEFAULT_SESSION_LIFETIME,
    MongoDBStakeholderStore,
)
from tests.integration.portal.conftest import FAST_HASHER
from tests.integration.stores.mongo_server import database_name, shared_wire_server

NOW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)
OpenStore = Callable[[], MongoDBStore]


@pytest.fixture
async def worker(request: pytest.FixtureRequest) -> AsyncIterator[OpenStore]:
    """Makes stores (workers) over one empty database of this test's own; closes them after."""
    uri = shared_wire_server(request.config).uri
    name = database_name(request)
    opened: list[MongoDBStore] = []

    def make() -> MongoDBStore:
        store = MongoDBStore(uri, lambda: NOW, database=name)
        opened.append(store)
        return store

    first = make()
    await first.open()
    await (await first._ready()).client.drop_database(name)
    try:
        yield make
    finally:
        database = await first._ready()
        await database.client.drop_database(name)
        for store in opened:
            await store.close()


async def _indexes(store: MongoDBStore, collection: str) -> dict[str, dict[str, object]]:
    database = await store._ready()
    return {index["name"]: index async for index in await database[collection].list_indexes()}


async def test_indexes_expire_sessions_and_keep_key_ids_unique(worker: OpenStore) -> None:
    store = worker()
    await store.open()
    sessions = await _indexes(store, PORTAL_SESSIONS)
    assert sessions["portal_sessions_purge_ttl"]["expireAfterSeconds"] == 0
    assert dict(sessions["portal_sessions_purge_ttl"]["key"]) == {"purge_at": 1}  # type: ignore[call-overload]
    assert dict(sessions["portal_sessions_account"]["key"]) == {"account_id": 1}  # type: ignore[call-overload]
    accounts = await _indexes(store, STAKEHOLDER_ACCOUNTS)
    assert accounts["stakeholder_accounts_key_id"]["unique"] is True
    failures = await _indexes(store, LOGIN_FAILURES)
    assert failures["login_failures_purge_ttl"]["expireAfterSeconds"] == 0
    assert dict(failures["login_failures_source"]["key"]) == {"source": 1, "at": 1}  # type: ignore[call-overload]


async def test_a_session_is_purged_its_lifetime_after_login_by_the_wall_clock(
    worker: OpenStore,
) -> None:
    store = worker()
    await store.open()
    before = dt.datetime.now(dt.UTC) - dt.timedelta(milliseconds=1)  # BSON keeps milliseconds
    await MongoDBStakeholderStore(store).save_portal_session(
        PortalSession("h1", "acct-1", "csrf", NOW, NOW))
    database = await store._ready()
    stored = await database[PORTAL_SESSIONS].find_one({"_id": "h1"})
    assert stored is not None
    assert before + DEFAULT_SESSION_LIFETIME <= stored["purge_at"]
    assert stored["purge_at"] <= dt.datetime.now(dt.UTC) + DEFAULT_SESSION_LIFETIME


async def test_two_workers_share_accounts_revocations_and_one_audit_order(
    worker: OpenStore,
) -> None:
    one, two = worker(), worker()
    await one.open()
    await two.open()
    left, right = stakeholder_store_for(one), stakeholder_store_for(two)
    account, _ = new_account("Ann", Role.OFFICIAL, ["KE"], NOW, FAST_HASHER)
    await left.add_account(account)
    assert await right.account_by_key_id(account.key_id) == account
    await right.save_portal_session(PortalSession("h1", account.id, "c", NOW, NOW))
    assert await left.revoke(account.id, NOW)
    assert await right.portal_session("h1") is None
    for n in range(6):
        await (left if n % 2 else right).append_audit(
            AuditEntry(NOW, account.id, AuditAction.PAGE_VIEW, f"/p/{n}"))
    assert [e.target for e in await right.audit_entries()] == [f"/p/{n}" for n in range(5, -1, -1)]


async def test_a_closed_store_reports_the_outage(worker: OpenStore) -> None:
    store = worker()
    await store.open()
    stakeholders = stakeholder_store_for(store)
    await store.close()
    with pytest.raises(StoreUnavailable):
        await stakeholders.account_by_key_id("0123456789ab")
    with pytest.raises(StoreUnavailable):
        await stakeholders.append_audit(AuditEntry(NOW, None, AuditAction.LOGIN_FAILED, "x"))


async def test_the_app_on_mongodb_serves_the_api_and_audits_the_call(
    request: pytest.FixtureRequest,
) -> None:
    server = shared_wire_server(request.config)
    name = database_name(request)
    settings = load_settings(
        STORE_URL=f"mongodb://127.0.0.1:{server.port}/{name}?directConnection=true",
        PSEUDONYM_KEY="mongodb-api-test-pseudonym-key-0123456789abcdef",
        MIN_REPORTERS=5,
    )
    services = await build_services(settings)
    client = TestClient(TestServer(build_app(services)))
    try:
        await client.start_server()
        ctx = client.app[PORTAL]
        official, issued = new_account("Kenya Official", Role.OFFICIAL, ["KE"],
                                       dt.datetime.now(dt.UTC), FAST_HASHER)  # fmt: skip
        await ctx.stakeholders.add_account(official)
        response = await client.get(
            "/api/v1/recruiters", headers={"Authorization": f"Bearer {issued.key}"})
        assert response.status == 200, await response.text()
        body = await response.json()
        assert body["min_reporters"] == 5
        assert body["recruiters"], "the Kenyan registry's agencies are listed"
        refused = await client.get(
            "/api/v1/recruiters", headers={"Authorization": "Bearer rr_000000000000_" + "x" * 43})
        assert refused.status == 401
        login = await client.get("/portal/login")
        assert login.status == 200
        audited = await stakeholder_store_for(services.store).audit_entries()
        assert (official.id, AuditAction.API_CALL) in {(e.account_id, e.action) for e in audited}
    finally:
        await client.close()
        store = services.store
        assert isinstance(store, MongoDBStore)
        await (await store._ready()).client.drop_database(name)
        await services.close()
