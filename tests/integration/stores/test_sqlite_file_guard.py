"""The SQLite store notices when its file is deleted, replaced, locked or made read-only.

Each case would otherwise look healthy: writes to an unlinked file "succeed"
and vanish at stop, ``SELECT 1`` answers while no write can get through, and a
memory-mapped ``-shm`` file that turns immutable kills the process with SIGBUS.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.sqlite import SQLiteStore

UNTIL = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "data" / "bot.sqlite3", busy_timeout_ms=100)
    await opened.open()
    await opened.save_session("someone", {"step": "menu"}, UNTIL)
    yield opened
    await opened.close()


async def test_a_deleted_folder_makes_the_store_not_ready_and_refuses_writes(
    store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    assert await store.ping()
    shutil.rmtree(store.path.parent)
    assert not await store.ping()
    with pytest.raises(StoreUnavailable, match="deleted"):
        await store.save_session("someone", {"step": "rating"}, UNTIL)
    assert "SQLite store not ready" in caplog.text
    assert caplog.text.count("was deleted") <= 2  # one line when it happens, not one per call


def _lock(name: Path, locked: bool) -> None:
    """Read-only for a user, immutable for root (root writes through permissions)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if locked else "-i", str(name)], check=True)
    else:
        name.chmod(0o444 if locked else 0o600)


async def test_a_mapped_shm_gone_immutable_refuses_the_very_next_write(store: SQLiteStore) -> None:
    """The ``-shm`` is memory-mapped: touching it unwritable is a SIGBUS, so all work asks."""
    shm = Path(f"{store.path}-shm")
    try:
        _lock(shm, True)
        with pytest.raises(StoreUnavailable, match="read-only or immutable"):
            await store.save_session("someone", {"step": "rating"}, UNTIL)
    finally:
        _lock(shm, False)
    await store.save_session("someone", {"step": "rating"}, UNTIL)
    assert await store.load_session("someone") == {"step": "rating"}


async def test_a_database_file_gone_read_only_is_refused_within_a_look_and_used_again_at_once(
    store: SQLiteStore,
) -> None:
    """The file itself is written through a descriptor (never mapped): the checkpointer's
    look, every tenth of a second, finds it; from then on all work looks at the three
    files, so the write after the operator's fix goes in without waiting for a look."""
    try:
        _lock(store.path, True)
        async with asyncio.timeout(5):
            while True:
                try:
                    await store.save_session("someone", {"step": "rating"}, UNTIL)
                except StoreUnavailable as refused:
                    assert "read-only or immutable" in str(refused)
                    break
                await asyncio.sleep(0.02)
        assert not await store.ping()
    finally:
        _lock(store.path, False)
    await store.save_session("someone", {"step": "after the fix"}, UNTIL)
    assert await store.load_session("someone") == {"step": "after the fix"}
    assert await store.ping()


async def test_a_replaced_file_is_not_written_to(store: SQLiteStore) -> None:
    moved = store.path.with_name("moved.sqlite3")
    os.rename(store.path, moved)
    shutil.copy(moved, store.path)
    with pytest.raises(StoreUnavailable, match="replaced"):
        await store.save_session("someone", {"step": "rating"}, UNTIL)
    assert not await store.ping()


async def test_readiness_probes_a_write_not_only_a_read(store: SQLiteStore) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        assert await store.run(lambda db: db.execute("SELECT 1").fetchone()) == (1,)
        assert not await store.ping()
        other.execute("ROLLBACK")
        assert await store.ping()
    finally:
        other.close()


SCRIPT = textwrap.dedent(
    """
    import asyncio, datetime as dt, os, subprocess, sys
    from pathlib import Path
    from recruiter_reports.stores import StoreUnavailable
    from recruiter_reports.stores.sqlite import SQLiteStore

    UNTIL = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

    def read_only(path):
        for name in (path, f"{path}-wal", f"{path}-shm"):
            if os.geteuid() == 0:  # root writes through permissions; immutable stops it
                subprocess.run(["chattr", "+i", name], check=True)
            else:
                os.chmod(name, 0o444)

    async def main(path):
        store = SQLiteStore(path)
        await store.open()
        await store.save_session("someone", {"step": "menu"}, UNTIL)
        read_only(path)
        print("ready:", await store.ping(), flush=True)
        try:
            await store.save_session("someone", {"step": "rating"}, UNTIL)
            print("write: accepted", flush=True)
        except StoreUnavailable:
            print("write: refused", flush=True)
        try:
            await store.load_session("someone")
            print("read: answered", flush=True)
        except StoreUnavailable:
            print("read: refused", flush=True)
        await store.close()
        print("closed", flush=True)

    asyncio.run(main(Path(sys.argv[1])))
    """
)


def test_a_file_made_read_only_or_immutable_fails_readiness_without_killing_the_process(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(path)], cwd=ROOT, capture_output=True,
            text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        if os.geteuid() == 0:
            for name in tmp_path.iterdir():
                subprocess.run(["chattr", "-i", str(name)], check=False)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert "ready: False" in done.stdout
    assert "write: refused" in done.stdout
    assert "closed" in done.stdout
    assert "SQLite store not ready" in done.stderr and "read-only or immutable" in done.stderr
