"""Contract: what another worker publishes on the same storage is read at once, however much
is kept in the process (SQLite keeps an origin's wide ranges, ``sqlite_publications``;
``publication.refresh_origin`` keeps what it derived from them, ``origin_cells``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from recruiter_reports import publication
from recruiter_reports.stores import Store, sqlite_publications
from recruiter_reports.stores.sqlite_publications import KEEP_FROM
from recruiter_reports.summaries import Summary

from .conftest import Adapter, FakeClock
from .contract_data import AGENCY, OTHER_AGENCY, make_report, person_id
from .test_publications_contract import TRANSACTIONAL

K = 5
WIDE = KEEP_FROM + 44
"""Cells in the range read: enough for SQLite to keep it in the process."""
NEWCOMER = "KE-EX-KE-0003"


@pytest.fixture
async def other(store: Store, adapter: Adapter, clock: FakeClock) -> AsyncIterator[Store]:
    """A second store object over the same storage, as another worker has (the memory
    store's storage is the object itself: there, the same store)."""
    if adapter.another is None:
        yield store
        return
    second = adapter.another(store, clock)
    await second.open()
    try:
        yield second
    finally:
        await second.close()


def _cell(n: int, quarter: str = "2026Q2") -> str:
    return publication.cell_group(f"KE-EX-KE-{n:04d}", f"QA|{quarter}")


def _snapshot(n: int, reporters: int) -> Summary:
    return Summary(recruiter_id=f"KE-EX-KE-{n:04d}", reporters=reporters)


async def test_a_wide_range_shows_what_another_worker_published_since(
    store: Store, other: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_publications, "MOST_REREAD", 8)
    groups = {_cell(n): _snapshot(n, K) for n in range(WIDE)}
    await store.publish(groups, clock())
    assert await store.published_under("cell:KE") == groups

    clock.advance(minutes=5)
    changes = {_cell(7): _snapshot(7, 2 * K), _cell(9000): _snapshot(9000, K),
               _cell(7, "2026Q3"): _snapshot(7, K)}  # fmt: skip
    await other.publish(changes, clock())
    now = groups | changes
    assert await store.published_under("cell:KE") == now
    assert await store.published_under("cell:KE-EX-KE-0007|") == {
        _cell(7): _snapshot(7, 2 * K), _cell(7, "2026Q3"): _snapshot(7, K),
    }  # fmt: skip
    assert await store.published([_cell(7), _cell(9000)]) == {
        _cell(7): _snapshot(7, 2 * K), _cell(9000): _snapshot(9000, K),
    }  # fmt: skip

    many = {_cell(n, "2026Q4"): _snapshot(n, K) for n in range(20)}
    await other.publish(many, clock())  # more than a kept range re-reads key by key
    assert await store.published_under("cell:KE") == now | many
    assert await store.published_under("cell:") == await other.published_under("cell:")


async def test_a_wide_range_read_inside_a_rolled_back_turn_is_not_kept(
    store: Store, other: Store, clock: FakeClock, adapter: Adapter
) -> None:
    """Where turns roll back (and read their own writes); everywhere, what is read after
    is what the storage holds."""
    groups = {_cell(n): _snapshot(n, K) for n in range(WIDE)}
    await store.publish(groups, clock())
    assert await store.published_under("cell:KE") == groups
    with pytest.raises(RuntimeError):
        async with store.unit_of_work():
            await store.publish({_cell(3): _snapshot(3, 2 * K)}, clock())
            inside = await store.published_under("cell:KE")
            if adapter.name in TRANSACTIONAL:
                assert inside[_cell(3)] == _snapshot(3, 2 * K)
            raise RuntimeError("the turn fails after reading")
    if adapter.name in TRANSACTIONAL:
        assert await store.published_under("cell:KE") == groups
    assert await store.published_under("cell:KE") == await other.published_under("cell:KE")


async def _rate(store: Store, clock: FakeClock, n: int, recruiter_id: str) -> None:
    report = make_report(clock, recruiter_id)
    await store.save_report(person_id(n), report, reporter_since=clock())


async def test_the_agency_list_shows_what_another_worker_changed(
    store: Store, other: Store, clock: FakeClock
) -> None:
    """``refresh_origin`` in one worker, reports and publications by another."""
    for n in range(K):
        await _rate(other, clock, n, AGENCY)
        await _rate(other, clock, 100 + n, OTHER_AGENCY)
    shown = await publication.refresh_origin(store, "KE", K, clock())
    ((cell, first),) = shown[AGENCY].cells.items()
    assert first.reporters == K
    assert shown[OTHER_AGENCY].cells[cell].reporters == K

    # Another worker's page republishes a cell and hides one; no live count changes.
    replaced = first.model_copy(update={"reporters": 3 * K})
    hidden = f"hidden:{OTHER_AGENCY}|{cell}"
    hide = Summary(recruiter_id=OTHER_AGENCY, reporters=1)
    await other.publish({publication.cell_group(AGENCY, cell): replaced, hidden: hide}, clock())
    shown = await publication.refresh_origin(store, "KE", K, clock())
    assert shown[AGENCY].cells == {cell: replaced}
    assert shown[OTHER_AGENCY].cells == {}
    await other.publish({hidden: Summary(recruiter_id=OTHER_AGENCY, reporters=0)}, clock())
    assert (await publication.refresh_origin(store, "KE", K, clock()))[OTHER_AGENCY].cells[
        cell
    ].reporters == K

    # A new agency reaches k there; /forget there takes a cell below k.
    for n in range(K):
        await _rate(other, clock, 200 + n, NEWCOMER)
    await publication.refresh_origin(other, "KE", K, clock())
    await other.forget(person_id(100))
    shown = await publication.refresh_origin(store, "KE", K, clock())
    assert shown[NEWCOMER].cells[cell].reporters == K
    assert shown[OTHER_AGENCY].cells == {}  # K - 1 live: hidden
    assert shown[AGENCY].cells == {cell: replaced}
    assert await publication.refresh_origin(store, "KE", K, clock()) == shown
