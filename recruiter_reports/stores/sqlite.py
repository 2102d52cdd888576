"""The embedded default store: one SQLite file, driven from one worker thread.

Every statement runs on a single dedicated thread (``StoreThread``, as
aiosqlite does), so the event loop never waits on the disk and the connection
is never shared between threads. WAL mode lets readers in other processes (the
portal, a backup) read while the bot writes; ``synchronous=NORMAL`` is durable
across application crashes and only risks the last commits on a power cut,
which for conversation state is the right trade. The schema lives in
``sqlite_schema`` and is migrated on ``open``. The WAL is folded back into
the file by a ``Checkpointer`` (``sqlite_checkpoint``) on its own thread, from
``open`` to ``close``, not by the commits.

A trip to the store's thread costs more CPU than a small statement, so a
delivery's completion (``complete_delivery``, once per webhook update) takes no
trip of its own: it is written by the next call, in the same transaction as
the next claim or session save (one commit where there were two), and at the
latest ``COMPLETION_DELAY`` later when nothing else comes. Every call of this
store sees it; a crash in between loses only the mark, which matters for a
platform's redelivery of an update that was answered: it then finds the claim
leased or released (and its saved replies, sent again), as after a crash just
before completing.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import json
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from recruiter_reports.clock import Clock, epoch, utc_now
from recruiter_reports.stores.port import StoreUnavailable
from recruiter_reports.stores.sqlite_checkpoint import (
    CHECKPOINTS,
    Checkpointer,
    CheckpointPolicy,
    prepare_writer,
)
from recruiter_reports.stores.sqlite_health import FileGuard, probe_write
from recruiter_reports.stores.sqlite_names import SQLiteNames, prune_names
from recruiter_reports.stores.sqlite_overview import KeptOverviews, prune_changes
from recruiter_reports.stores.sqlite_publications import (
    KeptPublications,
    prune_publication_changes,
)
from recruiter_reports.stores.sqlite_ratings import SQLiteRatings, _transaction
from recruiter_reports.stores.sqlite_schema import PSEUDONYM_TABLES, migrate
from recruiter_reports.stores.sqlite_summaries import lacks_an_indicator, unsummarize_reports_of
from recruiter_reports.stores.sqlite_together import SQLiteTogether
from recruiter_reports.stores.store_thread import StoreThread

if TYPE_CHECKING:
    from recruiter_reports.stores.stakeholder_port import StakeholderStore

__all__ = ["SQLiteStore"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_PURGE_INTERVAL = dt.timedelta(minutes=1)
"""How often (by the store's clock) a write also sweeps expired rows away."""

COMPLETION_DELAY = 0.05
"""Seconds a completed delivery may wait for the next call before it is written alone."""
_COMPLETIONS_KEPT = 1_000
"""Completions kept waiting while the file cannot be written; older ones are given up
(their claims stay leased, as when completing fails)."""

_PROGRAMMING_ERRORS = (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError)
"""Errors that reveal a bug in our SQL, not an unavailable database: never hidden."""


class SQLiteStore(SQLiteRatings, SQLiteNames):
    """Implements ``Store`` on a local SQLite file (created, with its folder, when missing)."""

    def __init__(
        self,
        path: Path,
        now: Clock = utc_now,
        *,
        busy_timeout_ms: int = 5000,
        checkpoints: CheckpointPolicy = CHECKPOINTS,
    ) -> None:
        self._path = Path(path)
        self._now = now
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._checkpoints = checkpoints
        self._connection: sqlite3.Connection | None = None
        self._executor: StoreThread | None = None
        self._checkpointer: Checkpointer | None = None
        self._page_size = 4096  # the file's, read when it is opened
        self._overviews = KeptOverviews()
        self._publications = KeptPublications()
        self._opening = asyncio.Lock()
        self._next_purge: dt.datetime | None = None
        self._guard = FileGuard(self._path)
        self._work_lock = asyncio.Lock()
        self._owner: contextvars.ContextVar[bool] = contextvars.ContextVar(
            "sqlite-unit-of-work", default=False
        )
        self._completed: list[str] = []
        """Deliveries completed and not written yet (see the module docstring)."""
        self._completing: asyncio.TimerHandle | None = None
        self._flush: asyncio.Task[None] | None = None

    @property
    def path(self) -> Path:
        """The database file (its ``-wal`` and ``-shm`` companions sit beside it)."""
        return self._path

    async def open(self) -> None:
        """Create the folder and file if needed, set the pragmas, migrate; idempotent."""
        async with self._opening:
            if self._connection is not None:
                return
            together = SQLiteTogether(
                lambda: self._connection, self._guard.check, self._guard.sharing
            )
            executor = StoreThread("sqlite-store", together)
            try:
                connection = await executor.submit(self._connect)
            except BaseException as error:
                executor.shutdown()
                if isinstance(error, sqlite3.Error | OSError):
                    raise StoreUnavailable(f"cannot open {self._path}: {error}") from error
                raise
            self._connection, self._executor = connection, executor
            self._checkpointer = Checkpointer(
                self._path, self._guard, self._checkpoints, self._page_size
            )
            self._checkpointer.start()
        if await self.run(lacks_an_indicator):
            await self.recompute_summaries()  # a question was added since they were written

    async def close(self) -> None:
        """Finish queued work, then close; the last close folds the WAL back into the file."""
        if self._completing is not None:
            self._completing.cancel()
            self._completing = None
        if self._completed and self._connection is not None:
            with contextlib.suppress(StoreUnavailable):
                await self.run(_nothing)  # writes the completions still waiting
        async with self._opening:
            connection, executor = self._connection, self._executor
            checkpointer, self._checkpointer = self._checkpointer, None
            self._connection = self._executor = None
            if connection is None or executor is None:
                return
            try:
                await executor.submit(lambda: self._close_on_thread(connection, checkpointer))
            finally:
                executor.shutdown()

    def _close_on_thread(
        self, connection: sqlite3.Connection, checkpointer: Checkpointer | None
    ) -> None:
        """The checkpointer first, so that it never runs on a closed store; then the file."""
        try:
            if checkpointer is not None:
                checkpointer.stop()
        finally:
            self._guard.close(connection)

    async def ping(self) -> bool:
        """A committed write, not only a read: a file that cannot take one is not ready."""
        at = epoch(self._now())
        try:
            await self.run(lambda db: probe_write(db, at))
        except StoreUnavailable as error:
            log.warning("SQLite store not ready: %s", error)
            return False
        failure = None if self._checkpointer is None else self._checkpointer.failure
        if failure is not None:  # writes go in, but the WAL cannot be folded back: it grows
            log.warning("SQLite store not ready, checkpoints failing: %s", failure)
            return False
        return True

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None:
        cutoff = epoch(self._now())

        def _load(db: sqlite3.Connection) -> str | None:
            row = db.execute(
                "SELECT state FROM sessions WHERE pseudonym = ? AND expires_at > ?",
                (pseudonym, cutoff),
            ).fetchone()
            return None if row is None else str(row[0])

        document = await self.run(_load, together=True)
        if document is None:
            return None
        state: dict[str, Any] = json.loads(document)
        return state

    async def save_session(
        self,
        pseudonym: str,
        state: dict[str, Any],
        expires_at: dt.datetime,
        *,
        answer: tuple[str, str] | None = None,
    ) -> None:
        """One trip to the store's thread; with ``answer``, both rows in one transaction."""
        document = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        until = epoch(expires_at)
        purge_before = self._purge_due()

        def _write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO sessions (pseudonym, state, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (pseudonym) DO UPDATE "
                "SET state = excluded.state, expires_at = excluded.expires_at",
                (pseudonym, document, until),
            )
            if answer is not None:
                db.execute(
                    "UPDATE deliveries SET replies = ?, pseudonym = ? "
                    "WHERE key = ? AND completed = 0",
                    (answer[1], pseudonym, answer[0]),
                )

        completed = self._take_completed()

        def _save(db: sqlite3.Connection) -> None:
            if answer is None and not completed:
                _write(db)
            else:
                with _transaction(db):
                    _complete(db, completed)
                    _write(db)
            if purge_before is not None:
                _purge_expired(db, purge_before)

        await self._run_completing(_save, completed)

    async def claim_delivery(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> bool:
        claimed, _ = await self.claim_delivery_answer(
            key, lease_until=lease_until, expires_at=expires_at, owner=owner
        )
        return claimed

    async def claim_delivery_answer(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> tuple[bool, str | None]:
        """One upsert that takes over only an expired key or an abandoned claim.

        The conflict branch updates nothing for a completed or still-leased key,
        so a row comes back (``RETURNING``) exactly when this call won, with the
        replies an abandoned claim's turn saved.
        """
        now = epoch(self._now())
        until, lease = epoch(expires_at), epoch(lease_until)
        purge_before = self._purge_due()
        completed = self._take_completed()

        def _claim(db: sqlite3.Connection) -> tuple[bool, str | None]:
            with _transaction(db) if completed else contextlib.nullcontext():
                _complete(db, completed)
                row = _claim_row(db)
            if purge_before is not None:
                _purge_expired(db, purge_before)
            return (False, None) if row is None else (True, row[0])

        def _claim_row(db: sqlite3.Connection) -> Any:
            return db.execute(
                "INSERT INTO deliveries (key, expires_at, lease_until, completed, owner) "
                "VALUES (?, ?, ?, 0, ?) "
                "ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, "
                "lease_until = excluded.lease_until, completed = 0, owner = excluded.owner, "
                "replies = CASE WHEN deliveries.expires_at <= ? THEN NULL "
                "ELSE deliveries.replies END, "
                "pseudonym = CASE WHEN deliveries.expires_at <= ? THEN NULL "
                "ELSE deliveries.pseudonym END "
                "WHERE deliveries.expires_at <= ? "
                "OR (deliveries.completed = 0 AND deliveries.lease_until <= ?) "
                "RETURNING replies",
                (key, until, lease, owner, now, now, now, now),
            ).fetchone()

        return await self._run_completing(_claim, completed)

    async def complete_delivery(self, key: str) -> None:
        """Written by the next call, or alone after ``COMPLETION_DELAY`` (module docstring)."""
        self._completed.append(key)
        if self._completing is None:
            loop = asyncio.get_running_loop()
            self._completing = loop.call_later(COMPLETION_DELAY, self._complete_alone)

    def _complete_alone(self) -> None:
        """Nothing else came: a trip of their own for the waiting completions."""
        self._completing = None
        if self._completed and (self._flush is None or self._flush.done()):
            self._flush = asyncio.ensure_future(self._write_completed())

    async def _write_completed(self) -> None:
        try:
            await self.run(_nothing, together=True)
        except StoreUnavailable:
            # As when a completion fails: the claim stays leased, a retry waits for the lease.
            log.warning("delivery log unavailable; handled deliveries stay only claimed")

    def _take_completed(self) -> list[str]:
        """The waiting completions, for the caller to write in its own statement's trip."""
        completed, self._completed = self._completed, []
        return completed

    async def _run_completing(
        self, work: Callable[[sqlite3.Connection], T], completed: list[str]
    ) -> T:
        """``run`` for work that writes ``completed`` itself; they wait again if it fails.
        Claims and session saves, small and frequent: they share transactions."""
        try:
            return await self.run(work, together=True)
        except BaseException:
            self._wait_again(completed)
            raise

    def _wait_again(self, completed: list[str]) -> None:
        """Completions whose trip failed wait for the next one, a bounded number."""
        self._completed = (completed + self._completed)[-_COMPLETIONS_KEPT:]

    async def delivery_replies(self, key: str) -> str | None:
        now = epoch(self._now())
        row = await self.run(
            lambda db: db.execute(
                "SELECT replies FROM deliveries WHERE key = ? AND completed = 0 AND expires_at > ?",
                (key, now),
            ).fetchone()
        )
        return None if row is None or row[0] is None else str(row[0])

    async def release_delivery(self, key: str) -> None:
        await self.run(lambda db: _release(db, "key", key))

    async def delivery_completed(self, key: str) -> bool:
        now = epoch(self._now())
        row = await self.run(
            lambda db: db.execute(
                "SELECT 1 FROM deliveries WHERE key = ? AND completed = 1 AND expires_at > ?",
                (key, now),
            ).fetchone()
        )
        return row is not None

    async def release_deliveries_of(self, owner: str) -> int:
        return await self.run(lambda db: _release(db, "owner", owner))

    async def forget(self, pseudonym: str) -> None:
        """Delete from every table in ``PSEUDONYM_TABLES`` in one transaction: all or nothing.

        The person's counted reports leave their summaries in the same transaction,
        and the replies a delivery claim kept for them are erased (``_FORGET_REPLIES``).
        """

        def _forget(db: sqlite3.Connection) -> None:
            with _transaction(db):
                unsummarize_reports_of(db, pseudonym)
                db.execute(_FORGET_REPLIES, (pseudonym,))
                for table, column in PSEUDONYM_TABLES:
                    # Names come from a constant in sqlite_schema, never from input.
                    db.execute(f"DELETE FROM {table} WHERE {column} = ?", (pseudonym,))  # noqa: S608
                prune_names(db)

        await self.run(_forget)

    def stakeholders(self) -> StakeholderStore:
        from recruiter_reports.stores.stakeholders_sqlite import SQLiteStakeholderStore

        return SQLiteStakeholderStore(self)

    @contextlib.asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """One transaction around the turn's writes; other work waits until it ends.

        The connection is shared by every coroutine, so while the transaction is
        open only the coroutine that opened it may use it (``_owner``).
        """
        if self._owner.get():
            yield  # already inside one: the outer unit decides
            return
        async with self._work_lock:
            token = self._owner.set(True)
            try:
                await self._run_now(lambda db: db.execute("BEGIN IMMEDIATE"))
                try:
                    yield
                except BaseException:
                    await self._run_now(_rollback)
                    raise
                await self._run_now(lambda db: db.execute("COMMIT"))
            finally:
                self._owner.reset(token)

    async def run(self, work: Callable[[sqlite3.Connection], T], *, together: bool = False) -> T:
        """Run ``work(connection)`` on the store's thread; for adapters built on this one.

        The connection is in autocommit mode: group statements with an explicit
        ``BEGIN IMMEDIATE`` / ``COMMIT`` when they must succeed together.
        SQLite failures (locked, disk I/O, corrupt file) become ``StoreUnavailable``.
        While another coroutine's unit of work is open, this waits for it to end.
        ``together``: ``work`` may share one transaction with the work queued beside it
        (``store_thread``); only for work that opens no transaction of its own, or opens
        it with ``_transaction`` (a savepoint inside one).
        """
        if self._owner.get():
            return await self._run_now(work)  # inside a unit of work: completions wait
        if self._completed:
            completed = self._take_completed()
            work = _completing_first(completed, work)
            try:
                return await self.run(work, together=together)
            except BaseException:
                self._wait_again(completed)
                raise
        if not self._work_lock.locked():
            return await self._run_now(work, together)
        async with self._work_lock:
            return await self._run_now(work, together)

    async def _run_now(self, work: Callable[[sqlite3.Connection], T], together: bool = False) -> T:
        connection, executor = self._connection, self._executor
        if connection is None or executor is None:
            raise StoreUnavailable("the SQLite store is not open")
        try:
            pending = executor.submit(
                lambda: self._guard.guarded(work, connection), together=together
            )
        except RuntimeError as error:
            # The executor was shut down by a concurrent close().
            raise StoreUnavailable("the SQLite store is closing") from error
        try:
            return await pending
        except _PROGRAMMING_ERRORS:
            raise
        except sqlite3.Error as error:
            raise StoreUnavailable(f"SQLite store failed: {error}") from error

    def _connect(self) -> sqlite3.Connection:
        """Runs on the store's thread, which then owns the connection for its lifetime."""
        _create_private_file(self._path)
        self._guard.check_writable()  # before SQLite maps a read-only -shm file
        connection = sqlite3.connect(
            self._path,
            isolation_level=None,
            timeout=self._busy_timeout_ms / 1000,
            check_same_thread=True,
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms:d}")
            # Migrate first: a database from a newer release is refused before
            # anything, even its journal mode, is changed.
            migrate(connection)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            # The checkpointer's thread folds the WAL back, not the commits.
            self._page_size = prepare_writer(connection, self._checkpoints)
            connection.execute("PRAGMA foreign_keys = ON")
            # Deleted rows (``/forget``, a replaced rating) are overwritten, not left in free pages.
            connection.execute("PRAGMA secure_delete = ON")
            _purge_expired(connection, epoch(self._now()))
            self._guard.opened()
        except BaseException:
            connection.close()
            raise
        return connection

    def _purge_due(self) -> float | None:
        """The cutoff for a sweep when one is due, else None; keeps sweeps rare and cheap."""
        now = self._now()
        if self._next_purge is not None and now < self._next_purge:
            return None
        self._next_purge = now + _PURGE_INTERVAL
        return epoch(now)


_FORGET_REPLIES = (
    "UPDATE deliveries SET replies = NULL, pseudonym = NULL, completed = 1 WHERE pseudonym = ?"
)
"""/forget on a claim that kept a turn's replies: the replies and the link go, and the
claim counts as handled. Deleting the row instead would let the platform's retry run
that turn again, saving once more what the person just asked to erase."""

_RELEASE = {
    column: (
        f"DELETE FROM deliveries WHERE {column} = ? "  # noqa: S608 - a constant column
        "AND completed = 0 AND replies IS NULL",
        f"UPDATE deliveries SET lease_until = 0, owner = '' WHERE {column} = ? "  # noqa: S608
        "AND completed = 0 AND replies IS NOT NULL",
    )
    for column in ("key", "owner")
}
"""Releasing claims by key or by owner: forget them, or end the lease of those with replies."""


def _release(db: sqlite3.Connection, column: str, value: str) -> int:
    """Free uncompleted claims by ``key`` or ``owner``: forgotten, or (saved replies) unleased.

    A claim with saved replies stays so that the retry sends them; its owner is
    cleared, so a second release by the same owner does not count it again.
    """
    forget, unlease = _RELEASE[column]
    with _transaction(db):
        released = db.execute(forget, (value,)).rowcount + db.execute(unlease, (value,)).rowcount
    return int(released)


_COMPLETE = "UPDATE deliveries SET completed = 1, replies = NULL, pseudonym = NULL"


def _complete(db: sqlite3.Connection, keys: list[str]) -> None:
    """Mark deliveries handled; their saved replies were sent and are dropped."""
    if keys:
        marks = ", ".join("?" * len(keys))  # placeholders only: the keys are parameters
        db.execute(f"{_COMPLETE} WHERE key IN ({marks})", keys)


def _completing_first[R](
    keys: list[str], work: Callable[[sqlite3.Connection], R]
) -> Callable[[sqlite3.Connection], R]:
    """``work`` after writing the waiting completions, in the same trip to the thread."""

    def both(db: sqlite3.Connection) -> R:
        _complete(db, keys)
        return work(db)

    return both


def _nothing(db: sqlite3.Connection) -> None:
    """A trip that only carries the waiting completions."""


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        db.execute("ROLLBACK")


def _purge_expired(db: sqlite3.Connection, cutoff: float) -> None:
    db.execute("DELETE FROM sessions WHERE expires_at <= ?", (cutoff,))
    db.execute("DELETE FROM deliveries WHERE expires_at <= ?", (cutoff,))
    prune_changes(db)
    prune_publication_changes(db)


def _create_private_file(path: Path) -> None:
    """Create the folder and an empty database readable by its owner only.

    SQLite gives the ``-wal`` and ``-shm`` files the mode of the database file,
    so pseudonymous state never becomes readable by other local accounts.
    """
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)
