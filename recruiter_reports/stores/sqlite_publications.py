"""Wide ranges of published records kept in the process, brought up to date from the rows
changed since.

Before every page the portal's agency list and sector overview read each published
record of an origin (``publication.refresh_origin``: its cells, and which agencies were
checked and which cells hidden): about 130,000 rows at 1,000,000 reports, which took
300-400 ms to read and look up on each call, over the 200 ms the overview may take at
worst (DESIGN.md). So a range of ``KEEP_FROM`` rows or more is kept once read, and later
reads re-read only the keys that triggers logged in ``publication_changes`` since (whoever
wrote them: this process, another worker on the same file, a repair by hand). The log is
in the file, so what another process publishes is seen on the next read; what this process
publishes alone in its transaction is put in the kept ranges as it is written.

Narrow ranges (one agency's cells) are read from the table every time: a few rows of one
indexed range, and keeping one per agency would hold ten thousand small copies. As in
``sqlite_overview``: only committed rows are kept (inside a transaction a range is read
from the table and nothing is kept); a range kept from before the log was cut
(``prune_publication_changes``), or too far behind it, is read afresh. At most
``RANGES_KEPT`` ranges are kept (the one read longest ago goes first). Reads get a copy
of the kept mapping, not in key order; its ``Summary`` values are shared (frozen) and
stay the same objects until their record changes (``origin_cells`` relies on it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from recruiter_reports.summaries import Summary

__all__ = [
    "KeptPublications", "kept_snapshot", "prune_publication_changes", "published_rows",
    "snapshot",
]

_RANGE = (
    "SELECT group_key, summary FROM publications WHERE group_key >= ? AND group_key < ? "
    "ORDER BY group_key"
)
_CHANGED = (
    "SELECT DISTINCT group_key FROM publication_changes "
    "WHERE seq > ? AND group_key >= ? AND group_key < ? LIMIT ?"
)
_ENDS = (
    "SELECT (SELECT max(seq) FROM publication_changes), "
    "(SELECT min(seq) FROM publication_changes)"
)
"""Two lookups of the primary key: ``max(seq), min(seq)`` in one select scans the log."""
_END = "\U0010ffff"
"""After every key that starts with a prefix: ``prefix + _END`` ends its range."""
KEEP_FROM = 256
"""A range read with at least this many rows is kept (an origin's, not an agency's). So
is one whose prefix has no ``|``, even empty: group keys name their agency before one
(``publication.cell_group``), so such a prefix spans agencies (``"cell:KE"``), and the
first publication of every cell fills it in place (``wrote``)."""
RANGES_KEPT = 64
"""Kept ranges at most (three per origin are read); the one read longest ago goes first."""
MOST_REREAD = 2000
"""More keys changed than this since a range was kept: reading it afresh is cheaper."""
LOG_KEPT = 200_000
"""Entries of ``publication_changes`` kept by ``prune_publication_changes``."""

_SNAPSHOTS: dict[str, Summary] = {}
_SNAPSHOTS_KEPT = 262144


def snapshot(body: str) -> Summary:
    """A published snapshot from its stored JSON, parsed once per text: a range read afresh
    is nearly all unchanged snapshots (``Summary`` is frozen, so sharing it is safe).
    ``publish`` puts what it writes here too, so the read after it parses nothing."""
    found = _SNAPSHOTS.get(body)
    if found is None:
        found = kept_snapshot(body, Summary.model_validate_json(body))
    return found


def kept_snapshot(body: str, summary: Summary) -> Summary:
    """Remember ``summary`` as the parse of ``body``."""
    if len(_SNAPSHOTS) >= _SNAPSHOTS_KEPT:
        _SNAPSHOTS.clear()
    _SNAPSHOTS[body] = summary
    return summary


def prune_publication_changes(db: sqlite3.Connection) -> None:
    """Drop all but the last ``LOG_KEPT`` log entries; the newest always stays, so ``seq``
    keeps growing. A range kept from before the cut is read afresh."""
    db.execute(
        "DELETE FROM publication_changes "
        "WHERE seq <= (SELECT max(seq) FROM publication_changes) - ?",
        (LOG_KEPT,),
    )


@dataclass(slots=True)
class _Range:
    seq: int
    rows: dict[str, Summary]
    """In key order as first read, keys published since after them (sorting 100,000 keys
    again took longer than the rest of a read)."""


class KeptPublications:
    """The wide ranges read so far, by prefix; used on the store's thread only."""

    def __init__(self) -> None:
        self._kept: dict[str, _Range] = {}

    def read(self, db: sqlite3.Connection, prefix: str) -> dict[str, Summary]:
        """Every published record whose key starts with ``prefix`` (a kept range: in no
        particular order)."""
        if db.in_transaction:
            return _read_range(db, prefix)
        db.execute("BEGIN")  # one snapshot for the log and the rows
        try:
            rows = self._refreshed(db, prefix)
        finally:
            db.execute("COMMIT")
        return dict(rows)

    def newest(self, db: sqlite3.Connection) -> int:
        """The last entry of the log (0 when empty)."""
        return int(db.execute(_ENDS).fetchone()[0] or 0)

    def wrote(self, before: int, after: int, rows: Mapping[str, Summary]) -> None:
        """This connection committed ``rows``, alone in a transaction that took the log from
        ``before`` to ``after``: a range kept as of ``before`` takes them without reading
        anything (a first publication writes a hundred thousand cells, which would leave
        every kept range too far behind). Ranges further behind catch up from the log."""
        for prefix, kept in self._kept.items():
            if kept.seq == before:
                kept.rows.update((key, s) for key, s in rows.items() if key.startswith(prefix))
                kept.seq = after

    def _refreshed(self, db: sqlite3.Connection, prefix: str) -> dict[str, Summary]:
        newest, oldest = db.execute(_ENDS).fetchone()
        seq = newest or 0
        kept = self._kept.get(prefix)
        if kept is not None and seq != kept.seq:
            if seq < kept.seq or (oldest or 0) > kept.seq + 1:
                kept = None  # another file, or the log was cut since: read afresh
            else:
                changed = [
                    key
                    for (key,) in db.execute(
                        _CHANGED, (kept.seq, prefix, prefix + _END, MOST_REREAD + 1)
                    )
                ]
                if len(changed) > MOST_REREAD:
                    kept = None
                else:
                    _reread(db, kept, changed)
                    kept.seq = seq
        if kept is not None:
            self._kept[prefix] = self._kept.pop(prefix)  # read last: put aside last
            return kept.rows
        rows = _read_range(db, prefix)
        if len(rows) >= KEEP_FROM or "|" not in prefix:
            self._kept.pop(prefix, None)
            if len(self._kept) >= RANGES_KEPT:
                del self._kept[next(iter(self._kept))]
            self._kept[prefix] = _Range(seq, rows)
        return rows


def _read_range(db: sqlite3.Connection, prefix: str) -> dict[str, Summary]:
    return {key: snapshot(body) for key, body in db.execute(_RANGE, (prefix, prefix + _END))}


def published_rows(db: sqlite3.Connection, keys: list[str]) -> dict[str, Summary]:
    """The published records of these keys (those that exist), 500 keys a statement."""
    found: dict[str, Summary] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" * len(chunk))  # placeholders only: the keys are parameters
        for key, body in db.execute(
            f"SELECT group_key, summary FROM publications WHERE group_key IN ({marks})",  # noqa: S608
            chunk,
        ):
            found[key] = snapshot(body)
    return found


def _reread(db: sqlite3.Connection, kept: _Range, keys: list[str]) -> None:
    """The changed keys as they are now: replaced, added, or gone."""
    found = published_rows(db, keys)
    rows = kept.rows
    for key in keys:
        summary = found.get(key)
        if summary is None:
            rows.pop(key, None)
        else:
            rows[key] = summary
