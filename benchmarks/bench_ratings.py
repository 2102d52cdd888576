"""Ratings storage on SQLite: ingest rate, one summary at a large size, the sector overview.

Targets (DESIGN.md): a recruiter summary with 1M reports < 5 ms; a sector
overview of 10k recruiters: max < 200 ms; ingest >= 2,000 reports/s, summary included.
The baseline, in the same run on the same file, is the obvious code: no
summaries table, a GROUP BY over the reports (``sqlite_ratings.aggregate``) for
one recruiter or for all of them, and a bare INSERT for ingest.

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
from recruiter_reports.reports import INDICATORS, Report
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.sqlite_schema import MIGRATIONS
from recruiter_reports.stores.sqlite_summaries import aggregate

SIZE = int(os.environ.get("BENCH_RATINGS_SIZE", "1000000"))
RECRUITERS = int(os.environ.get("BENCH_RATINGS_RECRUITERS", "10000"))
INGEST = int(os.environ.get("BENCH_RATINGS_INGEST", "5000"))
LOOKUPS = 500
OVERVIEWS = 5
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


def _seeded() -> tuple[Path, str]:
    """The cached seeded file, made first when missing; and how it was come by."""
    path = CACHE / f"ratings-schema{len(MIGRATIONS)}-seed{SEED_VERSION}-{SIZE}-{RECRUITERS}.sqlite3"
    if path.exists():
        return path, f"seeded file reused from {path.parent.name}/"
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(f"{partial.name}*"):
        leftover.unlink()
    started = time.perf_counter()
    asyncio.run(_seed(partial))
    os.replace(partial, path)  # closed cleanly: the WAL is folded back, one file
    return path, f"seeded in {time.perf_counter() - started:.0f} s"


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

    ours = await _timed(store.summaries, OVERVIEWS)
    base = await _timed(lambda: store.run(lambda db: list(aggregate(db))), OVERVIEWS)
    overview = await store.summaries()
    print_table(
        f"Sector overview of {len(overview):,} recruiters, {total:,} reports "
        "(target: max < 200 ms)",
        ["code", "p50 ms", "max ms"],
        [
            ["ours (summaries table)", percentile(ours, 50), max(ours)],
            ["GROUP BY over reports", percentile(base, 50), max(base)],
        ],
    )
    await store.close()


def main() -> None:
    source, seeded = _seeded()
    with tempfile.TemporaryDirectory(prefix="bench-ratings-") as folder:
        shutil.copyfile(source, Path(folder) / "bench.sqlite3")
        asyncio.run(_run(Path(folder), seeded))


if __name__ == "__main__":
    main()
