"""Databases written by earlier releases are upgraded on open, keeping every row."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from recruiter_reports.stores import SchemaTooNew
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.sqlite_schema import MIGRATIONS, Migration, migrate

from .conftest import FakeClock

PSEUDONYM = "c" * 64


def _user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def _indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_autoindex")}


def _write_version_1(path: Path, clock: FakeClock) -> None:
    """The schema as the first release wrote it, typed out rather than imported."""
    expires = (clock() + dt.timedelta(hours=1)).timestamp()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(
        "CREATE TABLE sessions (pseudonym TEXT PRIMARY KEY, state TEXT NOT NULL,"
        " expires_at REAL NOT NULL) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE deliveries (key TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID"
    )
    state = json.dumps({"flow": "sos", "locale": "ar", "text": "أحتاج مساعدة"}, ensure_ascii=False)
    db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (PSEUDONYM, state, expires))
    db.execute("INSERT INTO deliveries VALUES (?, ?)", ("telegram:42", expires))
    db.execute("PRAGMA user_version = 1")
    db.close()


async def test_a_version_1_database_is_upgraded_without_losing_rows(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    _write_version_1(path, clock)

    store = SQLiteStore(path, clock)
    await store.open()
    try:
        assert await store.load_session(PSEUDONYM) == {
            "flow": "sos",
            "locale": "ar",
            "text": "أحتاج مساعدة",
        }
        # An id recorded before leases existed stays a repeat, whatever its (absent) lease.
        later = clock() + dt.timedelta(hours=1)
        claimed = await store.claim_delivery("telegram:42", lease_until=later, expires_at=later)
        assert claimed is False
    finally:
        await store.close()
    assert _user_version(path) == len(MIGRATIONS)
    assert {"sessions_expires_at", "deliveries_expires_at"} <= _indexes(path)


async def test_an_empty_version_0_file_gets_the_whole_schema(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).close()
    assert _user_version(path) == 0

    store = SQLiteStore(path, clock)
    await store.open()
    await store.save_session(PSEUDONYM, {"step": 1}, clock() + dt.timedelta(hours=1))
    await store.close()
    assert _user_version(path) == len(MIGRATIONS)


async def test_a_database_from_a_newer_release_is_refused_untouched(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    _write_version_1(path, clock)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    before = path.read_bytes()

    store = SQLiteStore(path, clock)
    with pytest.raises(SchemaTooNew, match="newer than this release"):
        await store.open()
    assert path.read_bytes() == before


def test_a_failing_step_leaves_the_database_at_the_previous_version(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    _write_version_1(path, clock)
    broken = Migration(
        "a step that fails halfway",
        ("CREATE TABLE ratings (reporter TEXT)", "INSERT INTO no_such_table VALUES (1)"),
    )
    db = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(db, (*MIGRATIONS, broken))
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        rows = db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    finally:
        db.close()
    assert _user_version(path) == len(MIGRATIONS)
    assert "ratings" not in tables
    assert rows == 1


def test_a_step_can_move_data_with_python(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "bot.sqlite3"
    _write_version_1(path, clock)

    def _add_locale_column(db: sqlite3.Connection) -> None:
        for pseudonym, state in db.execute("SELECT pseudonym, state FROM sessions").fetchall():
            locale = json.loads(state).get("locale")
            db.execute("UPDATE sessions SET locale = ? WHERE pseudonym = ?", (locale, pseudonym))

    step = Migration(
        "locale column", ("ALTER TABLE sessions ADD COLUMN locale TEXT",), _add_locale_column
    )
    db = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrate(db, (*MIGRATIONS, step)) == 1
        locales = db.execute("SELECT locale FROM sessions").fetchall()
    finally:
        db.close()
    assert locales == [("ar",)]
    assert _user_version(path) == len(MIGRATIONS) + 1


async def test_a_database_from_before_typed_names_keeps_its_reports(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Step 9 adds the names table and each report's broker key; older reports have none."""
    from recruiter_reports.names import NameKind
    from recruiter_reports.reports import Report

    path = tmp_path / "bot.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:8])
    answers = json.dumps({"recruiter_id": "KE-EX-KE-0001", "origin": "KE", "passport_kept": True,
                          "created_at": clock().isoformat()})  # fmt: skip
    db.execute(
        "INSERT INTO reports (pseudonym, recruiter_id, origin, answers, held, created_at, "
        "first_at, reporter_since) VALUES (?, 'KE-EX-KE-0001', 'KE', ?, 0, ?, ?, ?)",
        (PSEUDONYM, answers, clock().timestamp(), clock().timestamp(), clock().timestamp()),
    )
    db.close()

    store = SQLiteStore(path, clock)
    await store.open()
    try:
        (kept,) = await store.reports_of(PSEUDONYM)
        assert kept.report.answer("passport_kept") is True and kept.report.broker is None
        assert await store.broker_counts("KE-EX-KE-0001") == {}
        newer = Report(recruiter_id="KE-EX-KE-0001", origin="KE", broker="Otieno Office",
                       created_at=clock())  # fmt: skip
        await store.save_report("d" * 64, newer, reporter_since=clock())
        assert await store.broker_counts("KE-EX-KE-0001") == {"otieno office": 1}
        assert [r.text for r in await store.name_records(NameKind.BROKER)] == ["Otieno Office"]
    finally:
        await store.close()
    assert _user_version(path) == len(MIGRATIONS)


