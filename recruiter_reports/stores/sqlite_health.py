"""Is the SQLite file we opened still the file at our path, and can it still be written?

Three ways a running store goes wrong without SQLite noticing:

- the folder (or the file) is deleted: the open file lives on, unlinked, so
  every write "succeeds" and is gone when the process stops;
- the file is replaced (restored from a backup, moved aside): we would write to
  the old one;
- the file or its ``-wal``/``-shm`` companions become read-only or immutable:
  the ``-shm`` file is memory-mapped, and touching a mapped page of a file that
  can no longer be written kills the process with SIGBUS, not an exception.

So before every piece of work on the store's thread (``check``) the guard
compares the path with the identity (device, inode) recorded at open and asks
whether the mapped ``-shm`` can still be written; when not, the work is refused
with ``StoreUnavailable`` (the person is asked to retry, readiness fails) and
one warning is logged. Two system calls each. Pieces that share one
transaction (``sqlite_together``) are checked once before it opens and once
before its commit, not each (``sharing``): they run microseconds apart, and
checking each one was about 3 % of an update's CPU (alternating runs of
``python -m benchmarks webhook``). The database file and its
``-wal`` are written through open descriptors, never mapped, so a write to one
gone read-only fails inside SQLite with an error the store turns into the same
refusal: they are looked at by the background checkpointer (``sqlite_checkpoint``)
on every look (``look``, every tenth of a second), and while a look has found
one unwritable every piece of work looks at all three files itself, so the
moment they are writable again work goes on. Measured by ``python -m benchmarks
webhook`` in alternating runs: the two system calls left out were about 1.5 %
of the CPU an update costs. The checkpointer asks the same guard before it
touches the file, from its own thread: a change is still logged once,
whichever thread sees it first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

from recruiter_reports.stores.port import StoreUnavailable

__all__ = ["FileGuard", "no_checkpoint_on_close", "probe_write"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class FileGuard:
    """Refuses work on a database file that is no longer ours or no longer writable."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._companions = (str(path), f"{path}-wal", f"{path}-shm")
        self._mapped = (f"{path}-shm",)
        """The companion SQLite memory-maps: the one work must not touch unwritable."""
        self._identity: tuple[int, int] | None = None
        self._failing: str | None = None
        self._unwritable: str | None = None
        """What the last full look found unwritable, until one finds all three writable."""
        self._noting = threading.Lock()  # the store's thread and the checkpointer's both check
        self._shared = False
        """A shared transaction is open and was checked (``sharing``; the store's thread only)."""

    def check_writable(self) -> None:
        """Raise ``StoreUnavailable`` when a file of the database cannot be written."""
        reason = self._unwritable_of(self._companions)
        if reason is not None:
            self._refuse(reason)

    def opened(self) -> None:
        """Remember which file the path names now (call right after connecting)."""
        found = os.stat(self._path)
        self._identity = (found.st_dev, found.st_ino)
        self._failing = None

    def check(self) -> None:
        """Before work: raise ``StoreUnavailable`` unless the path is still the file opened
        and its mapped ``-shm`` writable (all three files while a look found one that is not)."""
        self._verdict(self._problem(full=self._unwritable is not None))

    def look(self) -> None:
        """``check`` with all three files looked at; what it finds, ``check`` keeps."""
        self._verdict(self._problem(full=True))

    def _verdict(self, reason: str | None) -> None:
        if reason is not None:
            self._refuse(reason)
        if self._failing is not None:
            with self._noting:
                if self._failing is not None:
                    log.warning("SQLite store usable again: %s", self._path)
                    self._failing = None

    def _problem(self, *, full: bool) -> str | None:
        try:
            found = os.stat(self._path)
        except FileNotFoundError:
            return f"{self._path} was deleted (or its folder) while open"
        except OSError as error:
            return f"{self._path} cannot be checked: {error.strerror}"
        if (found.st_dev, found.st_ino) != self._identity:
            return f"{self._path} was replaced by another file while open"
        if full:
            self._unwritable = self._unwritable_of(self._companions)
            return self._unwritable
        return self._unwritable_of(self._mapped)

    def _unwritable_of(self, names: tuple[str, ...]) -> str | None:
        for name in names:
            if not os.access(name, os.W_OK) and os.path.exists(name):
                return f"{name} is read-only or immutable"
        return None

    def guarded(self, work: Callable[[sqlite3.Connection], T], db: sqlite3.Connection) -> T:
        """``work(db)`` after the check (the shared transaction's, inside one); runs on
        the store's thread."""
        if not self._shared:
            try:
                self.check()
            except StoreUnavailable:
                no_checkpoint_on_close(db)
                raise
        return work(db)

    def sharing(self, shared: bool) -> None:
        """A shared transaction was opened after a check (True) or has ended (False)."""
        self._shared = shared

    def close(self, db: sqlite3.Connection) -> None:
        """Close ``db``; fold the WAL back into the file only when the files are still ours.

        Closing checkpoints through the mapped ``-shm``: on a file that went
        read-only or immutable that is a SIGBUS, so then the WAL is left as it is.
        Otherwise the WAL is folded back and emptied (TRUNCATE) even when another
        process still has the file open, where closing alone would leave it as it is;
        waiting at most ``_CLOSING_WAIT_MS`` for that process's readers.
        """
        try:
            self.check()
        except StoreUnavailable:
            no_checkpoint_on_close(db)
        else:
            # A courtesy and a tidy-up; failing them must not block shutdown.
            with contextlib.suppress(sqlite3.Error):
                db.execute("PRAGMA optimize")  # the planner's statistics
            with contextlib.suppress(sqlite3.Error):
                db.execute(f"PRAGMA busy_timeout = {_CLOSING_WAIT_MS:d}")
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()

    def _refuse(self, reason: str) -> NoReturn:
        if self._failing != reason:  # one line per change, not one per request
            with self._noting:
                if self._failing != reason:
                    log.warning("SQLite store not ready, writes refused: %s", reason)
                    self._failing = reason
        raise StoreUnavailable(f"SQLite store unusable: {reason}")


_CLOSING_WAIT_MS = 200
"""How long closing waits for other processes' readers before leaving the WAL as it is."""


def no_checkpoint_on_close(db: sqlite3.Connection) -> None:
    """Closing ``db`` will leave the WAL alone (the files are no longer ours or writable)."""
    with contextlib.suppress(sqlite3.Error, AttributeError):  # setconfig: Python 3.12+
        db.setconfig(sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)


def probe_write(db: sqlite3.Connection, at: float) -> bool:
    """Rewrite the probe row and commit: proves the write lock, the journal and the file."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(
            "INSERT INTO store_probe (id, written_at) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
            (at,),
        )
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return True
