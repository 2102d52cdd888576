"""What only the MongoDB adapter promises: indexes, expiry by TTL, transactions, options."""

from __future__ import annotations

import datetime as dt

import pytest
from pymongo import AsyncMongoClient

from recruiter_reports.stores import SchemaTooNew, open_store
from recruiter_reports.stores.mongodb import APP_NAME, MongoDBStore, client_options
from recruiter_reports.stores.mongodb_schema import SCHEMA_VERSION
from tests.integration.stores.conftest import FakeClock

ALICE = "a" * 64
BOB = "b" * 64


async def _opened(url: str, clock: FakeClock, **options: bool) -> MongoDBStore:
    store = MongoDBStore(url, clock, **options)
    await store.open()
    return store


async def _indexes(url: str, name: str, collection: str) -> dict[str, dict[str, object]]:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(url)
    try:
        info: dict[str, dict[str, object]] = await client[name][collection].index_information()
        return info
    finally:
        await client.close()


async def test_expired_sessions_and_delivery_ids_have_ttl_indexes(
    store_url: str, clock: FakeClock
) -> None:
    store = await _opened(store_url, clock)
    await store.close()
    for collection in ("sessions", "deliveries"):
        indexes = await _indexes(store_url, store.database_name, collection)
        ttl = [spec for spec in indexes.values() if "expireAfterSeconds" in spec]
        assert [(spec["key"], spec["expireAfterSeconds"]) for spec in ttl] == [
            ([("purge_at", 1)], 0)
        ], collection


async def test_two_workers_starting_together_declare_the_indexes_once(
    store_url: str, clock: FakeClock
) -> None:
    first, second = MongoDBStore(store_url, clock), MongoDBStore(store_url, clock)
    await first.open()
    await second.open()
    await first.open()
    await first.close()
    await second.close()
    indexes = await _indexes(store_url, first.database_name, "sessions")
    assert sorted(indexes) == ["_id_", "sessions_purge_ttl"]


async def test_the_database_drops_a_session_by_itself_once_it_expires(
    store_url: str, clock: FakeClock
) -> None:
    # The TTL monitor runs on the server's clock: the session must go from the
    # database itself, not only be hidden by the store's check on reading.
    store = await _opened(store_url, clock)
    await store.save_session(ALICE, {"step": 1}, clock() - dt.timedelta(seconds=1))
    await store.save_session(BOB, {"step": 1}, clock() + dt.timedelta(hours=1))
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(store_url)
    try:
        left = await client[store.database_name]["sessions"].distinct("_id")
    finally:
        await client.close()
        await store.close()
    assert left == [BOB]


async def test_the_url_names_the_database(store_url: str, clock: FakeClock) -> None:
    store = open_store(store_url, now=clock)
    assert isinstance(store, MongoDBStore)
    await store.open()
    await store.save_session(ALICE, {"step": 1}, clock() + dt.timedelta(hours=1))
    await store.close()
    assert store.database_name.startswith("contract_")
    again = MongoDBStore(store_url, clock, database=store.database_name)
    await again.open()
    try:
        assert await again.load_session(ALICE) == {"step": 1}
    finally:
        await again.close()


def test_production_defaults_are_named_and_the_url_can_override_them() -> None:
    defaults = client_options("mongodb+srv://cluster.example/bot")
    assert defaults["appName"] == APP_NAME
    assert defaults["retryWrites"] is True
    assert 1000 <= defaults["serverSelectionTimeoutMS"] <= 10_000
    overridden = client_options("mongodb://db/bot?serverselectiontimeoutms=20000&appname=ops")
    assert "serverSelectionTimeoutMS" not in overridden
    assert "appName" not in overridden


async def test_a_server_that_says_it_is_standalone_gets_no_transactions(
    store_url: str, clock: FakeClock
) -> None:
    # MongoDB has transactions only on replica sets and sharded clusters; the
    # wire server answers ``hello`` as a standalone server does.
    store = await _opened(store_url, clock)
    forced = await _opened(store_url, clock, transactions=True)
    try:
        assert (store.uses_transactions, forced.uses_transactions) == (False, True)
    finally:
        await store.close()
        await forced.close()


@pytest.mark.parametrize("transactions", [True, False], ids=["transaction", "one-by-one"])
async def test_forget_works_with_and_without_transactions(
    store_url: str, clock: FakeClock, transactions: bool
) -> None:
    store = await _opened(store_url, clock, transactions=transactions)
    try:
        await store.save_session(ALICE, {"who": "alice"}, clock() + dt.timedelta(hours=1))
        await store.save_session(BOB, {"who": "bob"}, clock() + dt.timedelta(hours=1))
        await store.forget(ALICE)
        assert await store.load_session(ALICE) is None
        assert await store.load_session(BOB) == {"who": "bob"}
    finally:
        await store.close()


async def test_a_database_from_a_newer_release_is_refused(store_url: str, clock: FakeClock) -> None:
    store = await _opened(store_url, clock)
    await store.close()
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(store_url)
    try:
        await client[store.database_name]["meta"].update_one(
            {"_id": "schema"}, {"$set": {"version": SCHEMA_VERSION + 1}}
        )
    finally:
        await client.close()
    newer = MongoDBStore(store_url, clock)
    with pytest.raises(SchemaTooNew, match="newer than this release"):
        await newer.open()
    await newer.close()
