"""The SQLite store's checkpointer folds the WAL back on its own thread and keeps it short.

It must run while the store is open and never after, and survive the store's
outages (folder deleted, files read-only or immutable, disk full) without
touching a file that is not ours or not writable: a checkpoint on an immutable
file is a SIGBUS, which kills the process, so those run in a child process.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.sqlite_checkpoint import CheckpointPolicy
from tests.integration.stores.checkpoint_outages import (
    BUSY,
    checkpointers,
    file_bytes,
    until,
    wal_bytes,
    write,
)

ROOT = Path(__file__).resolve().parents[3]
PAGE = 4096 + 24  # a page in the log, with its frame header
LIMIT = 32 + BUSY.threshold_pages * PAGE  # what a log started again is cut back to


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


async def test_the_log_is_folded_back_into_the_file_while_the_store_runs(path: Path) -> None:
    store = SQLiteStore(path, checkpoints=BUSY)  # commits never checkpoint: only the thread
    await store.open()
    try:
        assert await store.run(lambda db: db.execute("PRAGMA wal_autocheckpoint").fetchone()) == (
            BUSY.log_pages,
        )
        size = file_bytes(path)
        await write(store, 0, 200)
        # The rows reach the file itself, not only its log, with the store still open.
        assert await until(lambda: file_bytes(path) > size + 100 * 1024)
        for n in range(200, 300):  # and, once all of it is folded back, a write starts it again
            await write(store, n, 1)
            if wal_bytes(path) <= LIMIT:
                break
            await asyncio.sleep(BUSY.interval)
        assert wal_bytes(path) <= LIMIT
    finally:
        await store.close()


async def test_the_log_starts_again_and_is_cut_back_under_a_steady_stream_of_commits(
    path: Path,
) -> None:
    policy = CheckpointPolicy(interval=0.01, threshold_pages=16, log_pages=64)
    store = SQLiteStore(path, checkpoints=policy)
    await store.open()
    loop = asyncio.get_running_loop()
    deadline, cut_back, previous, n = loop.time() + 30, 0, 0, 0
    try:
        while cut_back < 5 and loop.time() < deadline:  # a slow disk only makes it take longer
            await write(store, n, 10)
            n += 10
            size = wal_bytes(path)
            cut_back += size < previous
            previous = size
    finally:
        await store.close()
    # The log keeps starting again, cut back to the threshold, instead of holding all that
    # was written (with no checkpoint and no limit, the file only ever grows).
    assert cut_back >= 5


async def test_closing_stops_the_checkpointer_and_empties_the_log_another_reader_keeps(
    path: Path,
) -> None:
    before = checkpointers()
    store = SQLiteStore(path, checkpoints=BUSY)
    await store.open()
    assert checkpointers() == before + 1
    await write(store, 0, 50)
    other = sqlite3.connect(path, isolation_level=None)  # another process reading the file
    try:
        other.execute("SELECT count(*) FROM sessions").fetchone()
        await store.close()
        assert checkpointers() == before
        assert wal_bytes(path) == 0  # folded back and emptied, though not the last connection

        # Nothing folds the log back after close: another connection's writes stay in it.
        other.execute("PRAGMA wal_autocheckpoint = 0")
        other.executemany(
            "INSERT INTO sessions (pseudonym, state, expires_at) VALUES (?, ?, 4102444800)",
            [(f"{n:064d}", "maneno " * 120) for n in range(100, 200)],
        )
        size, log = file_bytes(path), wal_bytes(path)
        await asyncio.sleep(20 * BUSY.interval)
        assert (file_bytes(path), wal_bytes(path)) == (size, log)
        assert log > BUSY.threshold_pages * PAGE
    finally:
        other.close()


async def test_a_deleted_folder_pauses_the_checkpointer_and_readiness_fails(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = checkpointers()  # stores other tests left open keep theirs
    store = SQLiteStore(path, checkpoints=BUSY)
    await store.open()
    try:
        await write(store, 0, 100)
        shutil.rmtree(path.parent)
        await asyncio.sleep(20 * BUSY.interval)  # twenty looks at a log that is gone
        assert checkpointers() == before + 1
        assert not await store.ping()
        assert caplog.text.count("was deleted") <= 2  # one line when it happens, then ping's
    finally:
        await store.close()
    assert checkpointers() == before


def _run_outage(scenario: str, folder: Path, *prefix: str) -> tuple[dict[str, object], str]:
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "tests.integration.stores.checkpoint_outages",
             scenario, str(folder)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        if os.geteuid() == 0:
            for name in folder.iterdir():
                subprocess.run(["chattr", "-i", str(name)], check=False, capture_output=True)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_files_made_read_only_pause_the_checkpointer_without_killing_the_process(
    tmp_path: Path,
) -> None:
    seen, logged = _run_outage("read-only", tmp_path)
    assert seen["checkpointer_running"] is True
    assert seen["ready_while_read_only"] is False
    assert "read-only or immutable" in logged
    # Writable again: the log is folded back and the store is ready.
    assert seen["folded_after"] is True and seen["ready_after"] is True
    assert seen["checkpointer_stopped"] is True


def test_a_full_disk_is_reported_by_the_checkpointer_and_readiness_until_there_is_room(
    tmp_path: Path,
) -> None:
    """In its own mount namespace, on a tmpfs small enough to fill."""
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    seen, logged = _run_outage("disk-full", tmp_path, *unshare)
    assert "SQLite checkpoints failing, the WAL grows: database or disk is full" in logged
    assert logged.count("SQLite checkpoints failing") == 1  # once, not once per look
    assert seen["checkpointer_running"] is True
    assert seen["ready_while_full"] is False
    assert seen["ready_after"] is True and seen["folded_after"] is True
    assert "SQLite checkpoints work again" in logged
    assert seen["rows"] == 120  # every row the store took is there
    assert seen["checkpointer_stopped"] is True
