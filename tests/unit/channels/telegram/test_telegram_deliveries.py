"""Repeats are caught in the store, and still inside this worker while the store is down."""

from __future__ import annotations

import datetime as dt

from bot.channels.telegram import Deliveries
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.memory import MemoryStore

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class _Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


class _DownStore:
    async def claim_delivery(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime
    ) -> bool:
        raise StoreUnavailable("down")

    async def complete_delivery(self, key: str) -> None:
        raise StoreUnavailable("down")

    async def release_delivery(self, key: str) -> None:
        raise StoreUnavailable("down")


async def test_the_store_decides_who_handles_an_update() -> None:
    deliveries = Deliveries(MemoryStore())
    assert await deliveries.claim("telegram:1") is True
    assert await deliveries.claim("telegram:1") is False
    assert await deliveries.claim("telegram:2") is True


async def test_an_unfinished_claim_is_taken_over_after_the_lease_a_finished_one_never() -> None:
    clock = _Clock()
    store = MemoryStore(now=clock)
    deliveries = Deliveries(store, clock=clock)
    assert await deliveries.claim("telegram:1") is True
    assert await deliveries.claim("telegram:2") is True
    await deliveries.complete("telegram:2")
    clock.now += dt.timedelta(minutes=3)
    assert await deliveries.claim("telegram:1") is True  # its worker died
    assert await deliveries.claim("telegram:2") is False  # answered already


async def test_a_released_claim_lets_the_retry_in_at_once() -> None:
    deliveries = Deliveries(MemoryStore())
    assert await deliveries.claim("telegram:1") is True
    await deliveries.release("telegram:1")
    assert await deliveries.claim("telegram:1") is True


async def test_while_the_store_is_down_repeats_are_caught_in_memory() -> None:
    deliveries = Deliveries(_DownStore(), memory=2)
    assert await deliveries.claim("telegram:1") is True
    assert await deliveries.claim("telegram:1") is False
    await deliveries.complete("telegram:1")  # logged, not raised
    assert await deliveries.claim("telegram:2") is True
    assert await deliveries.claim("telegram:3") is True
    # The memory is bounded: the oldest id is forgotten, so it counts as new again.
    assert await deliveries.claim("telegram:1") is True
    await deliveries.release("telegram:3")
    assert await deliveries.claim("telegram:3") is True
