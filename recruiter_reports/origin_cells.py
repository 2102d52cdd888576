"""What ``publication.refresh_origin`` derives from its reads, kept between calls and redone
only for the agencies whose records changed.

Before each agency list and overview, ``refresh_origin`` reads every live summary of an
origin, every published cell (over 100,000 at 1,000,000 reports), and the checked and
hidden records. Grouping the cells by agency and comparing ten thousand live summaries
with their checked ones took 100-150 ms of Python on each call, on top of the reads. The
SQLite store gives back the same ``Summary`` object for a record until it changes (it
keeps the overview and the wide ranges of publications, ``stores.sqlite_overview`` and
``stores.sqlite_publications``). So each call compares the new reads with the last ones
object by object (``_changed``), and works out again only the agencies with a record
that is another object, or gone. Where a store builds new objects on every read (MongoDB;
the memory store's live summaries) those agencies are all worked out again, as before;
the result is the same either way.

What is kept depends only on what the reads returned, never on who wrote it, so writes
by another process count as soon as the store's reads show them. It is kept per store
object (weakly) and per origin. ``Published`` objects and their cell mappings are shared
between calls and read only; the mappings given to ``update`` are kept, not copied (the
caller hands over fresh ones from the store and does not change them).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from itertools import compress, filterfalse, islice
from operator import is_not

from recruiter_reports.published_cells import Published
from recruiter_reports.summaries import Summary

__all__ = ["OriginCells", "kept_for"]

_KEPT: weakref.WeakKeyDictionary[object, dict[str, OriginCells]] = weakref.WeakKeyDictionary()

_Reads = dict[str, Summary]


def kept_for(store: object, origin: str, prefixes: tuple[str, str, str]) -> OriginCells:
    """What was kept for ``origin`` read from ``store``; ``prefixes``: the key prefixes of
    cells, hidden flags and checked summaries. A new one, kept nowhere, for a store that
    cannot be referenced weakly."""
    try:
        by_origin = _KEPT.setdefault(store, {})
    except TypeError:
        return OriginCells(prefixes)
    return by_origin.setdefault(origin, OriginCells(prefixes))


class OriginCells:
    """The reads of one origin last given to ``update``, and what was derived from them."""

    def __init__(self, prefixes: tuple[str, str, str]) -> None:
        self._cell, self._hidden, self._checked = prefixes
        self._live: _Reads = {}
        self._checks: _Reads = {}
        self._cells: _Reads = {}
        self._flags: _Reads = {}
        self._stored: dict[str, dict[str, Summary]] = {}
        """Agency -> cell key (``"QA|2026Q3"``) -> its snapshot, hidden or not."""
        self._hidden_names: set[str] = set()
        """``"agency|cell key"`` of the cells flagged hidden."""
        self._shown: dict[str, Published] = {}
        """Every live agency -> its stored cells that are not flagged hidden."""
        self._changed: set[str] = set()
        """The live agencies whose counts differ from those they were last checked with."""

    def update(self, live: _Reads, checks: _Reads, cells: _Reads, flags: _Reads) -> None:
        """Take new reads: live summaries by agency, and the checked summaries, cells and
        hidden flags by their keys (kept, and changed by ``wrote``: fresh from the store)."""
        touched = set(_changed(self._live, live))
        touched.update(key.removeprefix(self._checked) for key in _changed(self._checks, checks))
        touched.update(self._take_cell(key, cells.get(key)) for key in _changed(self._cells, cells))
        touched.update(self._take_flag(key, flags.get(key)) for key in _changed(self._flags, flags))
        self._live, self._checks, self._cells, self._flags = live, checks, cells, flags
        for recruiter_id in touched:
            self._redo(recruiter_id)

    def wrote(self, writes: Mapping[str, Summary]) -> None:
        """Take what the caller published since (its cells, flags and checked summaries) as
        the next reads will show it: after a first publication of every cell, the next
        call then finds the objects it expects. Should another writer have replaced them,
        the next ``update`` finds other objects, as it would anyway."""
        touched = set()
        cells, flags, checks = self._cells, self._flags, self._checks
        for key, summary in writes.items():
            if key.startswith(self._cell):
                cells[key] = summary  # the store's, handed over
                touched.add(self._take_cell(key, summary))
            elif key.startswith(self._hidden):
                flags[key] = summary
                touched.add(self._take_flag(key, summary))
            elif key.startswith(self._checked):
                checks[key] = summary
                touched.add(key.removeprefix(self._checked))
        for recruiter_id in touched:
            self._redo(recruiter_id)

    def _take_cell(self, key: str, cell: Summary | None) -> str:
        """The cell as now (None: gone); its agency."""
        recruiter_id, _, cell_key = key.removeprefix(self._cell).partition("|")
        stored = self._stored.setdefault(recruiter_id, {})
        if cell is None:
            stored.pop(cell_key, None)
        else:
            stored[cell_key] = cell
        return recruiter_id

    def _take_flag(self, key: str, flag: Summary | None) -> str:
        """The hidden flag as now (None: gone); its agency."""
        name = key.removeprefix(self._hidden)
        if flag is not None and flag.reporters:
            self._hidden_names.add(name)
        else:
            self._hidden_names.discard(name)
        return name.partition("|")[0]

    def shown(self) -> dict[str, Published]:
        """Every live agency's stored cells that are not flagged hidden."""
        return dict(self._shown)

    def changed(self) -> list[str]:
        """The live agencies whose counts changed since their last check, in id order."""
        return sorted(self._changed)

    def _redo(self, recruiter_id: str) -> None:
        live = self._live.get(recruiter_id)
        if live is None:
            self._shown.pop(recruiter_id, None)
            self._changed.discard(recruiter_id)
            return
        hidden = self._hidden_names
        stored = sorted(self._stored.get(recruiter_id, {}).items())
        cells = {key: cell for key, cell in stored if f"{recruiter_id}|{key}" not in hidden}
        self._shown[recruiter_id] = Published(recruiter_id, cells)
        last = self._checks.get(f"{self._checked}{recruiter_id}")
        if last is None or _counts(last) != _counts(live):
            self._changed.add(recruiter_id)
        else:
            self._changed.discard(recruiter_id)


def _changed(before: _Reads, now: _Reads) -> list[str]:
    """Keys added, replaced by another object, or gone between two reads.

    Reads of a kept range come in the order it was first read in, new keys after: when
    ``now`` starts with the very keys of ``before``, position by position, comparing the
    two runs of values in C is enough (3 ms over 100,000 keys where looking each key up
    took 30 on a busy machine). Otherwise each key is looked up."""
    count = len(before)
    if len(now) >= count and not any(map(is_not, before, islice(now, count))):
        keys = list(compress(now, map(is_not, before.values(), islice(now.values(), count))))
        return keys + list(islice(now, count, None))
    keys = list(compress(now, map(is_not, map(before.get, now), now.values())))
    if count + sum(key not in before for key in keys) != len(now):
        keys += filterfalse(now.__contains__, before)
    return keys


def _counts(summary: Summary) -> tuple[object, ...]:
    """A summary's counts as plain values: comparing ten thousand summaries field by field
    through pydantic was most of an unchanged list's time."""
    return (
        summary.reporters, summary.recommend_sum, summary.recommend_count,
        sorted(summary.fee_bands.items()),
        [(name, c.yes, c.no) for name, c in sorted(summary.indicators.items())],
    )  # fmt: skip
