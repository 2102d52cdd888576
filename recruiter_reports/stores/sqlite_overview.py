"""The sector overview kept in the process, brought up to date from the rows changed since.

Building ten thousand ``Summary`` objects from their rows takes hundreds of
milliseconds on a busy machine, far over the 200 ms the portal's overview may
take at worst (DESIGN.md). So the overview of each cell (``('all', '')``, a
destination) is built once and then refreshed from what changed: triggers log
every write to the summaries table in ``summary_changes`` (whoever makes it:
a report, a merge, a repair), and a read re-reads only the recruiters logged
since the last one. The log is in the file, so writes by another process on
the same file are seen too. When too much changed, or the log no longer
reaches back that far (``prune_changes``), the overview is built afresh.

Only committed rows are kept: inside a transaction (a turn's unit of work,
which may still roll back) the overview is built from the rows as they are
and nothing is kept. The kept summaries are shared between reads; ``Summary``
is frozen and readers do not change its mappings.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from recruiter_reports import questionnaire
from recruiter_reports.stores.sqlite_summaries import SUMMARY_COLUMNS, summary_of
from recruiter_reports.summaries import Summary

__all__ = ["KeptOverviews", "prune_changes"]

_ROWS = f"SELECT origin, {SUMMARY_COLUMNS} FROM summaries WHERE dim = ? AND value = ?"  # noqa: S608
_ROW = _ROWS + " AND recruiter_id = ?"
_CHANGED = (
    "SELECT DISTINCT recruiter_id FROM summary_changes WHERE seq > ? AND dim = ? AND value = ? "
    "LIMIT ?"
)
_ENDS = "SELECT (SELECT max(seq) FROM summary_changes), (SELECT min(seq) FROM summary_changes)"
"""Two lookups of the primary key: ``max(seq), min(seq)`` in one select scans the whole log
(8 ms at 130,000 entries, on every read)."""
MOST_REREAD = 2000
"""More recruiters changed than this since the last read: building afresh is cheaper."""
LOG_KEPT = 200_000
"""Entries of ``summary_changes`` kept by ``prune_changes`` (a few days of reports)."""


def prune_changes(db: sqlite3.Connection) -> None:
    """Drop all but the last ``LOG_KEPT`` log entries; the newest always stays, so ``seq``
    keeps growing. An overview kept from before the cut is built afresh."""
    db.execute(
        "DELETE FROM summary_changes WHERE seq <= (SELECT max(seq) FROM summary_changes) - ?",
        (LOG_KEPT,),
    )


@dataclass(slots=True)
class _Kept:
    seq: int
    names: tuple[str, ...]
    summaries: dict[str, Summary] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)


class KeptOverviews:
    """The overviews read so far, by cell; used on the store's thread only."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], _Kept] = {}

    def read(
        self, db: sqlite3.Connection, dim: str, value: str, origin: str | None
    ) -> dict[str, Summary]:
        """Every recruiter's summary in the cell (of one origin, when given)."""
        if db.in_transaction:
            kept = _built(db, 0, dim, value)
        else:
            db.execute("BEGIN")  # one snapshot for the log and the rows
            try:
                kept = self._refreshed(db, dim, value)
            finally:
                db.execute("COMMIT")
        if origin is None:
            return dict(kept.summaries)
        origins = kept.origins
        return {rid: s for rid, s in kept.summaries.items() if origins[rid] == origin}

    def _refreshed(self, db: sqlite3.Connection, dim: str, value: str) -> _Kept:
        newest, oldest = db.execute(_ENDS).fetchone()
        seq = newest or 0
        kept = self._kept.get((dim, value))
        if kept is not None and seq != kept.seq:
            if seq < kept.seq or (oldest or 0) > kept.seq + 1:
                kept = None  # another file, or the log was cut since: build afresh
            else:
                changed = [
                    rid for (rid,) in db.execute(_CHANGED, (kept.seq, dim, value, MOST_REREAD + 1))
                ]
                if len(changed) > MOST_REREAD:
                    kept = None
                else:
                    for rid in changed:
                        _reread(db, kept, dim, value, rid)
                    kept.seq = seq
        if kept is None or kept.names != questionnaire.current().indicators:
            kept = self._kept[(dim, value)] = _built(db, seq, dim, value)
        return kept


def _built(db: sqlite3.Connection, seq: int, dim: str, value: str) -> _Kept:
    kept = _Kept(seq, questionnaire.current().indicators)
    names, summaries, origins = kept.names, kept.summaries, kept.origins
    for row in db.execute(_ROWS, (dim, value)):
        rid = row[1]
        summaries[rid] = summary_of(row[1:], names)
        origins[rid] = row[0]
    return kept


def _reread(db: sqlite3.Connection, kept: _Kept, dim: str, value: str, rid: str) -> None:
    """The recruiter's row as it is now; gone from the overview when it has none."""
    row = db.execute(_ROW, (dim, value, rid)).fetchone()
    if row is None:
        kept.summaries.pop(rid, None)
        kept.origins.pop(rid, None)
    else:
        kept.summaries[rid] = summary_of(row[1:], kept.names)
        kept.origins[rid] = row[0]
