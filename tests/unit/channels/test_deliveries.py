"""The one delivery policy every channel follows: claim, complete, release, memory fallback."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.channels.base import Claim, Deliveries, PersonOrder, clean_text
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.memory import MemoryStore
from tests.fakes.clock import FakeClock

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=2)
TTL = dt.timedelta(days=2)


class _DownStore:
    """Every call fails, as a store that cannot write."""

    async def claim_delivery(self, key: str, **_: object) -> bool:
        raise StoreUnavailable("down")

    async def claim_delivery_answer(self, key: str, **_: object) -> tuple[bool, str | None]:
        raise StoreUnavailable("down")

    async def delivery_completed(self, key: str) -> bool:
        raise StoreUnavailable("down")

    async def complete_delivery(self, key: str) -> None:
        raise StoreUnavailable("down")

    async def release_delivery(self, key: str) -> None:
        raise StoreUnavailable("down")

    async def release_deliveries_of(self, owner: str) -> int:
        raise StoreUnavailable("down")


def _deliveries(store: object, **kw: object) -> Deliveries:
    return Deliveries(store, lease=LEASE, ttl=TTL, **kw)  # type: ignore[arg-type]


async def test_the_store_decides_who_handles_a_delivery() -> None:
    deliveries = _deliveries(MemoryStore())
    assert await deliveries.claim("telegram:1") is Claim.NEW
    assert await deliveries.claim("telegram:1") is Claim.BUSY  # claimed, not finished
    await deliveries.complete("telegram:1")
    assert await deliveries.claim("telegram:1") is Claim.DONE
    assert await deliveries.claim("telegram:2") is Claim.NEW


async def test_an_unfinished_claim_is_taken_over_after_the_lease_a_finished_one_never() -> None:
    clock = FakeClock(NOW)
    store = MemoryStore(now=clock)
    deliveries = _deliveries(store, clock=clock)
    assert await deliveries.claim("telegram:1") is Claim.NEW
    assert await deliveries.claim("telegram:2") is Claim.NEW
    await deliveries.complete("telegram:2")
    clock.now += dt.timedelta(minutes=3)
    assert await deliveries.claim("telegram:1") is Claim.NEW  # its worker died
    assert await deliveries.claim("telegram:2") is Claim.DONE  # answered already


async def test_a_released_claim_lets_the_retry_in_at_once() -> None:
    deliveries = _deliveries(MemoryStore())
    assert await deliveries.claim("telegram:1") is Claim.NEW
    await deliveries.release("telegram:1")
    assert await deliveries.claim("telegram:1") is Claim.NEW


async def test_a_restarted_worker_frees_what_its_dead_predecessor_held() -> None:
    store = MemoryStore()
    crashed = _deliveries(store, owner="host:8080")
    assert await crashed.claim("telegram:1") is Claim.NEW  # then kill -9
    other = _deliveries(store, owner="host:8081")
    assert await other.claim("telegram:2") is Claim.NEW
    restarted = _deliveries(store, owner="host:8080")
    assert await restarted.recover() == 1
    assert restarted.stats["recovered"] == 1
    assert await restarted.claim("telegram:1") is Claim.NEW
    assert await restarted.claim("telegram:2") is Claim.BUSY  # a live worker's claim stays


async def test_handling_completes_on_success_and_releases_when_cut_off() -> None:
    deliveries = _deliveries(MemoryStore())
    await deliveries.claim("k:1")
    async with deliveries.handling("k:1"):
        pass
    assert await deliveries.claim("k:1") is Claim.DONE
    await deliveries.claim("k:2")
    with pytest.raises(asyncio.CancelledError):
        async with deliveries.handling("k:2"):
            raise asyncio.CancelledError
    assert await deliveries.claim("k:2") is Claim.NEW


async def test_while_the_store_is_down_repeats_are_caught_in_memory() -> None:
    deliveries = _deliveries(_DownStore(), memory=2)
    assert await deliveries.claim("telegram:1") is Claim.NEW
    assert await deliveries.claim("telegram:1") is Claim.BUSY
    await deliveries.complete("telegram:1")  # logged, not raised
    assert await deliveries.claim("telegram:1") is Claim.DONE
    assert await deliveries.claim("telegram:2") is Claim.NEW
    assert await deliveries.claim("telegram:3") is Claim.NEW
    # The memory is bounded: the oldest id is forgotten, so it counts as new again.
    assert await deliveries.claim("telegram:1") is Claim.NEW
    await deliveries.release("telegram:3")
    assert await deliveries.claim("telegram:3") is Claim.NEW
    assert deliveries.stats["fallback"] == 7
    assert await deliveries.recover() == 0  # owner unnamed: nothing to recover


async def test_one_persons_messages_wait_for_each_other_others_do_not() -> None:
    order = PersonOrder()
    seen: list[str] = []

    async def turn(person: str, name: str, pause: float) -> None:
        async with order.lock(person):
            await asyncio.sleep(pause)
            seen.append(name)

    await asyncio.gather(turn("p1", "first", 0.02), turn("p1", "second", 0), turn("p2", "other", 0))
    assert seen == ["other", "first", "second"]


def test_a_lone_surrogate_is_repaired_and_valid_text_is_kept() -> None:
    assert clean_text("habari \ud83d") == ("habari \ufffd", True)
    assert clean_text("ok 😀 नमस्ते") == ("ok 😀 नमस्ते", False)
