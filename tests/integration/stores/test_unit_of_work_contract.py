"""The unit of work of a turn: all of its writes happen, or a retry of the whole turn is harmless.

Every adapter: a turn that fails half-way and is retried whole counts its
report once. Adapters with transactions (memory, SQLite, MongoDB on a replica
set, played here by the wire server driven through the transaction path) also
leave nothing of the failed attempt behind.
"""

from __future__ import annotations

import asyncio

import pytest

from recruiter_reports.stores import Store

from .conftest import Adapter, FakeClock
from .contract_data import AGENCY, ALICE, BOB, later, make_report

TRANSACTIONAL = {"memory", "sqlite", "mongodb-wire-txn"}


class _Crash(Exception):
    pass


async def _turn(store: Store, clock: FakeClock, *, fail: bool) -> None:
    async with store.unit_of_work():
        await store.save_consent(ALICE, "1", clock())
        await store.save_report(ALICE, make_report(clock), reporter_since=clock())
        if fail:
            raise _Crash
        await store.save_session(ALICE, {"step": "thanks"}, later(clock, hours=1))


async def test_a_failed_turn_retried_whole_counts_once(store: Store, clock: FakeClock) -> None:
    with pytest.raises(_Crash):
        await _turn(store, clock, fail=True)
    await _turn(store, clock, fail=False)
    assert (await store.summary(AGENCY)).reporters == 1
    assert len(await store.reports_of(ALICE)) == 1
    assert await store.load_session(ALICE) == {"step": "thanks"}


async def test_a_failed_turn_leaves_nothing_where_there_are_transactions(
    store: Store, clock: FakeClock, adapter: Adapter
) -> None:
    await store.save_session(ALICE, {"step": "before"}, later(clock, hours=1))
    with pytest.raises(_Crash):
        await _turn(store, clock, fail=True)
    if adapter.name in TRANSACTIONAL or getattr(store, "uses_transactions", False):
        assert await store.consent(ALICE) is None
        assert await store.reports_of(ALICE) == []
        assert (await store.summary(AGENCY)).reporters == 0
    assert await store.load_session(ALICE) == {"step": "before"}


async def test_other_people_are_served_while_a_turn_is_open(
    store: Store, clock: FakeClock
) -> None:
    """Another person's write during a turn neither waits forever nor joins that turn."""
    inside = asyncio.Event()
    release = asyncio.Event()

    async def slow_turn() -> None:
        with pytest.raises(_Crash):
            async with store.unit_of_work():
                await store.save_consent(ALICE, "1", clock())
                inside.set()
                await release.wait()
                raise _Crash

    task = asyncio.create_task(slow_turn())
    await inside.wait()
    other = asyncio.create_task(store.save_session(BOB, {"step": "menu"}, later(clock, hours=1)))
    await asyncio.sleep(0)
    release.set()
    await task
    await other
    assert await store.load_session(BOB) == {"step": "menu"}
