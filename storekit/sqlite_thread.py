"""One SQLite connection on a thread of its own, so async code never blocks on the file.

A store adapter gives the statements that create its tables and the error it
raises when the file cannot be used; ``run`` executes a function on the
connection's thread. Failures of the file (locked too long, disk full, gone)
become that error; programming errors (bad SQL, a constraint) are raised as
they are, because hiding them would hide a bug.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

__all__ = ["SQLiteThread", "immediate"]




class SQLiteThread:
    """A lazily opened connection (WAL, busy timeout) and the one thread that uses it."""

    def __init__(
        self,
        path: Path,
        schema: Sequence[str],
        unavailable: Callable[[str], Exception],
        *,
        name: str = "sqlite",
        busy_timeout_ms: int = 5000,
    ) -> None:
        self.path = Path(path)
        self._schema = tuple(schema)
        self._unavailable = unavailable
        self._name = name
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._connection: sqlite3.Connection | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._opening = asyncio.Lock()

    async def open(self) -> None:
        async with self._opening:
            if self._connection is not None:
                return
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
            try:
                connection = await asyncio.get_running_loop().run_in_executor(
                    executor, self._connect)
            except BaseException as error:
                executor.shutdown(wait=False)
                if isinstance(error, sqlite3.Error | OSError):
                    raise self._unavailable(f"cannot open {self.path}: {error}") from error
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

    async def run[T](self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)`` on the connection's thread (opening it first if needed)."""
        if self._connection is None:
            await self.open()
        connection, executor = self._connection, self._executor
        if connection is None or executor is None:
            raise self._unavailable(f"the SQLite file {self.path} is not open")
        try:
            pending = asyncio.get_running_loop().run_in_executor(executor, work, connection)
        except RuntimeError as error:
            raise self._unavailable("the SQLite connection is closing") from error
        try:
            return await pending
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except sqlite3.Error as error:
            raise self._unavailable(f"SQLite failed: {error}") from error

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, isolation_level=None,
                                     timeout=self._busy_timeout_ms / 1000,
                                     check_same_thread=False)
        try:
            connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
            connection.execute("PRAGMA journal_mode = WAL")
            for statement in self._schema:
                connection.execute(statement)
        except BaseException:
            connection.close()
            raise
        return connection


def immediate[T](db: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """``work`` inside one ``BEGIN IMMEDIATE`` transaction: the write lock is taken first, so
    two processes on one file cannot both read the same free row and both take it."""
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work(db)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return result