async def test_a_database_from_before_claims_named_their_person_keeps_its_saved_replies(
    tmp_path: Path, clock: FakeClock
) -> None:
    """The step that links a claim's saved replies to their person, for /forget."""
    step = next(n for n, m in enumerate(MIGRATIONS) if "/forget erases them" in m.description)
    path = tmp_path / "bot.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:step])
    expires = (clock() + dt.timedelta(days=1)).timestamp()
    db.execute(
        "INSERT INTO deliveries (key, expires_at, lease_until, completed, owner, replies) "
        "VALUES ('telegram:77', ?, 0, 0, '', 'saved')",
        (expires,),
    )
    db.close()

    store = SQLiteStore(path, clock)
    await store.open()
    try:
        later = clock() + dt.timedelta(minutes=2)
        # Whose they are is not known: they are sent again as before, then dropped.
        assert await store.claim_delivery_answer(
            "telegram:77", lease_until=later, expires_at=later
        ) == (True, "saved")
        await store.claim_delivery("telegram:78", lease_until=later, expires_at=later)
        await store.save_session(PSEUDONYM, {}, later, answer=("telegram:78", "mine"))
        await store.forget(PSEUDONYM)
        rows = await store.run(
            lambda db: db.execute(
                "SELECT key, replies, pseudonym, completed FROM deliveries ORDER BY key"
            ).fetchall()
        )
    finally:
        await store.close()
    assert rows == [("telegram:77", "saved", None, 0), ("telegram:78", None, None, 1)]
    assert _user_version(path) == len(MIGRATIONS)
    assert "deliveries_pseudonym" in _indexes(path)


async def test_a_database_with_the_first_at_index_loses_it_and_keeps_the_daily_count(
    tmp_path: Path, clock: FakeClock
) -> None:
    """The step that drops reports_first_at: the count it served still finds the reports."""
    from recruiter_reports.reports import Report

    step = next(n for n, m in enumerate(MIGRATIONS) if "reports_first_at dropped" in m.description)
    path = tmp_path / "bot.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:step])
    db.close()
    assert "reports_first_at" in _indexes(path)
    store = SQLiteStore(path, clock)
    await store.open()
    try:
        for rid in ("KE-EX-KE-0001", "KE-EX-KE-0002"):
            report = Report(recruiter_id=rid, origin="KE", created_at=clock())
            await store.save_report(PSEUDONYM, report, reporter_since=clock())
        assert await store.new_reports_since(PSEUDONYM, clock() - dt.timedelta(days=1)) == 2
        assert await store.new_reports_since(PSEUDONYM, clock() + dt.timedelta(days=1)) == 0
        plan = await store.run(
            lambda db: db.execute(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM reports "
                "WHERE pseudonym = ? AND first_at >= ?",
                (PSEUDONYM, 0),
            ).fetchall()
        )
    finally:
        await store.close()
    assert "reports_first_at" not in _indexes(path)
    assert "sqlite_autoindex_reports_1 (pseudonym=?)" in " ".join(row[3] for row in plan)


async def test_a_database_from_before_the_publications_log_keeps_its_publications(
    tmp_path: Path, clock: FakeClock
) -> None:
    """The step that logs publications writes: rows published before it are read, kept,
    and replaced by a later write from another process like any other."""
    from recruiter_reports.stores.sqlite_publications import KEEP_FROM
    from recruiter_reports.summaries import Summary

    step = next(n for n, m in enumerate(MIGRATIONS) if "log of publications" in m.description)
    path = tmp_path / "bot.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:step])
    groups = {f"cell:KE-EX-KE-{n:04d}|QA|2026Q2": Summary(recruiter_id=f"KE-EX-KE-{n:04d}",
                                                         reporters=5)
              for n in range(KEEP_FROM + 1)}  # fmt: skip
    db.executemany(
        "INSERT INTO publications (group_key, summary, published_at) VALUES (?, ?, 0)",
        [(key, s.model_dump_json()) for key, s in groups.items()],
    )
    db.close()
    portal, bot = SQLiteStore(path, clock), SQLiteStore(path, clock)
    await portal.open()
    await bot.open()
    try:
        assert await portal.published_under("cell:KE") == groups
        key = next(iter(groups))
        later = Summary(recruiter_id="KE-EX-KE-0000", reporters=10)
        await bot.publish({key: later}, clock())
        assert await portal.published_under("cell:KE") == groups | {key: later}
    finally:
        await portal.close()
        await bot.close()
    assert _user_version(path) == len(MIGRATIONS)
