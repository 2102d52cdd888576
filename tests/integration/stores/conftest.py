"""The ``store`` fixture: every contract suite (one per port) runs once per adapter in ``ADAPTERS``.

To add an adapter (MongoDB is next), append one ``Adapter`` to ``ADAPTERS``:

    ADAPTERS.append(Adapter("mongodb", build=_mongo_store, persisted_bytes=_mongo_dump))

``build`` returns an unopened store over empty storage; it gets the pytest
request (to reach a server fixture with ``request.getfixturevalue``, and to
derive a database name unique to the test), a private temporary folder and the
fake clock, which the store must use as its only notion of time.
``persisted_bytes`` returns everything the adapter has written, as bytes (for
MongoDB: the BSON of every document), so the privacy test can look for raw ids.
``another`` opens a second store object over the same storage, as another worker
would (None for the memory store, whose storage is the object itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from recruiter_reports.stores import Store
from recruiter_reports.stores.memory import MemoryStore
from recruiter_reports.stores.sqlite import SQLiteStore
from tests.fakes.clock import FakeClock


@dataclass(frozen=True)
class Adapter:
    """How the contract suite builds one adapter and reads back what it stored."""

    name: str
    build: Callable[[pytest.FixtureRequest, Path, FakeClock], Store]
    persisted_bytes: Callable[[Store], bytes]
    another: Callable[[Store, FakeClock], Store] | None = None


def _memory_dump(store: Store) -> bytes:
    assert isinstance(store, MemoryStore)
    return repr(vars(store)).encode("utf-8")


def _sqlite_dump(store: Store) -> bytes:
    assert isinstance(store, SQLiteStore)
    files = [store.path, *(store.path.with_name(store.path.name + s) for s in ("-wal", "-shm"))]
    return b"".join(path.read_bytes() for path in files if path.exists())


def _another_sqlite(store: Store, clock: FakeClock) -> Store:
    assert isinstance(store, SQLiteStore)
    return SQLiteStore(store.path, clock)


ADAPTERS: list[Adapter] = [
    Adapter("memory", lambda _request, _tmp, clock: MemoryStore(clock), _memory_dump),
    Adapter(
        "sqlite",
        lambda _request, tmp, clock: SQLiteStore(tmp / "var" / "bot.sqlite3", clock),
        _sqlite_dump,
        _another_sqlite,
    ),
]
from .mongo_server import mongo_adapters; ADAPTERS.extend(mongo_adapters(Adapter))  # noqa: E402, E702, I001


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC))


@pytest.fixture(params=ADAPTERS, ids=[adapter.name for adapter in ADAPTERS])
def adapter(request: pytest.FixtureRequest) -> Adapter:
    chosen: Adapter = request.param
    return chosen


@pytest.fixture
async def store(
    adapter: Adapter, request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Store]:
    """An opened store of each adapter over empty storage, closed after the test."""
    built = adapter.build(request, tmp_path, clock)
    await built.open()
    try:
        yield built
    finally:
        await built.close()
