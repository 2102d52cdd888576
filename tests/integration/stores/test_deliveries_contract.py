"""The deliveries contract (claim, complete, release): every adapter must pass all of it.

The channels rely on it to handle a platform's redelivered message once.
"""

from __future__ import annotations

import asyncio

from recruiter_reports.stores import DeliveryStore, Store

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


async def _save_with_answer(store: Store, clock: FakeClock, key: str, replies: str) -> None:
    await store.save_session("p-answer", {"step": 2}, later(clock, days=1), answer=(key, replies))


async def test_replies_saved_with_a_turn_are_kept_on_the_claim_until_it_completes(
    store: Store, clock: FakeClock
) -> None:
    assert await claim(store, clock, "telegram:6001") is True
    assert await store.delivery_replies("telegram:6001") is None
    await _save_with_answer(store, clock, "telegram:6001", '[{"text":"Thank you"}]')
    assert await store.load_session("p-answer") == {"step": 2}  # the state in the same write
    assert await store.delivery_replies("telegram:6001") == '[{"text":"Thank you"}]'
    await store.complete_delivery("telegram:6001")
    assert await store.delivery_replies("telegram:6001") is None  # sent: not kept
    assert await claim(store, clock, "telegram:6001") is False


async def test_a_crashed_claim_with_saved_replies_is_free_at_once_and_keeps_them(
    store: Store, clock: FakeClock
) -> None:
    until, expires = later(clock, minutes=2), later(clock, days=1)
    for key in ("t:61", "t:62"):
        assert await store.claim_delivery(key, lease_until=until, expires_at=expires, owner="h:1")
    await _save_with_answer(store, clock, "t:61", "saved")
    assert await store.release_deliveries_of("h:1") == 2
    assert await store.release_deliveries_of("h:1") == 0  # counted once
    assert await claim(store, clock, "t:61") is True  # free at once, not after the lease
    assert await store.delivery_replies("t:61") == "saved"  # the retry sends these
    assert await claim(store, clock, "t:62") is True
    assert await store.delivery_replies("t:62") is None
    await store.release_delivery("t:61")  # handling failed again: still kept
    assert await claim(store, clock, "t:61") is True
    assert await store.delivery_replies("t:61") == "saved"


async def test_saved_replies_outlive_a_lease_but_not_the_key(
    store: Store, clock: FakeClock
) -> None:
    assert await claim(store, clock, "telegram:6003") is True
    await _save_with_answer(store, clock, "telegram:6003", "saved")
    clock.advance(minutes=2)  # the worker died without a restart under its name
    assert await claim(store, clock, "telegram:6003") is True
    assert await store.delivery_replies("telegram:6003") == "saved"
    clock.advance(days=2)  # long expired: a new delivery under an old key
    assert await store.delivery_replies("telegram:6003") is None
    assert await claim(store, clock, "telegram:6003") is True
    assert await store.delivery_replies("telegram:6003") is None


async def test_an_answer_for_a_delivery_never_claimed_is_not_kept(
    store: Store, clock: FakeClock
) -> None:
    await _save_with_answer(store, clock, "telegram:6004", "saved")
    assert await store.load_session("p-answer") == {"step": 2}
    assert await store.delivery_replies("telegram:6004") is None
    assert await claim(store, clock, "telegram:6004") is True
    assert await store.delivery_replies("telegram:6004") is None


async def test_a_claim_brings_the_replies_its_abandoned_predecessor_saved(
    store: Store, clock: FakeClock
) -> None:
    until, expires = later(clock, minutes=1), later(clock, days=1)

    async def take(key: str) -> tuple[bool, str | None]:
        return await store.claim_delivery_answer(key, lease_until=until, expires_at=expires)

    assert await take("telegram:6005") == (True, None)  # new
    assert await take("telegram:6005") == (False, None)  # leased
    await _save_with_answer(store, clock, "telegram:6005", "saved")
    await store.release_delivery("telegram:6005")
    assert await take("telegram:6005") == (True, "saved")  # the retry sends these
    await store.complete_delivery("telegram:6005")
    assert await take("telegram:6005") == (False, None)  # handled: a repeat


async def test_forget_erases_the_replies_a_claim_kept_for_the_person(
    store: Store, clock: FakeClock
) -> None:
    until, expires = later(clock, minutes=2), later(clock, days=1)
    for key in ("telegram:6101", "telegram:6102"):
        assert await store.claim_delivery(key, lease_until=until, expires_at=expires, owner="h:1")
    await _save_with_answer(store, clock, "telegram:6101", '[{"text":"Your report is saved"}]')
    await store.save_session(
        "p-other", {"step": 1}, later(clock, days=1), answer=("telegram:6102", "theirs")
    )
    await store.release_deliveries_of("h:1")  # the worker died before sending either
    await store.forget("p-answer")
    assert await store.delivery_replies("telegram:6101") is None
    # Handled: the retry neither resends the erased replies nor runs that turn again.
    assert await claim(store, clock, "telegram:6101") is False
    assert await store.delivery_completed("telegram:6101") is True
    assert await store.delivery_replies("telegram:6102") == "theirs"  # someone else's stay
    assert await store.claim_delivery_answer(
        "telegram:6102", lease_until=until, expires_at=expires
    ) == (True, "theirs")
