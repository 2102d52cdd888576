"""When a published figure may change: the unit of publication is the cell.

Two publications one report apart could be subtracted to read that report's
answers. So figures are not computed from the reports as they are now, but
from *published cells*, each kept in the store as it was last published
(``RatingStore.published``) and replaced only by the rule below.

The cells are an agency's reports by destination and quarter (``"QA|2026Q3"``,
``records.quarter_cell``) and, for its broker chain, the workers of the agency
who named one broker. A cell

- is first published when it has ``k`` reporters;
- is published again (its snapshot replaced) only when it has at least ``k``
  more reporters than at its last publication;
- keeps its snapshot when it shrinks (a worker withdraws, uses /forget, or a
  merge moves a report away): the snapshot is an aggregate of at least ``k``
  people that names no one;
- shows nothing while its live count is below ``k`` (so /forget takes a
  rating out of a small cell's figures at once); when it has ``k`` again it
  shows its kept snapshot, unless it has grown ``k`` past it.

This is the rule agency totals followed before, applied to each cell.

Every figure shown anywhere (agency totals, destinations, periods, the trend,
the sector overview, exports, the API, the chat's check screen) is a sum of
published cell snapshots (``Published``). Why that is enough: cells are
disjoint, and each snapshot of a cell holds at least ``k`` reports that are in
no earlier snapshot of that cell (a report that left never comes back; a
replaced rating is a new report). So in any combination of published figures,
the newest snapshot of each cell brings ``k`` reports no other published set
holds, which cannot cancel out; it cannot be part of a combination that isolates
one report, and by induction no snapshot can. The differencing property test
(tests/integration/portal/test_publication_differencing.py) checks this with
exact linear algebra.

The price: reporters in a cell below ``k``, or in a cell's not yet published
tail, are not counted anywhere until their cell is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from recruiter_reports import origin_cells
from recruiter_reports.published_cells import Published
from recruiter_reports.quarters import Quarter
from recruiter_reports.reports import Report
from recruiter_reports.stores.records import Breakdown, quarter_cell
from recruiter_reports.summaries import Summary

__all__ = [
    "PublicationReads",
    "PublicationStore",
    "Published",
    "broker_group",
    "cell_group",
    "cell_of",
    "due",
    "due_after",
    "published",
    "refresh",
    "refresh_origin",
]

CELL = "cell:"
BROKER = "broker:"
CHECKED = "checked:"
"""Not a publication: an agency's live summary when its cells were last checked, so a
list of thousands of agencies checks only those that changed since."""
HIDDEN = "hidden:"
"""Not a publication: 1 for a published cell whose live count was below ``k`` at that
check (0 once it is shown again), for the agencies a list does not check again."""


def cell_group(recruiter_id: str, cell: str) -> str:
    """The store's key of one (agency, destination, quarter) cell."""
    return f"{CELL}{recruiter_id}|{cell}"


def broker_group(recruiter_id: str, broker: str) -> str:
    """The store's key of one (agency, broker) cell; its snapshot's ``reporters`` count."""
    return f"{BROKER}{recruiter_id}|{broker}"


def _checked_group(recruiter_id: str) -> str:
    return f"{CHECKED}{recruiter_id}"


def cell_of(report: Report) -> str:
    """The (destination, quarter) cell a report counts in."""
    return quarter_cell(report.destination, str(Quarter.of(report.created_at)))


def due(reporters: int, last: Summary | None, k: int) -> bool:
    """True when a cell of ``reporters`` is to be published (and kept) in place of ``last``."""
    return due_after(reporters, None if last is None else last.reporters, k)


def due_after(reporters: int, last_reporters: int | None, k: int) -> bool:
    """The same rule for any figure kept with its count of reporters (``last_reporters``:
    at its last publication, None when never published): check-ins use it too."""
    if reporters < k:
        return False
    return last_reporters is None or reporters >= last_reporters + k


class PublicationReads(Protocol):
    """What reading published cells needs (the chat's check screen only reads)."""

    async def breakdown(self, recruiter_id: str, by: Breakdown) -> dict[str, Summary]: ...

    async def published(self, groups: Sequence[str]) -> dict[str, Summary]: ...

    async def published_under(self, prefix: str) -> dict[str, Summary]: ...


class PublicationStore(PublicationReads, Protocol):
    """What publishing needs: the live counts, and writing publications."""

    async def summary(self, recruiter_id: str) -> Summary: ...

    async def summaries(
        self, *, origin: str | None = None, destination: str | None = None
    ) -> dict[str, Summary]: ...

    async def broker_counts(self, recruiter_id: str) -> dict[str, int]: ...

    async def publish(self, summaries: Mapping[str, Summary], at: dt.datetime) -> None: ...


