"""Small pieces of work that share one SQLite transaction (``store_thread.Together``).

The store's thread runs a delivery claim, a session read or a session save
that are queued back to back in one ``BEGIN IMMEDIATE`` ... ``COMMIT``, each in
a ``SAVEPOINT`` of its own, so a piece that fails undoes only itself. SQLite
may roll a whole transaction back by itself on some errors (a full disk, an
I/O error): then the pieces still to come are refused and the commit fails,
so no piece is ever reported done whose writes were lost with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from recruiter_reports.stores.port import StoreUnavailable

__all__ = ["SQLiteTogether"]

_LOST = "the transaction shared by this work was rolled back"


class SQLiteTogether:
    """``Together`` over the connection ``connection()`` returns (None before it opens).

    ``check`` (the store's ``FileGuard``) is asked before the unit opens, instead
    of before each piece (``sharing`` tells the guard it stands for them), and
    once more just before the commit: a file deleted while the pieces ran fails
    them all, none is told it was kept.
    """

    def __init__(
        self, connection: Callable[[], sqlite3.Connection | None], check: Callable[[], None],
        sharing: Callable[[bool], None] = lambda shared: None,
    ) -> None:  # fmt: skip
        self._connection = connection
        self._check = check
        self._sharing = sharing

    def begin(self) -> bool:
        db = self._connection()
        if db is None or db.in_transaction:  # a turn's unit of work is open: no sharing
            return False
        try:
            self._check()
            db.execute("BEGIN IMMEDIATE")
        except (sqlite3.Error, StoreUnavailable):  # each piece finds out for itself
            return False
        self._sharing(True)
        return True

    def each[T](self, work: Callable[[], T]) -> T:
        db = self._db()
        db.execute("SAVEPOINT together")
        try:
            result = work()
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK TO together")
                db.execute("RELEASE together")
            raise
        db.execute("RELEASE together")
        return result

    def commit(self) -> None:
        self._sharing(False)
        db = self._db()
        try:
            self._check()
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _db(self) -> sqlite3.Connection:
        db = self._connection()
        if db is None or not db.in_transaction:
            raise sqlite3.OperationalError(_LOST)
        return db
