"""Outages under a busy checkpointer, run by test_sqlite_checkpoint in a child process.

A checkpoint on a file gone read-only or immutable is a SIGBUS, which no
exception handler sees: the child dies and the parent sees it in the exit
status. ``python -m tests.integration.stores.checkpoint_outages read-only DIR``
makes the files read-only (immutable, for root) while the checkpointer has a
long log to fold; ``... disk-full DIR`` (in a private mount namespace) mounts a
small tmpfs on DIR/disk and fills it while the log holds rows the file has no
room for. Each prints what it saw as one JSON line.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.sqlite_checkpoint import CheckpointPolicy
from tests.fakes.small_disk import fill, mount_small_disk

UNTIL = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
BUSY = CheckpointPolicy(interval=0.02, threshold_pages=16, log_pages=1_000_000)
"""Looks often and folds early; commits never checkpoint, so only the thread folds the log."""


def file_bytes(path: Path) -> int:
    return os.stat(path).st_size


def wal_bytes(path: Path) -> int:
    with contextlib.suppress(FileNotFoundError):
        return os.stat(f"{path}-wal").st_size
    return 0


def checkpointers() -> int:
    return sum(thread.name == "sqlite-checkpoint" for thread in threading.enumerate())


async def write(store: SQLiteStore, first: int, count: int) -> None:
    """``count`` new conversations of about a kilobyte each: a new page every few commits."""
    for n in range(first, first + count):
        await store.save_session(f"{n:064d}", {"n": n, "text": "maneno " * 120}, UNTIL)


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return True
        await asyncio.sleep(0.01)
    return False


def set_read_only(path: Path, read_only: bool) -> None:
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        if os.geteuid() == 0:  # root writes through permissions; only immutability stops it
            subprocess.run(["chattr", "+i" if read_only else "-i", name], check=True)
        else:
            os.chmod(name, 0o400 if read_only else 0o600)


async def read_only(base: Path) -> dict[str, object]:
    path = base / "bot.sqlite3"
    store = SQLiteStore(path, checkpoints=BUSY)
    await store.open()
    seen: dict[str, object] = {}
    # Another process's reader holds an old snapshot: no checkpoint can finish, so the
    # checkpointer keeps trying at every look, before, while and after the files are locked.
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sessions").fetchone()
    await write(store, 0, 100)
    set_read_only(path, True)
    try:
        await asyncio.sleep(0.5)  # some twenty-five looks
        seen["checkpointer_running"] = checkpointers() == 1
        seen["ready_while_read_only"] = await store.ping()
    finally:
        set_read_only(path, False)
    reader.execute("COMMIT")
    reader.close()
    size = file_bytes(path)
    await write(store, 100, 20)
    seen["folded_after"] = await until(lambda: file_bytes(path) > size)
    seen["ready_after"] = await store.ping()
    await store.close()
    seen["checkpointer_stopped"] = checkpointers() == 0
    return seen


async def disk_full(base: Path) -> dict[str, object]:
    disk = base / "disk"
    path = disk / "bot.sqlite3"
    store = SQLiteStore(path, checkpoints=BUSY)
    await store.open()
    seen: dict[str, object] = {}
    await write(store, 0, 20)
    # A reader's old snapshot keeps the log from being folded back until the disk is full:
    # then the rows it holds need room in the file that is not there.
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sessions").fetchone()
    await write(store, 20, 100)
    filler = fill(disk)
    reader.execute("COMMIT")
    reader.close()
    await asyncio.sleep(0.5)  # some twenty-five looks, each trying to fold the log back
    seen["checkpointer_running"] = checkpointers() == 1
    seen["ready_while_full"] = await store.ping()
    filler.unlink()
    size = file_bytes(path)
    seen["ready_after"] = await _ready_within(store, 5.0)
    seen["folded_after"] = await until(lambda: file_bytes(path) > size)
    seen["rows"] = await store.run(
        lambda db: db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    )
    await store.close()
    seen["checkpointer_stopped"] = checkpointers() == 0
    return seen


async def _ready_within(store: SQLiteStore, seconds: float) -> bool:
    for _ in range(int(seconds / 0.05)):
        if await store.ping():
            return True
        await asyncio.sleep(0.05)
    return False


if __name__ == "__main__":
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    if scenario == "disk-full":
        mount_small_disk(folder, 6)
        print(json.dumps(asyncio.run(disk_full(folder))))
    else:
        print(json.dumps(asyncio.run(read_only(folder))))
