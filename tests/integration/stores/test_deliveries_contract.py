"""The deliveries contract (claim, complete, release): every adapter must pass all of it.

The channels rely on it to handle a platform's redelivered message once.
"""

from __future__ import annotations

import asyncio

from recruiter_reports.stores import DeliveryStore

from .conftest import FakeClock
from .contract_data import (
    claim,
    later,
)


async def test_a_delivery_is_claimed_once_while_its_lease_runs(
    store: DeliveryStore, clock: FakeClock
) -> None:
    assert await claim(store, clock, "telegram:5001") is True
    assert await claim(store, clock, "telegram:5001") is False
    clock.advance(seconds=59)
    assert await claim(store, clock, "telegram:5001") is False
    assert await claim(store, clock, "telegram:5002") is True
    assert await claim(store, clock, "whatsapp:5001") is True


async def test_a_claim_whose_worker_died_is_claimed_again_after_its_lease(
    store: DeliveryStore, clock: FakeClock
) -> None:
    assert await claim(store, clock, "telegram:5003") is True
    clock.advance(minutes=1)
    assert await claim(store, clock, "telegram:5003") is True
    # The new claim has its own lease.
    assert await claim(store, clock, "telegram:5003") is False


async def test_a_completed_delivery_is_never_claimed_again_before_it_expires(
    store: DeliveryStore, clock: FakeClock
) -> None:
    assert await claim(store, clock, "telegram:5004") is True
    await store.complete_delivery("telegram:5004")
    assert await claim(store, clock, "telegram:5004") is False
    clock.advance(hours=23)
    assert await claim(store, clock, "telegram:5004") is False
    # Releasing a handled delivery does not let it in twice.
    await store.release_delivery("telegram:5004")
    assert await claim(store, clock, "telegram:5004") is False


async def test_a_released_claim_lets_the_retry_through_at_once(
    store: DeliveryStore, clock: FakeClock
) -> None:
    assert await claim(store, clock, "telegram:5005") is True
    await store.release_delivery("telegram:5005")
    assert await claim(store, clock, "telegram:5005") is True
    assert await claim(store, clock, "telegram:5005") is False


async def test_completing_or_releasing_an_unknown_delivery_is_harmless(
    store: DeliveryStore, clock: FakeClock
) -> None:
    await store.complete_delivery("telegram:5006")
    await store.release_delivery("telegram:5007")
    assert await claim(store, clock, "telegram:5007") is True


async def test_a_delivery_reads_completed_only_once_it_was_completed(
    store: DeliveryStore, clock: FakeClock
) -> None:
    assert await store.delivery_completed("telegram:5010") is False
    assert await claim(store, clock, "telegram:5010") is True
    assert await store.delivery_completed("telegram:5010") is False  # claimed, not done
    await store.complete_delivery("telegram:5010")
    assert await store.delivery_completed("telegram:5010") is True
    clock.advance(days=2)
    assert await store.delivery_completed("telegram:5010") is False  # expired


async def test_a_restarted_worker_releases_only_its_own_unfinished_claims(
    store: DeliveryStore, clock: FakeClock
) -> None:
    until, expires = later(clock, minutes=2), later(clock, days=1)
    for key, owner in (("t:1", "host:8080"), ("t:2", "host:8080"), ("t:3", "host:8081")):
        assert await store.claim_delivery(key, lease_until=until, expires_at=expires, owner=owner)
    await store.complete_delivery("t:2")
    assert await store.release_deliveries_of("host:8080") == 1
    assert await claim(store, clock, "t:1") is True  # the dead worker's claim: free at once
    assert await claim(store, clock, "t:2") is False  # handled: still a repeat
    assert await claim(store, clock, "t:3") is False  # another live worker's claim: kept
    assert await store.release_deliveries_of("host:9999") == 0


async def test_of_claims_racing_for_one_delivery_exactly_one_wins(
    store: DeliveryStore, clock: FakeClock
) -> None:
    assert await claim(store, clock, "telegram:5008") is True
    clock.advance(minutes=2)
    verdicts = await asyncio.gather(*(claim(store, clock, "telegram:5008") for _ in range(8)))
    assert sorted(verdicts) == [False] * 7 + [True]


async def test_a_delivery_key_is_new_again_after_it_expired(
    store: DeliveryStore, clock: FakeClock
) -> None:
    key = "whatsapp:wamid.A"
    claimed = await store.claim_delivery(
        key, lease_until=later(clock, minutes=1), expires_at=later(clock, hours=1)
    )
    assert claimed is True
    await store.complete_delivery(key)
    clock.advance(hours=1)
    assert await claim(store, clock, key) is True
    assert await claim(store, clock, key) is False
