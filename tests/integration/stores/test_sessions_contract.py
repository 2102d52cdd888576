"""The sessions contract (and opening, closing, /forget): every adapter must pass all of it.

The runner relies only on what is checked here, so a worker on any adapter
serves the next message the same way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
from typing import Any

from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.stores import Store

from .conftest import Adapter, FakeClock
from .contract_data import (
    ALICE,
    BOB,
    KEY,
    claim,
    later,
    rich_state,
)


async def test_nothing_is_saved_for_a_new_person(store: Store) -> None:
    assert await store.load_session(ALICE) is None


async def test_nested_multilingual_state_comes_back_unchanged(
    store: Store, clock: FakeClock
) -> None:
    state = rich_state("Nimelipa ada kubwa sana")
    await store.save_session(ALICE, state, later(clock, hours=1))
    assert await store.load_session(ALICE) == state


async def test_saving_again_replaces_the_whole_state(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, rich_state("first"), later(clock, hours=1))
    await store.save_session(ALICE, {"flow": "menu"}, later(clock, hours=1))
    assert await store.load_session(ALICE) == {"flow": "menu"}


async def test_changing_a_state_after_saving_it_does_not_change_what_is_stored(
    store: Store, clock: FakeClock
) -> None:
    state = rich_state("original")
    await store.save_session(ALICE, state, later(clock, hours=1))
    state["answers"]["comment"] = "changed in memory only"
    loaded = await store.load_session(ALICE)
    assert loaded is not None
    assert loaded["answers"]["comment"] == "original"


async def test_state_is_dropped_when_it_expires(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"flow": "menu"}, later(clock, minutes=30))
    clock.advance(minutes=29, seconds=59)
    assert await store.load_session(ALICE) == {"flow": "menu"}
    clock.advance(seconds=1)
    assert await store.load_session(ALICE) is None


async def test_saving_again_extends_the_expiry(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"step": 1}, later(clock, minutes=30))
    clock.advance(minutes=20)
    await store.save_session(ALICE, {"step": 2}, later(clock, minutes=30))
    clock.advance(minutes=20)
    assert await store.load_session(ALICE) == {"step": 2}


async def test_a_new_state_can_be_saved_after_the_old_one_expired(
    store: Store, clock: FakeClock
) -> None:
    await store.save_session(ALICE, {"step": 1}, later(clock, minutes=1))
    clock.advance(hours=2)
    assert await store.load_session(ALICE) is None
    await store.save_session(ALICE, {"step": 9}, later(clock, minutes=1))
    assert await store.load_session(ALICE) == {"step": 9}


async def test_expiry_in_another_time_zone_means_the_same_instant(
    store: Store, clock: FakeClock
) -> None:
    doha = dt.timezone(dt.timedelta(hours=3))
    await store.save_session(ALICE, {"step": 1}, later(clock, minutes=10).astimezone(doha))
    clock.advance(minutes=9)
    assert await store.load_session(ALICE) == {"step": 1}
    clock.advance(minutes=1)
    assert await store.load_session(ALICE) is None


async def test_people_do_not_see_each_others_state(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"who": "alice"}, later(clock, hours=1))
    await store.save_session(BOB, {"who": "bob"}, later(clock, hours=1))
    assert await store.load_session(ALICE) == {"who": "alice"}
    assert await store.load_session(BOB) == {"who": "bob"}


async def test_forget_erases_only_that_person(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, rich_state("alice"), later(clock, hours=1))
    await store.save_session(BOB, rich_state("bob"), later(clock, hours=1))
    await store.forget(ALICE)
    assert await store.load_session(ALICE) is None
    assert await store.load_session(BOB) == rich_state("bob")


async def test_forgetting_someone_unknown_is_harmless(store: Store, clock: FakeClock) -> None:
    await store.save_session(BOB, {"who": "bob"}, later(clock, hours=1))
    await store.forget(ALICE)
    assert await store.load_session(BOB) == {"who": "bob"}


async def test_ping_answers_when_open(store: Store) -> None:
    assert await store.ping() is True


async def test_opening_twice_is_harmless(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, {"step": 1}, later(clock, hours=1))
    await store.open()
    assert await store.ping() is True
    assert await store.load_session(ALICE) == {"step": 1}


async def test_state_survives_closing_and_reopening(store: Store, clock: FakeClock) -> None:
    await store.save_session(ALICE, rich_state("before restart"), later(clock, hours=1))
    assert await claim(store, clock, "telegram:77") is True
    await store.complete_delivery("telegram:77")
    assert await claim(store, clock, "telegram:78") is True
    await store.close()
    await store.open()
    assert await store.load_session(ALICE) == rich_state("before restart")
    assert await claim(store, clock, "telegram:77") is False
    # An unfinished claim survives too: its lease still runs after the restart.
    assert await claim(store, clock, "telegram:78") is False


async def test_fifty_people_at_once_each_get_their_own_state(
    store: Store, clock: FakeClock
) -> None:
    people = [
        hmac.new(KEY, f"telegram:{n}".encode(), hashlib.sha256).hexdigest() for n in range(50)
    ]
    until = later(clock, hours=1)

    async def converse(number: int, pseudonym: str) -> dict[str, Any] | None:
        await store.save_session(pseudonym, {"n": number, "text": f"ujumbe {number}"}, until)
        return await store.load_session(pseudonym)

    results = await asyncio.gather(*(converse(n, p) for n, p in enumerate(people)))
    assert results == [{"n": n, "text": f"ujumbe {n}"} for n in range(50)]
    reloaded = await asyncio.gather(*(store.load_session(p) for p in people))
    assert [state["n"] if state else None for state in reloaded] == list(range(50))


async def test_a_raw_user_id_never_reaches_storage(
    store: Store, adapter: Adapter, clock: FakeClock
) -> None:
    pseudonymize = Pseudonymizer(KEY)
    pseudonym = pseudonymize("telegram", "123456789")
    await store.save_session(pseudonym, {"flow": "menu", "locale": "ne"}, later(clock, hours=1))

    written = adapter.persisted_bytes(store)
    # The pseudonym is there (so we are reading the right place), the raw id is not.
    assert pseudonym.encode() in written
    assert b"123456789" not in written


