"""The case outbox in the store's SQLite file, on a connection and thread of its own.

Beside the cases (same file, ``STORE_URL``), in one table whose version is
kept in ``case_outbox_schema``. ``claim`` is one ``BEGIN IMMEDIATE``
transaction that picks the due heads of each person's queue and leases them,
so two workers (two processes on one file) never lease the same entry.
SQLite failures become ``CasesUnavailable``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from casework.outbox import EntryKind, EntryStatus, OutboxEntry
from casework.port import CasesUnavailable
from casework.stores._codec import micros, moment

__all__ = ["SQLiteOutbox"]

T = TypeVar("T")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS case_outbox (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        person TEXT NOT NULL,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        detail TEXT NOT NULL,
        seen_at INTEGER,
        lease_until INTEGER,
        owner TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS case_outbox_by_person ON case_outbox (person, created_at, id)",
    "CREATE INDEX IF NOT EXISTS case_outbox_by_due ON case_outbox (due_at)",
    "CREATE INDEX IF NOT EXISTS case_outbox_by_case ON case_outbox (case_id)",
)
_COLUMNS = ("id, case_id, person, kind, ref, created_at, due_at, status, attempts, detail, "
            "seen_at, lease_until, owner")
_CLAIMABLE = ("status IN ('pending', 'stuck') AND due_at <= :now "
              "AND (lease_until IS NULL OR lease_until <= :now)")
_CLAIMABLE_NOW = ("person = :person AND status <> 'unreachable' "
                  "AND (lease_until IS NULL OR lease_until <= :now)")
"""``claim(..., person=...)``: that person's, due or not (``outbox.claimable_now``)."""
_HEAD = ("NOT EXISTS (SELECT 1 FROM case_outbox AS earlier WHERE earlier.person = o.person "
         "AND (earlier.created_at < o.created_at "
         "OR (earlier.created_at = o.created_at AND earlier.id < o.id)))")


class SQLiteOutbox:
    """Implements ``OutboxStore`` on a local SQLite file (shared with the other stores)."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        self._path = Path(path)
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._connection: sqlite3.Connection | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._opening = asyncio.Lock()

    async def open(self) -> None:
        async with self._opening:
            if self._connection is not None:
                return
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-outbox")
            try:
                connection = await asyncio.get_running_loop().run_in_executor(
                    executor, self._connect)
            except BaseException as error:
                executor.shutdown(wait=False)
                if isinstance(error, sqlite3.Error | OSError):
                    raise CasesUnavailable(f"cannot open {self._path}: {error}") from error
                raise
            self._connection, self._executor = connection, executor

    async def close(self) -> None:
        async with self._opening:
            connection, executor = self._connection, self._executor
            self._connection = self._executor = None
            if connection is None or executor is None:
                return
            try:
                await asyncio.get_running_loop().run_in_executor(executor, connection.close)
            finally:
                executor.shutdown(wait=False)

    async def enqueue(self, entry: OutboxEntry) -> bool:
        row = _row(entry)
        return await self._run(lambda db: db.execute(
            f"INSERT INTO case_outbox ({_COLUMNS}) VALUES "  # noqa: S608
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", row,
        ).rowcount == 1)

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50,
        person: str | None = None,
    ) -> list[OutboxEntry]:
        params = {"now": micros(now), "lease": micros(lease_until), "owner": owner,
                  "limit": int(limit), "person": person}
        which = _CLAIMABLE if person is None else _CLAIMABLE_NOW

        def _claim(db: sqlite3.Connection) -> list[OutboxEntry]:
            db.execute("BEGIN IMMEDIATE")
            try:
                ids = [row[0] for row in db.execute(
                    f"SELECT id FROM case_outbox AS o WHERE {which} AND {_HEAD} "  # noqa: S608
                    "ORDER BY created_at, id LIMIT :limit", params).fetchall()]
                for entry_id in ids:
                    db.execute("UPDATE case_outbox SET lease_until = :lease, owner = :owner "
                               "WHERE id = :id", {**params, "id": entry_id})
                rows = [db.execute(f"SELECT {_COLUMNS} FROM case_outbox WHERE id = ?",  # noqa: S608
                                   (entry_id,)).fetchone() for entry_id in ids]
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return [_entry(row) for row in rows]

        return await self._run(_claim)

    async def done(self, entry_id: str, owner: str) -> bool:
        return await self._run(lambda db: db.execute(
            "DELETE FROM case_outbox WHERE id = ? AND owner = ?", (entry_id, owner),
        ).rowcount == 1)

    async def retry(
        self, entry_id: str, owner: str, *, due_at: dt.datetime, status: EntryStatus,
        detail: str,
    ) -> bool:
        values = (micros(due_at), EntryStatus(status).value, detail[:300], entry_id, owner)
        return await self._run(lambda db: db.execute(
            "UPDATE case_outbox SET due_at = ?, status = ?, detail = ?, attempts = attempts + 1, "
            "lease_until = NULL, owner = '' WHERE id = ? AND owner = ?", values,
        ).rowcount == 1)

    async def wake(self, person: str, at: dt.datetime) -> int:
        when = micros(at)
        return await self._run(lambda db: db.execute(
            "UPDATE case_outbox SET status = 'pending', due_at = ?, seen_at = ? "
            "WHERE person = ? AND status = 'waiting'", (when, when, person),
        ).rowcount)

    async def of_case(self, case_id: str) -> list[OutboxEntry]:
        rows = await self._run(lambda db: db.execute(
            f"SELECT {_COLUMNS} FROM case_outbox WHERE case_id = ? "  # noqa: S608
            "ORDER BY created_at, id", (case_id,)).fetchall())
        return [_entry(row) for row in rows]

    async def drop_person(self, person: str) -> int:
        return await self._run(lambda db: db.execute(
            "DELETE FROM case_outbox WHERE person = ?", (person,)).rowcount)

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        connection, executor = self._connection, self._executor
        if connection is None or executor is None:
            raise CasesUnavailable("the SQLite outbox is not open")
        try:
            pending = asyncio.get_running_loop().run_in_executor(executor, work, connection)
        except RuntimeError as error:
            raise CasesUnavailable("the SQLite outbox is closing") from error
        try:
            return await pending
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except sqlite3.Error as error:
            raise CasesUnavailable(f"SQLite outbox failed: {error}") from error

    def _connect(self) -> sqlite3.Connection:
        self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        connection = sqlite3.connect(self._path, isolation_level=None,
                                     timeout=self._busy_timeout_ms / 1000)
        try:
            connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
            connection.execute("PRAGMA journal_mode = WAL")
            for statement in _SCHEMA:
                connection.execute(statement)
        except BaseException:
            connection.close()
            raise
        return connection


def _row(entry: OutboxEntry) -> tuple[Any, ...]:
    return (
        entry.id, entry.case_id, entry.person, entry.kind.value, entry.ref,
        micros(entry.created_at), micros(entry.due_at), entry.status.value, entry.attempts,
        entry.detail, None if entry.seen_at is None else micros(entry.seen_at),
        None if entry.lease_until is None else micros(entry.lease_until), entry.owner,
    )


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(
        id=row[0], case_id=row[1], person=row[2], kind=EntryKind(row[3]), ref=row[4],
        created_at=moment(row[5]), due_at=moment(row[6]), status=EntryStatus(row[7]),
        attempts=int(row[8]), detail=row[9],
        seen_at=None if row[10] is None else moment(row[10]),
        lease_until=None if row[11] is None else moment(row[11]), owner=row[12],
    )
