"""The summaries table of the SQLite store: kept in step with reports, or rebuilt from them.

One row per recruiter (``dim = 'all'``) and one per breakdown cell (by
destination, by year). ``apply`` adds or removes one report with
``Summary.add`` / ``Summary.remove`` inside the caller's transaction;
``aggregate`` is the plain GROUP BY over the reports that the table must
always equal (the repair, and the benchmark's baseline).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from recruiter_reports import questionnaire
from recruiter_reports.reports import Report
from recruiter_reports.stores.records import NOT_SAID
from recruiter_reports.summaries import Summary, YesNo

__all__ = [
    "ALL",
    "CELL_SQL",
    "QUARTER_CELL_SQL",
    "SUMMARY_COLUMNS",
    "aggregate",
    "apply",
    "lacks_an_indicator",
    "summary_of",
    "unsummarize_reports_of",
    "write",
]

ALL = "all"
SUMMARY_COLUMNS = "recruiter_id, reporters, yes_no, recommend_sum, recommend_count, fee_bands"


def unsummarize_reports_of(db: sqlite3.Connection, pseudonym: str) -> None:
    """Take the person's counted reports out of their summaries (in the caller's transaction)."""
    rows = db.execute(
        "SELECT answers FROM reports WHERE pseudonym = ? AND held = 0", (pseudonym,)
    ).fetchall()
    for (answers,) in rows:
        apply(db, Report.model_validate_json(answers), -1)


def _cells(report: Report) -> tuple[tuple[str, str], ...]:
    return (
        (ALL, ""),
        ("destination", report.destination or NOT_SAID),
        ("year", str(report.created_at.year)),
    )


_ROWS_OF = (
    "SELECT dim, value, reporters, yes_no, recommend_sum, recommend_count, fee_bands "
    "FROM summaries WHERE recruiter_id = ?"
)
_UPSERT = (
    "INSERT INTO summaries (recruiter_id, dim, value, origin, reporters, yes_no, recommend_sum, "
    "recommend_count, fee_bands) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (recruiter_id, dim, value) DO UPDATE SET reporters = excluded.reporters, "
    "yes_no = excluded.yes_no, "
    "recommend_sum = excluded.recommend_sum, recommend_count = excluded.recommend_count, "
    "fee_bands = excluded.fee_bands"
)
"""Updated in place; ``origin`` is left out of the update (a recruiter's origin does not
change), so the overview index on it is not rewritten: that was a third of a report's
page writes."""
_DELETE = "DELETE FROM summaries WHERE recruiter_id = ? AND dim = ? AND value = ?"


def apply(db: sqlite3.Connection, report: Report, sign: int) -> None:
    """Add (+1) or remove (-1) one report in each summary row it belongs to.

    Plain counting on the stored JSON (the same arithmetic as ``Summary.add``):
    building and validating a ``Summary`` per row was most of an ingest's time.
    The recruiter's rows are read with one statement (a handful of rows, next
    to each other under the primary key) and written back with one more,
    updated in place. The contract suite checks that the rows always equal
    ``summarize``. Raises ValueError when the report cannot have been counted
    in a row.
    """
    rid = report.recruiter_id
    names = questionnaire.current().indicators
    answers = [(name, answer) for name, answer in report.answers().items() if answer is not None]
    band, recommend = report.fee_band, report.recommend
    cells = _cells(report)
    wanted = set(cells)
    found = {
        (row[0], row[1]): row[2:]
        for row in db.execute(_ROWS_OF, (rid,))
        if (row[0], row[1]) in wanted
    }
    writes = []
    for dim, value in cells:
        row = found.get((dim, value))
        if row is None:
            reporters, yes_no, recommend_sum, recommend_count, fees = 0, {}, 0, 0, {}
        else:
            reporters, recommend_sum, recommend_count = row[0], row[2], row[3]
            yes_no, fees = json.loads(row[1]), json.loads(row[4])
        reporters += sign
        for name, answer in answers:
            yes_no.setdefault(name, [0, 0])[0 if answer else 1] += sign
        if band is not None:
            fees[band] = fees.get(band, 0) + sign
            if not fees[band]:
                del fees[band]
        if recommend is not None:
            recommend_sum += sign * recommend
            recommend_count += sign
        if (
            reporters < 0
            or min((n for pair in yes_no.values() for n in pair), default=0) < 0
            or (min(fees.values(), default=0) < 0 or recommend_count < 0)
        ):
            raise ValueError(f"report cannot be removed from the summary of {rid}")
        if reporters == 0:
            db.execute(_DELETE, (rid, dim, value))
            continue
        for name in names:  # every indicator in use, as ``Summary`` has them
            yes_no.setdefault(name, [0, 0])
        writes.append((rid, dim, value, report.origin, reporters, _compact(yes_no),
                       recommend_sum, recommend_count, _compact(fees)))  # fmt: skip
    db.executemany(_UPSERT, writes)


_compact = json.JSONEncoder(separators=(",", ":")).encode
"""``json.dumps`` with these separators, without building an encoder on every call (six
calls per report)."""


def write(db: sqlite3.Connection, dim: str, value: str, origin: str, summary: Summary) -> None:
    """One summary row as a repair writes it."""
    yes_no = {name: [c.yes, c.no] for name, c in summary.indicators.items()}
    db.execute(
        _UPSERT,
        (summary.recruiter_id, dim, value, origin, summary.reporters, _compact(yes_no),
         summary.recommend_sum, summary.recommend_count, _compact(summary.fee_bands)),
    )  # fmt: skip


def summary_of(row: Sequence[Any], names: tuple[str, ...] | None = None) -> Summary:
    """A stored summary row as a ``Summary``; trusted data, so built without re-validation.

    The sector overview builds ten thousand of these: ``names`` (the
    questionnaire's indicators) is looked up once by the caller, the parsed
    JSON parts are cached by their text (many recruiters share the same small
    counts) and the ``Summary`` is built by ``Summary.trusted``. A row written
    before a question was added reads that indicator as no answers.
    """
    rid, reporters, yes_no, recommend_sum, recommend_count, fee_bands = row
    if names is None:
        names = questionnaire.current().indicators
    return Summary.trusted(
        rid, reporters, dict(zip(names, _indicators(yes_no, names), strict=True)),
        dict(_fee_bands(fee_bands)), recommend_sum, recommend_count,
    )  # fmt: skip


@lru_cache(maxsize=65536)
def _indicators(yes_no: str, names: tuple[str, ...]) -> tuple[YesNo, ...]:
    pairs = json.loads(yes_no)
    return tuple(_yes_no(*pairs.get(n, (0, 0))) for n in names)


@lru_cache(maxsize=65536)
def _yes_no(yes: int, no: int) -> YesNo:
    """One shared (frozen) ``YesNo`` per pair of counts: at a million reports every row's
    counts differ as a whole, but each pair repeats, and building them was most of the
    sector overview's time."""
    return YesNo.model_construct(yes=yes, no=no)


def lacks_an_indicator(db: sqlite3.Connection) -> bool:
    """True when a stored summary predates a question of the questionnaire in use."""
    for name in questionnaire.current().indicators:
        row = db.execute(
            "SELECT 1 FROM summaries WHERE json_type(yes_no, ?) IS NULL LIMIT 1",
            (f"$.{name}",),
        ).fetchone()
        if row is not None:
            return True
    return False


@lru_cache(maxsize=65536)
def _fee_bands(fee_bands: str) -> tuple[tuple[str, int], ...]:
    return tuple(json.loads(fee_bands).items())


CELL_SQL: dict[str, str] = {
    ALL: "''",
    "destination": "coalesce(json_extract(answers, '$.destination'), '')",
    "year": "strftime('%Y', created_at, 'unixepoch')",
}
"""The cells kept in the summaries table, in step with every report write."""

QUARTER_CELL_SQL = (
    "coalesce(json_extract(answers, '$.destination'), '') || '|' || "
    "strftime('%Y', created_at, 'unixepoch') || 'Q' || "
    "((CAST(strftime('%m', created_at, 'unixepoch') AS INTEGER) + 2) / 3)"
)
"""``destination_quarter`` cells (``records.quarter_cell``), grouped when read: one
recruiter's reports, through the (recruiter_id, created_at) index."""


def aggregate(
    db: sqlite3.Connection, cell_sql: str = "''", recruiter_id: str | None = None
) -> Iterator[tuple[str, str, Summary]]:
    """(cell, origin, summary) of every recruiter (or one) and cell, by GROUP BY over reports.

    ``cell_sql`` is one of the expressions in ``CELL_SQL``. This is the slow,
    obviously right way: the maintained table must always equal it (and the
    benchmark's baseline).
    """
    where = "held = 0"
    params: tuple[str, ...] = ()
    if recruiter_id is not None:
        where += " AND recruiter_id = ?"
        params = (recruiter_id,)
    names = questionnaire.current().indicators
    flags = ", ".join(
        f"SUM(json_extract(answers, '$.{name}') = 1), SUM(json_extract(answers, '$.{name}') = 0)"
        for name in names
    )
    rows = db.execute(
        f"SELECT recruiter_id, {cell_sql} AS cell, MIN(origin), COUNT(*), {flags}, "  # noqa: S608
        "COALESCE(SUM(json_extract(answers, '$.recommend')), 0), "
        f"COUNT(json_extract(answers, '$.recommend')) FROM reports WHERE {where} "
        "GROUP BY recruiter_id, cell",
        params,
    ).fetchall()
    fees: dict[tuple[str, str], dict[str, int]] = {}
    for rid, cell, band, count in db.execute(
        f"SELECT recruiter_id, {cell_sql} AS cell, json_extract(answers, '$.fee_band') AS band, "  # noqa: S608
        f"COUNT(*) FROM reports WHERE {where} AND band IS NOT NULL "
        "GROUP BY recruiter_id, cell, band",
        params,
    ):
        fees.setdefault((rid, cell), {})[band] = count
    for row in rows:
        rid, cell, origin, reporters = row[:4]
        counts = row[4 : 4 + 2 * len(names)]
        yield cell, origin, Summary(
            recruiter_id=rid,
            reporters=reporters,
            indicators={name: YesNo(yes=counts[2 * i] or 0, no=counts[2 * i + 1] or 0)
                        for i, name in enumerate(names)},
            fee_bands=fees.get((rid, cell), {}),
            recommend_sum=row[-2],
            recommend_count=row[-1],
        )  # fmt: skip
