"""Ratings storage on SQLite: ingest rate, one summary at a large size, the sector overview.

Targets (DESIGN.md): a recruiter summary with 1M reports < 5 ms; a sector
overview of 10k recruiters: max < 200 ms; ingest >= 2,000 reports/s, summary included.
The baseline, in the same run on the same file, is the obvious code: no
summaries table, a GROUP BY over the reports (``sqlite_ratings.aggregate``) for
one recruiter or for all of them, and a bare INSERT for ingest. The sector
overview also shows how the store read it before it kept one
(``sqlite_overview``): every row made a ``Summary`` on each read. Its first
read after start builds what is kept and is shown on its own row; the later
reads each follow ``WRITES_BETWEEN`` reports ingested since the one before.
The last table is what the portal's agency list and overview read before any
figure: every agency's published cells (``publication.refresh_origin``), with the
same target as the overview (max < 200 ms). Its first read publishes every due
cell (once after a deploy or a seeding); each later read follows ``WRITES_BETWEEN``
reports and re-checks only the agencies that changed. The baseline, timed just
before each later read on the same file, is how it read before anything was kept
(``_reread_origin``): every published record of the origin read from the table and
grouped by agency again; the two must show the same cells, or the run stops. A last
row is the first read of a restarted portal: a new store object, nothing parsed.

``python -m benchmarks ratings`` runs on the DESIGN.md size, 1,000,000 reports
over 10k recruiters, seeded with a fixed random seed. Seeding takes minutes (the
rows go in with one ``executemany`` in one transaction, then the summaries are
rebuilt by the store's own repair), so the seeded file is kept under
``var/bench/`` (``BENCH_RATINGS_CACHE`` moves it), named by schema version,
seeding version and size: later runs copy it and skip the seeding, and a
schema change seeds afresh. Everything is measured on the copy: ingest adds
``BENCH_RATINGS_INGEST`` (5k) reports to the million, one transaction each.
``BENCH_RATINGS_SIZE=100000`` makes a quicker run (the tables say which size
ran); ``BENCH_RATINGS_RECRUITERS`` (10k) changes the number of recruiters.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from benchmarks.table import percentile, print_table
from recruiter_reports import publication, questionnaire
from recruiter_reports.published_cells import Published
from recruiter_reports.reports import INDICATORS, Report
from recruiter_reports.stores import sqlite_publications
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.sqlite_schema import MIGRATIONS
from recruiter_reports.stores.sqlite_summaries import SUMMARY_COLUMNS, aggregate, summary_of
from recruiter_reports.summaries import Summary

SIZE = int(os.environ.get("BENCH_RATINGS_SIZE", "1000000"))
RECRUITERS = int(os.environ.get("BENCH_RATINGS_RECRUITERS", "10000"))
INGEST = int(os.environ.get("BENCH_RATINGS_INGEST", "5000"))
LOOKUPS = 500
OVERVIEWS = 50
WRITES_BETWEEN = 20
REBUILDS = 5
PUBLISH_READS = 25
_START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
SEED_VERSION = 1
"""Bump when ``_bulk_load`` changes what it writes: a cached file is then seeded anew."""
CACHE = Path(
    os.environ.get("BENCH_RATINGS_CACHE", Path(__file__).resolve().parent.parent / "var" / "bench")
)


def _recruiter(n: int) -> str:
    return f"KE-BENCH-{n:06d}"


def _answers(rng: random.Random, recruiter_id: str, when: dt.datetime) -> dict[str, object]:
    fields: dict[str, object] = {
        "recruiter_id": recruiter_id,
        "origin": "KE",
        "destination": rng.choice(["QA", "AE", "SA", None]),
        "fee_band": rng.choice(["none", "b1", "b2", "b3", "b4", "b5", None]),
        "recommend": rng.choice([1, 2, 3, 4, 5, None]),
        "comment": None,
        "created_at": when.isoformat().replace("+00:00", "Z"),
    }
    for name in INDICATORS:
        fields[name] = rng.choice([True, False, None])
    return fields


def _bulk_load(db: sqlite3.Connection, size: int, recruiters: int) -> None:
    """``size`` reports written straight into the table (seeding, not what is measured)."""
    rng = random.Random(7)
    rows = []
    for n in range(size):
        rid = _recruiter(rng.randrange(recruiters))
        when = _START + dt.timedelta(seconds=n * 30)
        answers = _answers(rng, rid, when)
        answers.pop("comment")
        stamp = when.timestamp()
        rows.append((f"p{n:08d}", rid, "KE", json.dumps(answers), stamp, stamp, stamp))
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO reports (pseudonym, recruiter_id, origin, answers, held, created_at, "
        "first_at, reporter_since) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
        rows,
    )
    db.execute("COMMIT")


def _rebuilt_overview(db: sqlite3.Connection) -> dict[str, Summary]:
    """The overview as the store built it on every read before it kept one."""
    names = questionnaire.current().indicators
    rows = db.execute(f"SELECT {SUMMARY_COLUMNS} FROM summaries WHERE dim = 'all'")
    return {row[0]: summary_of(row, names) for row in rows}


def _range(db: sqlite3.Connection, prefix: str) -> dict[str, Summary]:
    rows = db.execute(
        "SELECT group_key, summary FROM publications WHERE group_key >= ? AND group_key < ? "
        "ORDER BY group_key",
        (prefix, prefix + "\U0010ffff"),
    )
    return {key: sqlite_publications.snapshot(body) for key, body in rows}


async def _reread_origin(store: SQLiteStore, origin: str, k: int) -> dict[str, Published]:
    """``refresh_origin`` as it was before anything was kept: every published record of the
    origin read from the table and grouped again, each summary compared with its checked
    one. It re-checks the same agencies; their writes are left to the read measured next."""
    live = await store.summaries(origin=origin)
    checked = await store.run(lambda db: _range(db, f"checked:{origin}"))
    flags = await store.run(lambda db: _range(db, f"hidden:{origin}"))
    hidden = {key.removeprefix("hidden:") for key, flag in flags.items() if flag.reporters}
    found: dict[str, dict[str, Summary]] = {rid: {} for rid in live}
    for key, cell in (await store.run(lambda db: _range(db, f"cell:{origin}"))).items():
        name = key.removeprefix("cell:")
        recruiter_id, _, cell_key = name.partition("|")
        if recruiter_id in found and name not in hidden:
            found[recruiter_id][cell_key] = cell
    shown = {rid: Published(rid, cells) for rid, cells in found.items()}
    for recruiter_id, summary in live.items():
        last = checked.get(f"checked:{recruiter_id}")
        changed = last is None or _counts(last) != _counts(summary)
        if changed and (summary.reporters >= k or found[recruiter_id]):
            shown[recruiter_id], _ = await publication._checked(store, recruiter_id, k)
    return shown


def _counts(summary: Summary) -> tuple[object, ...]:
    return (
        summary.reporters, summary.recommend_sum, summary.recommend_count,
        sorted(summary.fee_bands.items()),
        [(name, c.yes, c.no) for name, c in sorted(summary.indicators.items())],
    )  # fmt: skip


async def _kept_in[R](into: list[R], work: Awaitable[R]) -> R:
    """``work``'s result, also put in ``into`` (to compare two timed reads after)."""
    into.append(await work)
    return into[-1]