async def published(reads: PublicationReads, recruiter_id: str, k: int) -> Published:
    """The agency's published cells as shown now (nothing is published by reading)."""
    kept = await _kept(reads, recruiter_id)
    live = await reads.breakdown(recruiter_id, "destination_quarter")
    return Published(recruiter_id, _visible(kept.cells, live, k), kept.brokers)


async def _kept(reads: PublicationReads, recruiter_id: str) -> Published:
    cells = await reads.published_under(cell_group(recruiter_id, ""))
    brokers = await reads.published_under(broker_group(recruiter_id, ""))
    counts = {key: s.reporters for key, s in _suffixed(brokers, recruiter_id).items()}
    return Published(recruiter_id, _suffixed(cells, recruiter_id), counts)


def _visible(
    kept: Mapping[str, Summary], live: Mapping[str, Summary], k: int
) -> dict[str, Summary]:
    """The kept cells whose live count is at least ``k``."""
    return {key: cell for key, cell in kept.items() if key in live and live[key].reporters >= k}


async def refresh(store: PublicationStore, recruiter_id: str, k: int, at: dt.datetime) -> Published:
    """Publish the agency's cells and brokers that are due now; its cells as shown after.

    The one place that applies the rule to stored counts: the portal calls it
    before it shows an agency (the chat, after it stores a rating, publishes
    that rating's cell with ``due``).
    """
    shown, writes = await _checked(store, recruiter_id, k)
    if writes:
        await store.publish(writes, at)
    return shown


async def _checked(
    store: PublicationStore, recruiter_id: str, k: int
) -> tuple[Published, dict[str, Summary]]:
    """The agency's cells as shown once what is due is published, and those writes."""
    live = await store.summary(recruiter_id)
    kept = await _kept(store, recruiter_id)
    checked = (await store.published([_checked_group(recruiter_id)])).get(
        _checked_group(recruiter_id)
    )
    hidden = await store.published_under(f"{HIDDEN}{recruiter_id}|")
    live_cells = await store.breakdown(recruiter_id, "destination_quarter")
    cells = {key: cell for key, cell in live_cells.items()
             if due(cell.reporters, kept.cells.get(key), k)}  # fmt: skip
    live_brokers = await store.broker_counts(recruiter_id)
    brokers = {key: count for key, count in live_brokers.items()
               if due_after(count, kept.brokers.get(key), k)}  # fmt: skip
    now = {**kept.cells, **cells}
    shown = _visible(now, live_cells, k)
    writes: dict[str, Summary] = {cell_group(recruiter_id, key): s for key, s in cells.items()}
    writes |= {broker_group(recruiter_id, key): Summary(recruiter_id=recruiter_id, reporters=n)
               for key, n in brokers.items()}  # fmt: skip
    for key in now:
        flag = int(key not in shown)
        marker = f"{HIDDEN}{recruiter_id}|{key}"
        if (hidden[marker].reporters if marker in hidden else 0) != flag:
            writes[marker] = Summary(recruiter_id=recruiter_id, reporters=flag)
    if checked != live:
        writes[_checked_group(recruiter_id)] = live
    counts = {**kept.brokers, **brokers}
    counts = {key: n for key, n in counts.items() if live_brokers.get(key, 0) >= k}
    return Published(recruiter_id, shown, counts), writes


async def refresh_origin(
    store: PublicationStore, origin: str, k: int, at: dt.datetime
) -> dict[str, Published]:
    """Every agency of ``origin`` with counted reports and its cells as shown (none, for
    some), after publishing what is due.

    Only agencies whose live summary changed since their cells were last checked
    are checked again (and of those, only ones with ``k`` reporters or a published
    cell), so a list of thousands costs three range reads and the few that changed.
    What is derived from those reads (the cells by agency, which agencies changed) is
    kept and worked out again only for the agencies whose records changed
    (``origin_cells``).
    """
    live = await store.summaries(origin=origin)
    checked = await store.published_under(f"{CHECKED}{origin}")
    flags = await store.published_under(f"{HIDDEN}{origin}")
    cells = await store.published_under(f"{CELL}{origin}")
    kept = origin_cells.kept_for(store, origin, (CELL, HIDDEN, CHECKED))
    kept.update(live, checked, cells, flags)
    shown = kept.shown()
    writes: dict[str, Summary] = {}
    for recruiter_id in kept.changed():
        if live[recruiter_id].reporters >= k or shown[recruiter_id].cells:
            shown[recruiter_id], more = await _checked(store, recruiter_id, k)
            writes |= more
    if writes:  # one write for them all
        await store.publish(writes, at)
        kept.wrote(writes)
    return shown


def _suffixed(kept: Mapping[str, Summary], recruiter_id: str) -> dict[str, Summary]:
    """Keys of one agency's groups without their ``kind:recruiter|`` part."""
    return {key.partition(f"{recruiter_id}|")[2]: s for key, s in kept.items()}
