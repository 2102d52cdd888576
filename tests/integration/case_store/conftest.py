"""The ``cases`` fixture: the case store contract runs once per adapter in ``ADAPTERS``.

Copied from tests/integration/stores/conftest.py: ``build`` returns an unopened
store over empty storage, ``persisted_bytes`` everything it wrote, so the
privacy tests can look for plaintext. MongoDB runs over the shared mongoeco
wire server (and a real MongoDB when ``MONGODB_TEST_URI`` is set).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from casework.port import CaseStore
from casework.stores.memory import MemoryCaseStore
from casework.stores.mongodb import MongoDBCaseStore
from casework.stores.sqlite import SQLiteCaseStore
from tests.integration.stores.mongo_server import (
    database_name,
    dump_database,
    shared_wire_server,
)


@dataclass(frozen=True)
class CaseAdapter:
    name: str
    build: Callable[[pytest.FixtureRequest, Path], CaseStore]
    persisted_bytes: Callable[[CaseStore], bytes]


def _memory_dump(store: CaseStore) -> bytes:
    assert isinstance(store, MemoryCaseStore)
    return repr(vars(store)).encode("utf-8")


def _sqlite_dump(store: CaseStore) -> bytes:
    assert isinstance(store, SQLiteCaseStore)
    files = [store.path, *(store.path.with_name(store.path.name + s) for s in ("-wal", "-shm"))]
    return b"".join(path.read_bytes() for path in files if path.exists())


def _mongo_builder(uri_of: Callable[[pytest.FixtureRequest], str]) -> Callable[
    [pytest.FixtureRequest, Path], CaseStore
]:
    def build(request: pytest.FixtureRequest, _tmp: Path) -> CaseStore:
        from pymongo import MongoClient

        uri, name = uri_of(request), database_name(request)

        def drop() -> None:
            with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
                client.drop_database(name)

        drop()
        request.addfinalizer(drop)
        return MongoDBCaseStore(uri, database=name)

    return build


def _mongo_dump(store: CaseStore) -> bytes:
    assert isinstance(store, MongoDBCaseStore)
    return dump_database(store.url, store.database_name)


ADAPTERS: list[CaseAdapter] = [
    CaseAdapter("memory", lambda _request, _tmp: MemoryCaseStore(), _memory_dump),
    CaseAdapter(
        "sqlite", lambda _request, tmp: SQLiteCaseStore(tmp / "var" / "bot.sqlite3"), _sqlite_dump
    ),
    CaseAdapter(
        "mongodb-wire",
        _mongo_builder(lambda request: shared_wire_server(request.config).uri),
        _mongo_dump,
    ),
]
if os.environ.get("MONGODB_TEST_URI"):
    ADAPTERS.append(
        CaseAdapter(
            "mongodb-real", _mongo_builder(lambda _r: os.environ["MONGODB_TEST_URI"]), _mongo_dump
        )
    )


@pytest.fixture(params=ADAPTERS, ids=[adapter.name for adapter in ADAPTERS])
def case_adapter(request: pytest.FixtureRequest) -> CaseAdapter:
    chosen: CaseAdapter = request.param
    return chosen


@pytest.fixture
async def cases(
    case_adapter: CaseAdapter, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[CaseStore]:
    """An opened case store of each adapter over empty storage, closed after the test."""
    built = case_adapter.build(request, tmp_path)
    await built.open()
    try:
        yield built
    finally:
        await built.close()
