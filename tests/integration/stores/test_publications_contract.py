"""Contract: the last published counts of a group are kept, replaced, and read back as given."""

from __future__ import annotations

from recruiter_reports import publication
from recruiter_reports.names import broker_key
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


async def test_groups_are_read_by_prefix(store: Store, clock: FakeClock) -> None:
    """One agency's cells (or one origin's) in one read, and nothing of a longer id."""
    first = summarize([make_report(clock) for _ in range(5)], AGENCY)
    other = summarize([make_report(clock, OTHER_AGENCY) for _ in range(6)], OTHER_AGENCY)
    groups = {f"cell:{AGENCY}|QA|2026Q1": first, f"cell:{AGENCY}|SA|2026Q2": first,
              f"cell:{AGENCY}9|QA|2026Q1": other, f"cell:{OTHER_AGENCY}||2026Q1": other,
              f"broker:{AGENCY}|musa": first, AGENCY: first}  # fmt: skip
    await store.publish(groups, clock())
    assert await store.published_under(f"cell:{AGENCY}|") == {
        f"cell:{AGENCY}|QA|2026Q1": first, f"cell:{AGENCY}|SA|2026Q2": first,
    }  # fmt: skip
    assert await store.published_under("cell:") == {
        key: value for key, value in groups.items() if key.startswith("cell:")
    }
    assert await store.published_under("cell:ZZ") == {}
    assert await store.published_under(f"broker:{AGENCY}|") == {f"broker:{AGENCY}|musa": first}


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


async def test_cells_are_published_at_k_and_refreshed_k_later(
    store: Store, clock: FakeClock
) -> None:
    """``publication.refresh`` over the adapter: each cell (and broker) on its own rule."""
    k = 5

    async def rate(n: int, **answers: object) -> None:
        report = make_report(clock, broker="Musa Juma", **answers)
        await store.save_report(f"p-{n}", report, reporter_since=clock())

    for n in range(k - 1):
        await rate(n)
    await rate(100, destination="SA")
    assert (await publication.refresh(store, AGENCY, k, clock())).cells == {}
    await rate(k - 1)
    shown = await publication.refresh(store, AGENCY, k, clock())
    (cell,) = shown.cells
    assert cell.startswith("QA|") and shown.cells[cell].reporters == k
    assert shown.total().reporters == k  # the SA report is not counted yet
    musa = broker_key("Musa Juma")
    assert shown.brokers == {musa: k}  # published at k (the SA report named Musa too)
    for n in range(k, 2 * k - 1):
        await rate(n)
        again = await publication.refresh(store, AGENCY, k, clock())
        assert again.cells[cell].reporters == k
        named = n + 2  # QA reports so far, and the SA one
        assert again.brokers == {musa: named if named >= 2 * k else k}
    await rate(2 * k - 1)
    assert (await publication.refresh(store, AGENCY, k, clock())).cells[cell].reporters == 2 * k
    for n in range(k + 1, 2 * k):
        await store.forget(f"p-{n}")
    kept = await publication.refresh(store, AGENCY, k, clock())
    assert kept.cells[cell].reporters == 2 * k  # a shrink keeps the publication
    await store.forget(f"p-{k}")
    await store.forget(f"p-{k - 1}")
    assert (await publication.refresh(store, AGENCY, k, clock())).cells == {}  # below k
    assert (await publication.refresh_origin(store, "KE", k, clock()))[AGENCY].cells == {}
    await rate(200)
    back = await publication.refresh_origin(store, "KE", k, clock())
    assert back[AGENCY].cells[cell].reporters == 2 * k  # shown again, not published afresh
    assert (await publication.published(store, AGENCY, k)).cells == back[AGENCY].cells
