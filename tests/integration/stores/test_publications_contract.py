"""Contract: the last published counts of a group are kept, replaced, and read back as given."""

from __future__ import annotations

from recruiter_reports.stores import Store
from recruiter_reports.summaries import summarize

from .conftest import Adapter, FakeClock
from .contract_data import AGENCY, OTHER_AGENCY, make_report

TRANSACTIONAL = {"memory", "sqlite"}
"""Adapters whose unit of work rolls back (MongoDB on a replica set only; here standalone)."""


async def test_a_group_never_published_has_no_publication(store: Store) -> None:
    assert await store.published([AGENCY]) == {}


async def test_the_last_publication_is_kept_and_replaced(store: Store, clock: FakeClock) -> None:
    first = summarize([make_report(clock) for _ in range(5)], AGENCY)
    await store.publish({AGENCY: first}, clock())
    assert await store.published([AGENCY, OTHER_AGENCY]) == {AGENCY: first}
    clock.advance(days=1)
    later = summarize([make_report(clock, passport_kept=False) for _ in range(11)], AGENCY)
    other = summarize([make_report(clock, OTHER_AGENCY) for _ in range(6)], OTHER_AGENCY)
    await store.publish({AGENCY: later, OTHER_AGENCY: other}, clock())
    assert await store.published([AGENCY, OTHER_AGENCY]) == {AGENCY: later, OTHER_AGENCY: other}
    many = [f"KE-ZZ-{i:04d}" for i in range(1200)]
    assert await store.published([*many, AGENCY]) == {AGENCY: later}


async def test_a_publication_outlives_the_reports_it_counted(
    store: Store, clock: FakeClock
) -> None:
    """It is an aggregate of at least k people that names no one: /forget leaves it."""
    await store.save_report("p-1", make_report(clock), reporter_since=clock())
    published = await store.summary(AGENCY)
    await store.publish({AGENCY: published}, clock())
    await store.forget("p-1")
    assert (await store.summary(AGENCY)).reporters == 0
    assert await store.published([AGENCY]) == {AGENCY: published}


async def test_a_publication_inside_a_rolled_back_turn_is_not_kept(
    store: Store, clock: FakeClock, adapter: Adapter
) -> None:
    """Where there are transactions; elsewhere a retried turn publishes the same counts again."""
    summary = summarize([make_report(clock) for _ in range(5)], AGENCY)
    try:
        async with store.unit_of_work():
            await store.publish({AGENCY: summary}, clock())
            raise RuntimeError("the turn failed")
    except RuntimeError:
        pass
    if adapter.name in TRANSACTIONAL:
        assert await store.published([AGENCY]) == {}
