"""What only the SQLite adapter promises: a private file, restarts, clear failures."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest

from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores import sqlite as sqlite_adapter
from recruiter_reports.stores.sqlite import SQLiteStore

from .conftest import FakeClock

PSEUDONYM = "a" * 64
OTHER = "b" * 64


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "deep" / "var" / "bot.sqlite3"


def _file_bytes(path: Path) -> bytes:
    return path.read_bytes()


async def _opened(path: Path, clock: FakeClock, **options: int) -> SQLiteStore:
    store = SQLiteStore(path, clock, **options)
    await store.open()
    return store


async def test_a_restarted_bot_finds_the_conversation_where_it_was(
    db_path: Path, clock: FakeClock
) -> None:
    first = await _opened(db_path, clock)
    await first.save_session(
        PSEUDONYM, {"step": "fees", "locale": "ne"}, clock() + dt.timedelta(hours=1)
    )
    await first.close()

    second = await _opened(db_path, clock)
    try:
        assert await second.load_session(PSEUDONYM) == {"step": "fees", "locale": "ne"}
    finally:
        await second.close()


async def test_the_database_is_created_private_with_its_folders(
    db_path: Path, clock: FakeClock
) -> None:
    store = await _opened(db_path, clock)
    try:
        await store.save_session(PSEUDONYM, {"step": 1}, clock() + dt.timedelta(hours=1))
        for path in (db_path, db_path.with_name(db_path.name + "-wal")):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        await store.close()


async def test_it_runs_in_wal_mode_with_normal_sync(db_path: Path, clock: FakeClock) -> None:
    store = await _opened(db_path, clock)
    try:
        pragmas = await store.run(
            lambda db: (
                db.execute("PRAGMA journal_mode").fetchone()[0],
                db.execute("PRAGMA synchronous").fetchone()[0],
                db.execute("PRAGMA busy_timeout").fetchone()[0],
            )
        )
    finally:
        await store.close()
    assert pragmas == ("wal", 1, 5000)


async def test_no_raw_id_in_the_file_after_the_wal_is_folded_back(
    db_path: Path, clock: FakeClock
) -> None:
    pseudonym = Pseudonymizer(b"k" * 40)("telegram", "123456789")
    store = await _opened(db_path, clock)
    await store.save_session(pseudonym, {"flow": "menu"}, clock() + dt.timedelta(hours=1))
    await store.close()

    written = _file_bytes(db_path)
    assert pseudonym.encode() in written
    assert b"123456789" not in written


async def test_a_locked_database_reports_unavailable(db_path: Path, clock: FakeClock) -> None:
    store = await _opened(db_path, clock, busy_timeout_ms=50)
    other_process = sqlite3.connect(db_path, isolation_level=None)
    other_process.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable):
            await store.save_session(PSEUDONYM, {"step": 1}, clock() + dt.timedelta(hours=1))
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
    await store.save_session(PSEUDONYM, {"step": 2}, clock() + dt.timedelta(hours=1))
    assert await store.load_session(PSEUDONYM) == {"step": 2}
    await store.close()


async def test_a_file_that_is_not_a_database_reports_unavailable(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite " * 100)
    store = SQLiteStore(path, clock)
    with pytest.raises(StoreUnavailable):
        await store.open()
    assert await store.ping() is False


async def test_a_folder_that_cannot_be_created_reports_unavailable(
    tmp_path: Path, clock: FakeClock
) -> None:
    (tmp_path / "var").write_text("a file where the folder should be")
    store = SQLiteStore(tmp_path / "var" / "bot.sqlite3", clock)
    with pytest.raises(StoreUnavailable):
        await store.open()


async def test_a_store_that_is_not_open_refuses_politely(db_path: Path, clock: FakeClock) -> None:
    store = SQLiteStore(db_path, clock)
    assert await store.ping() is False
    with pytest.raises(StoreUnavailable):
        await store.load_session(PSEUDONYM)
    await store.open()
    await store.close()
    assert await store.ping() is False
    with pytest.raises(StoreUnavailable):
        await store.save_session(PSEUDONYM, {}, clock() + dt.timedelta(hours=1))


async def test_expired_rows_are_deleted_not_just_hidden(db_path: Path, clock: FakeClock) -> None:
    store = await _opened(db_path, clock)
    try:
        await store.save_session(PSEUDONYM, {"step": 1}, clock() + dt.timedelta(minutes=5))
        until = clock() + dt.timedelta(minutes=5)
        await store.claim_delivery("telegram:1", lease_until=until, expires_at=until)
        clock.advance(hours=1)
        await store.save_session(OTHER, {"step": 1}, clock() + dt.timedelta(minutes=5))
        rows = await store.run(
            lambda db: (
                db.execute("SELECT pseudonym FROM sessions").fetchall(),
                db.execute("SELECT count(*) FROM deliveries").fetchone()[0],
            )
        )
    finally:
        await store.close()
    assert rows == ([(OTHER,)], 0)


async def test_forget_empties_every_table_listed_for_pseudonyms(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A later table (ratings) only has to be listed to be covered by /forget.
    store = await _opened(db_path, clock)
    await store.run(lambda db: db.execute("CREATE TABLE ratings (reporter TEXT, fee INTEGER)"))
    await store.run(
        lambda db: db.executemany(
            "INSERT INTO ratings VALUES (?, ?)", [(PSEUDONYM, 1), (PSEUDONYM, 2), (OTHER, 3)]
        )
    )
    monkeypatch.setattr(
        sqlite_adapter,
        "PSEUDONYM_TABLES",
        (*sqlite_adapter.PSEUDONYM_TABLES, ("ratings", "reporter")),
    )
    await store.save_session(PSEUDONYM, {"step": 1}, clock() + dt.timedelta(hours=1))
    await store.forget(PSEUDONYM)
    left = await store.run(lambda db: db.execute("SELECT reporter, fee FROM ratings").fetchall())
    await store.close()
    assert left == [(OTHER, 3)]


def _completed_on_disk(path: Path, key: str) -> bool:
    """What another worker's connection reads about ``key`` right now."""
    with sqlite3.connect(path) as other:
        row = other.execute("SELECT completed FROM deliveries WHERE key = ?", (key,)).fetchone()
    return row is not None and bool(row[0])