async def _timed(work: Callable[[], Awaitable[object]], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _seed(path: Path) -> None:
    """A fresh store file with ``SIZE`` reports and their summaries (the repair builds them)."""
    store = SQLiteStore(path)
    await store.open()
    await store.run(lambda db: _bulk_load(db, SIZE, RECRUITERS))
    await store.recompute_summaries()
    await store.close()


async def _migrate(path: Path) -> None:
    store = SQLiteStore(path)
    await store.open()
    await store.close()


def _seeded() -> tuple[Path, str]:
    """The cached seeded file, made first when missing; and how it was come by.

    A file seeded the same way under an older schema is migrated (as a
    deployed file would be) rather than seeded again.
    """
    name = f"seed{SEED_VERSION}-{SIZE}-{RECRUITERS}.sqlite3"
    path = CACHE / f"ratings-schema{len(MIGRATIONS)}-{name}"
    if path.exists():
        return path, f"seeded file reused from {path.parent.name}/"
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(f"{partial.name}*"):
        leftover.unlink()
    older = sorted(CACHE.glob(f"ratings-schema*-{name}"), key=lambda p: p.stat().st_mtime)
    started = time.perf_counter()
    if older:
        shutil.copyfile(older[-1], partial)
        asyncio.run(_migrate(partial))
        how = f"seeded file migrated from {older[-1].name.split('-')[1]}"
    else:
        asyncio.run(_seed(partial))
        how = "seeded"
    os.replace(partial, path)  # closed cleanly: the WAL is folded back, one file
    for stale in older:
        stale.unlink()
    return path, f"{how} in {time.perf_counter() - started:.0f} s"


async def _run(folder: Path, seeded: str) -> None:
    store = SQLiteStore(folder / "bench.sqlite3")
    await store.open()
    rng = random.Random(3)

    # Ingest through the port: one transaction per report, summaries included.
    reports = [
        Report.model_validate(_answers(rng, _recruiter(rng.randrange(RECRUITERS)), _START))
        for _ in range(INGEST)
    ]
    started = time.perf_counter()
    for n, report in enumerate(reports):
        await store.save_report(f"ingest{n}", report, reporter_since=_START)
    ours_rate = INGEST / (time.perf_counter() - started)

    def _bare(db: sqlite3.Connection) -> None:
        for n, report in enumerate(reports):
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO reports (pseudonym, recruiter_id, origin, answers, held, "
                "created_at, first_at, reporter_since) VALUES (?, ?, ?, ?, 0, 0, 0, 0)",
                (f"bare{n}", report.recruiter_id, report.origin, report.model_dump_json()),
            )
            db.execute("COMMIT")
        db.execute("DELETE FROM reports WHERE pseudonym LIKE 'bare%'")

    started = time.perf_counter()
    await store.run(_bare)
    bare_rate = INGEST / (time.perf_counter() - started)
    print_table(
        f"Report ingest, SQLite, {INGEST:,} reports into {SIZE:,}, one transaction each "
        "(target >= 2,000/s)",
        ["code", "reports/s"],
        [["ours (report + 3 summary rows)", round(ours_rate)], ["bare INSERT", round(bare_rate)]],
    )
    total = SIZE + INGEST

    picks = [_recruiter(rng.randrange(RECRUITERS)) for _ in range(LOOKUPS)]
    ours = await _timed(lambda: store.summary(picks[len(picks) - 1]), 1)  # warm the cache
    ours = []
    base = []
    for rid in picks:
        ours += await _timed(lambda rid=rid: store.summary(rid), 1)
        base += await _timed(
            lambda rid=rid: store.run(lambda db: list(aggregate(db, "''", rid))), 1
        )
    print_table(
        f"One recruiter's summary, {total:,} reports over {RECRUITERS:,} recruiters "
        f"({seeded}; target < 5 ms at 1,000,000)",
        ["code", "p50 ms", "p95 ms", "max ms"],
        [
            ["ours (summaries table)", percentile(ours, 50), percentile(ours, 95), max(ours)],
            ["GROUP BY over reports", percentile(base, 50), percentile(base, 95), max(base)],
        ],
    )

    # The sector overview: the first read after start builds what the store keeps; each
    # later read follows ``WRITES_BETWEEN`` reports ingested since the one before.
    first = await _timed(store.summaries, 1)
    later: list[float] = []
    extra = [
        Report.model_validate(_answers(rng, _recruiter(rng.randrange(RECRUITERS)), _START))
        for _ in range(OVERVIEWS * WRITES_BETWEEN)
    ]
    for n, report in enumerate(extra):
        await store.save_report(f"between{n}", report, reporter_since=_START)
        if n % WRITES_BETWEEN == WRITES_BETWEEN - 1:
            later += await _timed(store.summaries, 1)
    # What the portal's list and overview read first: every agency's published cells,
    # after publishing the cells that are due (``recruiter_reports.publication``).
    now = _START + dt.timedelta(days=400)
    publish_first = await _timed(lambda: publication.refresh_origin(store, "KE", 5, now), 1)
    publish_later: list[float] = []
    reread: list[float] = []
    shown: dict[str, list[dict[str, Published]]] = {"before": [], "ours": []}
    for n, report in enumerate(extra[: PUBLISH_READS * WRITES_BETWEEN]):
        await store.save_report(f"after{n}", report, reporter_since=_START)
        if n % WRITES_BETWEEN == WRITES_BETWEEN - 1:
            reread += await _timed(
                lambda: _kept_in(shown["before"], _reread_origin(store, "KE", 5)), 1
            )
            publish_later += await _timed(
                lambda: _kept_in(
                    shown["ours"], publication.refresh_origin(store, "KE", 5, now)
                ), 1
            )  # fmt: skip
            if shown["ours"].pop() != shown["before"].pop():
                raise SystemExit("the kept read shows other cells than the read before it")
    # A restarted portal: a new store object on the file, nothing kept, nothing parsed.
    sqlite_publications._SNAPSHOTS.clear()
    restarted = SQLiteStore(folder / "bench.sqlite3")
    await restarted.open()
    await restarted.summaries()  # the overview's own first read is in the table above
    restart = await _timed(lambda: publication.refresh_origin(restarted, "KE", 5, now), 1)
    await restarted.close()
    cells = len(await store.published_under("cell:"))
    rebuilt = await _timed(lambda: store.run(_rebuilt_overview), REBUILDS)
    base = await _timed(lambda: store.run(lambda db: list(aggregate(db))), 1)  # ~a minute
    overview = await store.summaries()
    print_table(
        f"Sector overview of {len(overview):,} recruiters, {total + len(extra):,} reports "
        f"(target: max < 200 ms; {WRITES_BETWEEN} reports ingested before each later read)",
        ["code", "reads", "p50 ms", "max ms"],
        [
            [f"ours, {OVERVIEWS} later reads (kept, refreshed)", OVERVIEWS,
             percentile(later, 50), max(later)],
            ["ours, first read after start (builds it)", 1, first[0], first[0]],
            ["every row to a Summary on each read (before)", REBUILDS,
             percentile(rebuilt, 50), max(rebuilt)],
            ["GROUP BY over reports", 1, base[0], base[0]],
        ],
    )  # fmt: skip
    print_table(
        f"Published cells of every agency (portal list and overview: publication.refresh_origin), "
        f"{cells:,} cells published, {total + len(extra):,} reports (target: later reads "
        f"max < 200 ms; {WRITES_BETWEEN} reports ingested before each later read; "
        "both show the same cells)",
        ["code", "reads", "p50 ms", "max ms"],
        [
            ["ours, later reads (kept, refreshed from what changed)", len(publish_later),
             percentile(publish_later, 50), max(publish_later)],
            ["every published record re-read and regrouped (before)", len(reread),
             percentile(reread, 50), max(reread)],
            ["first read (publishes every due cell)", 1, publish_first[0], publish_first[0]],
            ["first read after a restart (nothing kept or parsed)", 1, restart[0], restart[0]],
        ],
    )  # fmt: skip
    await store.close()


def main() -> None:
    source, seeded = _seeded()
    with tempfile.TemporaryDirectory(prefix="bench-ratings-") as folder:
        shutil.copyfile(source, Path(folder) / "bench.sqlite3")
        asyncio.run(_run(Path(folder), seeded))


if __name__ == "__main__":
    main()
