"""Cases in the store's SQLite file, on a connection and thread of their own.

The ratings store and this one open the same file (``STORE_URL``) with their
own connections; WAL mode lets both read while either writes, and a write
waits (``busy_timeout``) for the other's transaction instead of failing. Each
change is one ``BEGIN IMMEDIATE`` transaction that reads the case, applies a
rule from ``casework.rules`` and writes it back, so two workers never lose
each other's messages. SQLite failures become ``CasesUnavailable``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from casework import rules
from casework.models import Case, CaseState
from casework.port import CaseNotFound, CasesUnavailable
from casework.stores._codec import b64, from_document, micros, to_document, unb64
from casework.stores._updating import Change, UpdatingStore
from casework.stores.sqlite_schema import migrate

__all__ = ["SQLiteCaseStore"]

T = TypeVar("T")
R = TypeVar("R")

_PROGRAMMING_ERRORS = (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError)
"""Errors that reveal a bug in our SQL, not an unavailable database: never hidden."""

_COLUMNS = "id, partner_id, pseudonym, state, urgent, created_at, closed_at, document"


class SQLiteCaseStore(UpdatingStore):
    """Implements ``CaseStore`` on a local SQLite file (shared with the ratings store)."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        self._path = Path(path)
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._connection: sqlite3.Connection | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._opening = asyncio.Lock()

    @property
    def path(self) -> Path:
        return self._path

    async def open(self) -> None:
        async with self._opening:
            if self._connection is not None:
                return
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-cases")
            try:
                connection = await asyncio.get_running_loop().run_in_executor(
                    executor, self._connect
                )
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

    async def open_case(self, case: Case) -> Case:
        document = _encode(case)

        def _open(db: sqlite3.Connection) -> Case:
            with _transaction(db):
                db.execute(
                    f"INSERT INTO cases ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "  # noqa: S608
                    "ON CONFLICT (id) DO NOTHING",
                    _row(case, document),
                )
                stored = _select(db, case.id)
            assert stored is not None
            return stored

        return await self._run(_open)

    async def get(self, case_id: str) -> Case | None:
        return await self._run(lambda db: _select(db, case_id))

    async def cases_of(self, pseudonym: str, *, open_only: bool = True) -> list[Case]:
        if not pseudonym:
            return []
        sql = "SELECT document FROM cases WHERE pseudonym = ?"
        if open_only:
            sql += " AND state != 'closed'"
        sql += " ORDER BY created_at, id"
        rows = await self._run(lambda db: db.execute(sql, (pseudonym,)).fetchall())
        return [_decode(row[0]) for row in rows]

    async def erase_person(self, pseudonym: str, at: dt.datetime) -> int:
        if not pseudonym:
            return 0

        def _erase(db: sqlite3.Connection) -> int:
            with _transaction(db):
                rows = db.execute(
                    "SELECT document FROM cases WHERE pseudonym = ?", (pseudonym,)
                ).fetchall()
                for (document,) in rows:
                    _write(db, rules.erase_person(_decode(document), at))
            return len(rows)

        return await self._run(_erase)

    async def list_for_partner(
        self,
        partner_id: str,
        *,
        states: Collection[CaseState] | None = None,
        limit: int = 100,
    ) -> list[Case]:
        sql = "SELECT document FROM cases WHERE partner_id = ?"
        params: list[object] = [partner_id]
        if states is not None:
            wanted = sorted(CaseState(state).value for state in states)
            if not wanted:
                return []
            sql += f" AND state IN ({', '.join('?' * len(wanted))})"
            params.extend(wanted)
        sql += " ORDER BY urgent DESC, created_at, id LIMIT ?"
        params.append(int(limit))
        rows = await self._run(lambda db: db.execute(sql, params).fetchall())
        return [_decode(row[0]) for row in rows]

    async def erase_closed_before(self, cutoff: dt.datetime) -> int:
        limit = micros(cutoff)
        return await self._run(
            lambda db: db.execute(
                "DELETE FROM cases WHERE state = 'closed' AND closed_at <= ?", (limit,)
            ).rowcount
        )

    async def _update(self, case_id: str, change: Change[R]) -> R:
        def _change(db: sqlite3.Connection) -> R:
            with _transaction(db):
                case = _select(db, case_id)
                if case is None:
                    raise CaseNotFound(case_id)
                updated, result = change(case)
                if updated != case:
                    _write(db, updated)
            return result

        return await self._run(_change)

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        connection, executor = self._connection, self._executor
        if connection is None or executor is None:
            raise CasesUnavailable("the SQLite case store is not open")
        try:
            pending = asyncio.get_running_loop().run_in_executor(executor, work, connection)
        except RuntimeError as error:
            raise CasesUnavailable("the SQLite case store is closing") from error
        try:
            return await pending
        except _PROGRAMMING_ERRORS:
            raise
        except sqlite3.Error as error:
            raise CasesUnavailable(f"SQLite case store failed: {error}") from error

    def _connect(self) -> sqlite3.Connection:
        _create_private_file(self._path)
        connection = sqlite3.connect(
            self._path,
            isolation_level=None,
            timeout=self._busy_timeout_ms / 1000,
            check_same_thread=True,
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
            migrate(connection)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            # Erased cases are overwritten on disk, not left readable in free pages.
            connection.execute("PRAGMA secure_delete = ON")
        except BaseException:
            connection.close()
            raise
        return connection


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *_: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _encode(case: Case) -> str:
    return json.dumps(to_document(case, b64), ensure_ascii=False, separators=(",", ":"))


def _decode(document: str) -> Case:
    return from_document(json.loads(document), unb64)


def _row(case: Case, document: str) -> tuple[object, ...]:
    closed = None if case.closed_at is None else micros(case.closed_at)
    return (
        case.id,
        case.partner_id,
        case.pseudonym,
        case.state.value,
        int(case.urgent),
        micros(case.created_at),
        closed,
        document,
    )


def _select(db: sqlite3.Connection, case_id: str) -> Case | None:
    row = db.execute("SELECT document FROM cases WHERE id = ?", (case_id,)).fetchone()
    return None if row is None else _decode(row[0])


def _write(db: sqlite3.Connection, case: Case) -> None:
    db.execute(
        f"INSERT OR REPLACE INTO cases ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        _row(case, _encode(case)),
    )


def _create_private_file(path: Path) -> None:
    """The folder and an empty file readable by its owner only (as the ratings store does)."""
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)
