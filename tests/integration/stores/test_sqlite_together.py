"""Claims and session saves that arrive together share one SQLite transaction, and what
each caller is told is what the file holds."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.sqlite_together import SQLiteTogether

UNTIL = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
LEASE = dt.datetime(2029, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "bot.sqlite3")
    await opened.open()
    yield opened
    await opened.close()


async def test_many_people_at_once_are_all_kept(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forty saves and forty claims at once: all of them in the file afterwards."""
    units = 0
    real = SQLiteTogether.begin

    def counted(self: SQLiteTogether) -> bool:
        nonlocal units
        opened = real(self)
        units += opened
        return opened

    monkeypatch.setattr(SQLiteTogether, "begin", counted)
    await asyncio.gather(
        *(store.save_session(f"person{n}", {"v": 1, "n": n}, UNTIL) for n in range(40)),
        *(store.claim_delivery_answer(f"telegram:{n}", lease_until=LEASE, expires_at=UNTIL)
          for n in range(40)),
    )  # fmt: skip
    with sqlite3.connect(store.path) as other:  # what another process reads
        sessions = other.execute("SELECT count(*) FROM sessions").fetchone()[0]
        claims = other.execute("SELECT count(*) FROM deliveries").fetchone()[0]
    assert (sessions, claims) == (40, 40)
    assert 1 <= units < 80  # they did share transactions
    states = await asyncio.gather(*(store.load_session(f"person{n}") for n in range(40)))
    assert states == [{"v": 1, "n": n} for n in range(40)]


async def test_a_second_claim_of_one_update_in_the_same_unit_loses(store: SQLiteStore) -> None:
    first, second = await asyncio.gather(
        store.claim_delivery_answer("telegram:7", lease_until=LEASE, expires_at=UNTIL),
        store.claim_delivery_answer("telegram:7", lease_until=LEASE, expires_at=UNTIL),
    )
    assert sorted([first[0], second[0]]) == [False, True]  # exactly one handles it


def test_a_transaction_sqlite_rolled_back_by_itself_reports_every_piece_failed(
    tmp_path: Path,
) -> None:
    """After an error that ends the transaction (a full disk), the pieces still to come
    and the commit fail, so none is reported done with its writes gone."""
    db = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    db.execute("CREATE TABLE t (n INTEGER)")
    together = SQLiteTogether(lambda: db, lambda: None)
    assert together.begin()
    together.each(lambda: db.execute("INSERT INTO t VALUES (1)"))
    db.execute("ROLLBACK")  # what SQLite does by itself on some errors
    with pytest.raises(sqlite3.OperationalError, match="rolled back"):
        together.each(lambda: db.execute("INSERT INTO t VALUES (2)"))
    with pytest.raises(sqlite3.OperationalError, match="rolled back"):
        together.commit()
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    db.close()


def test_the_check_before_the_unit_stands_for_its_pieces(tmp_path: Path) -> None:
    """The guard is asked before the unit opens and before its commit, not for each
    piece; a check failing before the unit opens opens none, so each piece is asked."""
    db = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    db.execute("CREATE TABLE t (n INTEGER)")
    checks: list[str] = []
    shared: list[bool] = []
    together = SQLiteTogether(lambda: db, lambda: checks.append("checked"), shared.append)
    assert together.begin()
    for n in range(3):
        together.each(lambda n=n: db.execute("INSERT INTO t VALUES (?)", (n,)))
    together.commit()
    assert (len(checks), shared) == (2, [True, False])
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 3

    def failing() -> None:
        raise StoreUnavailable("the file was deleted while open")

    assert not SQLiteTogether(lambda: db, failing, shared.append).begin()
    assert not db.in_transaction and shared == [True, False]
    db.close()


async def test_a_file_deleted_between_two_units_refuses_the_second(store: SQLiteStore) -> None:
    await store.save_session("person", {"v": 1}, UNTIL)
    store.path.unlink()
    results = await asyncio.gather(
        *(store.save_session(f"person{n}", {"v": 2}, UNTIL) for n in range(3)),
        return_exceptions=True,
    )
    assert all(isinstance(result, StoreUnavailable) for result in results)
    with pytest.raises(StoreUnavailable):
        await store.load_session("person")  # a piece alone is still checked


def test_no_unit_is_opened_inside_a_turns_transaction(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    db.execute("BEGIN IMMEDIATE")  # a unit of work of the store is open
    assert not SQLiteTogether(lambda: db, lambda: None).begin()
    db.execute("ROLLBACK")
    db.close()


async def test_a_store_gone_under_the_unit_refuses_every_piece(store: SQLiteStore) -> None:
    store.path.unlink()  # the file's path no longer names the file opened
    results = await asyncio.gather(
        *(store.save_session(f"person{n}", {"v": 1}, UNTIL) for n in range(5)),
        return_exceptions=True,
    )
    assert all(isinstance(result, StoreUnavailable) for result in results)


def test_a_check_failing_before_the_commit_keeps_nothing(tmp_path: Path) -> None:
    """The file guard is asked again before the commit: a file gone meanwhile fails the
    whole unit, so no piece is told it was kept in a file that no longer exists."""
    db = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    db.execute("CREATE TABLE t (n INTEGER)")

    checks: list[str] = []

    def gone_after_the_first() -> None:  # there at the start, deleted while the pieces ran
        checks.append("checked")
        if len(checks) > 1:
            raise StoreUnavailable("the file was deleted while open")

    together = SQLiteTogether(lambda: db, gone_after_the_first)
    assert together.begin()
    together.each(lambda: db.execute("INSERT INTO t VALUES (1)"))
    with pytest.raises(StoreUnavailable):
        together.commit()
    assert not db.in_transaction
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    db.close()