async def test_a_completion_rides_with_the_next_claim_in_its_one_commit(
    db_path: Path, clock: FakeClock
) -> None:
    store = await _opened(db_path, clock)
    statements: list[str] = []
    try:
        until, expires = clock() + dt.timedelta(minutes=2), clock() + dt.timedelta(days=1)
        assert await store.claim_delivery("telegram:1", lease_until=until, expires_at=expires)
        await store.complete_delivery("telegram:1")
        assert not _completed_on_disk(db_path, "telegram:1")  # not written yet...
        assert await store.delivery_completed("telegram:1")  # ...but this store knows it
        await store.run(lambda db: db.set_trace_callback(statements.append))
        await store.complete_delivery("telegram:1")
        assert await store.claim_delivery("telegram:2", lease_until=until, expires_at=expires)
        await store.run(lambda db: db.set_trace_callback(None))
        assert _completed_on_disk(db_path, "telegram:1")
        assert [s.split()[0] for s in statements] == ["BEGIN", "UPDATE", "INSERT", "COMMIT"]
        assert not await store.claim_delivery("telegram:1", lease_until=until, expires_at=expires)
    finally:
        await store.close()


async def test_a_completion_is_written_alone_soon_when_nothing_else_comes(
    db_path: Path, clock: FakeClock
) -> None:
    store = await _opened(db_path, clock)
    try:
        until, expires = clock() + dt.timedelta(minutes=2), clock() + dt.timedelta(days=1)
        assert await store.claim_delivery("telegram:3", lease_until=until, expires_at=expires)
        await store.complete_delivery("telegram:3")
        await asyncio.sleep(sqlite_adapter.COMPLETION_DELAY * 4)
        assert _completed_on_disk(db_path, "telegram:3")
        assert await store.claim_delivery("telegram:4", lease_until=until, expires_at=expires)
        await store.complete_delivery("telegram:4")
    finally:
        await store.close()  # writes what still waits
    assert _completed_on_disk(db_path, "telegram:4")


async def test_a_completion_whose_write_failed_waits_for_the_next_trip(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await _opened(db_path, clock)
    write = sqlite_adapter._complete
    failures = [sqlite3.OperationalError("disk I/O error")]

    def failing_once(db: sqlite3.Connection, keys: list[str]) -> None:
        if keys and failures:
            raise failures.pop()
        write(db, keys)

    monkeypatch.setattr(sqlite_adapter, "_complete", failing_once)
    try:
        until, expires = clock() + dt.timedelta(minutes=2), clock() + dt.timedelta(days=1)
        assert await store.claim_delivery("telegram:5", lease_until=until, expires_at=expires)
        await store.complete_delivery("telegram:5")
        with pytest.raises(StoreUnavailable):
            await store.load_session(PSEUDONYM)
        assert not _completed_on_disk(db_path, "telegram:5")
        await store.save_session(PSEUDONYM, {"step": 1}, clock() + dt.timedelta(hours=1))
        assert _completed_on_disk(db_path, "telegram:5")
    finally:
        await store.close()
