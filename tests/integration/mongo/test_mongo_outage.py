"""A database that stops or hangs: the store says so quickly, and recovers with nothing lost."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.mongodb import MongoDBStore
from tests.integration.stores.conftest import FakeClock
from tests.integration.stores.mongo_server import WireServer

ALICE = "a" * 64
DRAFT = {"flow": "rate_recruiter", "step": 4, "answers": {"fees_band": "50k-100k"}}


def _later(clock: FakeClock) -> dt.datetime:
    return clock() + dt.timedelta(hours=1)


async def _until_ready(store: MongoDBStore) -> None:
    """Wait, as ``/readyz`` would, until the driver has found the database again."""
    deadline = time.monotonic() + 10
    while not await store.ping():
        assert time.monotonic() < deadline, "the store did not recover"
        await asyncio.sleep(0.2)


async def test_a_stopped_database_is_reported_quickly_and_found_again_with_its_data(
    wire_server: WireServer, store_url: str, clock: FakeClock
) -> None:
    store = MongoDBStore(store_url, clock, transaction_seconds=1.5)
    await store.open()
    await store.save_session(ALICE, DRAFT, _later(clock))

    wire_server.stop()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        await store.load_session(ALICE)
    assert time.monotonic() - started < 5
    with pytest.raises(StoreUnavailable):
        await store.save_session(ALICE, {"flow": "menu"}, _later(clock))
    with pytest.raises(StoreUnavailable):
        await store.claim_delivery(
            "telegram:1", lease_until=_later(clock), expires_at=_later(clock)
        )
    with pytest.raises(StoreUnavailable):
        await store.forget(ALICE)
    assert await store.ping() is False

    wire_server.start()
    try:
        await _until_ready(store)
        assert await store.load_session(ALICE) == DRAFT
        claimed = await store.claim_delivery(
            "telegram:1", lease_until=_later(clock), expires_at=_later(clock)
        )
        assert claimed is True
    finally:
        await store.close()


async def test_a_worker_started_while_the_database_is_down_catches_up_when_it_returns(
    wire_server: WireServer, store_url: str, clock: FakeClock
) -> None:
    wire_server.stop()
    store = MongoDBStore(store_url, clock)
    with pytest.raises(StoreUnavailable):
        await store.open()
    assert await store.ping() is False
    # Many messages at once during the outage all fail, without queueing one
    # server-selection time-out behind another.
    started = time.monotonic()
    results = await asyncio.gather(
        *(store.load_session(ALICE) for _ in range(20)), return_exceptions=True
    )
    assert all(isinstance(result, StoreUnavailable) for result in results)
    assert time.monotonic() - started < 3

    wire_server.start()
    try:
        await _until_ready(store)
        await store.save_session(ALICE, DRAFT, _later(clock))
        assert await store.load_session(ALICE) == DRAFT
    finally:
        await store.close()


async def test_a_database_that_hangs_is_reported_as_unavailable(
    wire_server: WireServer, store_url: str, clock: FakeClock
) -> None:
    store = MongoDBStore(store_url, clock)
    await store.open()
    await store.save_session(ALICE, DRAFT, _later(clock))
    wire_server.hang(3)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        await store.load_session(ALICE)
    assert time.monotonic() - started < 3
    await asyncio.sleep(3)
    try:
        await _until_ready(store)
        assert await store.load_session(ALICE) == DRAFT
    finally:
        await store.close()


async def test_a_closed_store_refuses_politely(store_url: str, clock: FakeClock) -> None:
    store = MongoDBStore(store_url, clock)
    assert await store.ping() is False
    with pytest.raises(StoreUnavailable):
        await store.load_session(ALICE)
    await store.open()
    await store.close()
    with pytest.raises(StoreUnavailable):
        await store.save_session(ALICE, DRAFT, _later(clock))
