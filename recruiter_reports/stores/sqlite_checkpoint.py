"""Folding the write-ahead log back into the database file on a thread of its own.

By default SQLite makes the connection whose commit takes the WAL past 1,000
pages copy it back into the file (a checkpoint: hundreds of page writes and
two fsyncs) before that commit returns: a tenth of a report's time on the
store's thread went there (``python -m benchmarks ratings``). So a
``Checkpointer`` does it instead: a connection of its own on a thread of its
own which, every ``interval``, looks at the size of the ``-wal`` file and,
once it is past ``threshold_pages``, runs a PASSIVE checkpoint. That copies
what it can and blocks neither the writer nor readers; the copying and the
fsyncs wait on the disk with the GIL released, beside the store's thread, not
in front of it. The file's size tells whether the log is past the threshold
because the store's connection sets ``journal_size_limit`` to exactly that
size (``prepare_writer``): when the log starts again from its beginning, the
first commit cuts the file back to it, so the file only outgrows it when the
log does (and the stale page images of erased rows that the old log held
beyond it go too).

Under a steady stream of commits a passive checkpoint never finishes (the
writer appends while it copies), and only a finished one lets the next write
start the log again: with no checkpoint in the commits at all, 5,000 reports
in a row left a 155 MB WAL, 10,000 twice that. So the store's connection still
checkpoints, but only once the log is ``log_pages`` long
(``wal_autocheckpoint``): by then the checkpointer has copied nearly all of
it, the commit copies the few pages left, and the next write starts the log
afresh. The WAL stays bounded, and a commit pays for the pages of one
interval instead of a thousand.

Outages: every look first asks the store's ``FileGuard`` whether the file is
still the one opened and its three files writable (``look``: what it finds,
the store's work keeps), and a look that finds nothing due then touches only
``os.stat``. Before a checkpoint the guard is asked again; when the file is not
ours or not writable, nothing is touched (a checkpoint
writes to the memory-mapped ``-shm``: on a read-only or immutable file that is
a SIGBUS, which kills the process) and the guard logs the reason once. The
guard cannot close the moment between its look and the checkpoint, which is
why a quiet store, whose log stays short, never checkpoints in the
background at all. A checkpoint that fails (the disk is full, an I/O error) is
logged once, retried every interval and kept in ``failure`` until one
succeeds, so that the store's readiness says not ready meanwhile. The store
stops the checkpointer (``stop`` waits for the thread and closes its
connection) before it closes its own connection: nothing runs on a closed store.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from recruiter_reports.stores.port import StoreUnavailable
from recruiter_reports.stores.sqlite_health import FileGuard, no_checkpoint_on_close

__all__ = ["CHECKPOINTS", "CheckpointPolicy", "Checkpointer", "prepare_writer"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CheckpointPolicy:
    """How often the checkpointer looks, and how long the log grows before each fold."""

    interval: float = 0.1
    """Seconds between looks at the size of the ``-wal`` file (one ``stat`` each)."""
    threshold_pages: int = 1000
    """Log length past which the checkpointer folds it back (SQLite's own default)."""
    log_pages: int = 4096
    """Log length (16 MiB at 4 KiB pages) at which a commit copies the rest and the log
    starts again (``wal_autocheckpoint``)."""


CHECKPOINTS = CheckpointPolicy()
"""The store's default."""

_TRANSIENT = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
"""Another connection holds a lock for a moment: not an outage, the next look retries."""
_WAIT = 0.1
"""Seconds the checkpointer's connection waits for a lock (a PASSIVE checkpoint never does)."""
_WAL_HEADER, _FRAME_HEADER = 32, 24
"""Bytes of the ``-wal`` file's header and of each page's frame header (SQLite's WAL format)."""


def _due_bytes(policy: CheckpointPolicy, page_size: int) -> int:
    """The size of a ``-wal`` file holding ``threshold_pages`` pages."""
    return _WAL_HEADER + policy.threshold_pages * (page_size + _FRAME_HEADER)


def prepare_writer(db: sqlite3.Connection, policy: CheckpointPolicy) -> int:
    """Set up the store's own connection for the checkpointer; returns the page size.

    Its commits copy what the checkpointer left only once the log is
    ``log_pages`` long, and a log started again is cut back to the threshold.
    """
    db.execute(f"PRAGMA wal_autocheckpoint = {policy.log_pages:d}")
    page_size = int(db.execute("PRAGMA page_size").fetchone()[0])
    db.execute(f"PRAGMA journal_size_limit = {_due_bytes(policy, page_size):d}")
    return page_size


class Checkpointer:
    """One thread and one connection that keep the WAL of the file at ``path`` short."""

    def __init__(
        self, path: Path, guard: FileGuard, policy: CheckpointPolicy, page_size: int
    ) -> None:
        self._path = path
        self._wal = f"{path}-wal"
        self._guard = guard
        self._interval = policy.interval
        self._due = _due_bytes(policy, page_size)
        self._stopping = threading.Event()
        self._db: sqlite3.Connection | None = None
        self._folded: tuple[int, int] | None = None
        """Size and time of the ``-wal`` file when it was last folded back whole."""
        self._failure: str | None = None
        self._thread = threading.Thread(target=self._serve, name="sqlite-checkpoint", daemon=True)

    @property
    def failure(self) -> str | None:
        """Why the last checkpoint failed, until one succeeds; None while they work."""
        return self._failure

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """End the thread, after the checkpoint under way if there is one; blocks until then."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _serve(self) -> None:
        try:
            while not self._stopping.wait(self._interval):
                try:
                    self._look()
                except Exception as error:  # a bug here must not end the thread unseen
                    log.exception("SQLite checkpointer failed")
                    self._failed(type(error).__name__)
        finally:
            if self._db is not None:
                no_checkpoint_on_close(self._db)  # the store's own close folds the WAL back
                self._db.close()
                self._db = None

    def _look(self) -> None:
        """Look at the files for the store's guard; fold the log back when it is long and
        changed since it was last folded whole."""
        try:
            self._guard.look()  # all three files: the store's work looks only at the mapped one
        except StoreUnavailable:
            return  # not ours or not writable: touch nothing (the guard logs why)
        try:
            found = os.stat(self._wal)
        except OSError:
            found = None  # an open store always has its log: the folder went, or worse
        if found is not None:
            mark = (found.st_size, found.st_mtime_ns)
            if self._failure is None and (found.st_size <= self._due or mark == self._folded):
                return
        try:
            self._guard.look()  # again, just before: the files may have changed meanwhile
        except StoreUnavailable:
            return
        if found is None:
            return
        try:
            busy, pages, copied = (
                self._connection().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            )
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF not in _TRANSIENT:
                self._failed(str(error))
            return
        if self._failure is not None:
            log.warning("SQLite checkpoints work again: %s", self._path)
            self._failure = None
        self._folded = mark if not busy and copied == pages else None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            # mode=rw: never create a file at the path (a deleted one would come back empty).
            uri = f"file:{urllib.parse.quote(os.fspath(self._path))}?mode=rw"
            db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=_WAIT)
            no_checkpoint_on_close(db)
            self._db = db
        return self._db

    def _failed(self, reason: str) -> None:
        if self._failure != reason:  # one line per change, not one per look
            log.warning("SQLite checkpoints failing, the WAL grows: %s", reason)
        self._failure = reason
