"""Repeats are caught in the store, and still inside this worker while the store is down."""

from __future__ import annotations

import datetime as dt

from bot.channels.telegram import Deliveries
from recruiter_reports.stores import MemoryStore, StoreUnavailable


class _DownStore:
    async def first_delivery(self, key: str, expires_at: dt.datetime) -> bool:
        raise StoreUnavailable("down")


async def test_the_store_decides_first_delivery() -> None:
    deliveries = Deliveries(MemoryStore())
    assert await deliveries.first("telegram:1") is True
    assert await deliveries.first("telegram:1") is False
    assert await deliveries.first("telegram:2") is True


async def test_while_the_store_is_down_repeats_are_caught_in_memory() -> None:
    deliveries = Deliveries(_DownStore(), memory=2)
    assert await deliveries.first("telegram:1") is True
    assert await deliveries.first("telegram:1") is False
    assert await deliveries.first("telegram:2") is True
    assert await deliveries.first("telegram:3") is True
    # The memory is bounded: the oldest id is forgotten, so it counts as new again.
    assert await deliveries.first("telegram:1") is True
