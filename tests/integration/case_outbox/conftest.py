"""The ``outbox`` fixture: the case outbox contract runs once per adapter.

MongoDB runs over the shared mongoeco wire server (and a real MongoDB when
``MONGODB_TEST_URI`` is set), as the other store contracts do.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from casework.outbox import OutboxStore
from casework.stores.outbox_memory import MemoryOutbox
from casework.stores.outbox_mongodb import MongoDBOutbox
from casework.stores.outbox_sqlite import SQLiteOutbox
from tests.integration.stores.mongo_server import database_name, shared_wire_server

Build = Callable[[pytest.FixtureRequest, Path], OutboxStore]


def _mongo(uri_of: Callable[[pytest.FixtureRequest], str]) -> Build:
    def build(request: pytest.FixtureRequest, _tmp: Path) -> OutboxStore:
        from pymongo import MongoClient

        uri, name = uri_of(request), database_name(request)

        def drop() -> None:
            with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
                client.drop_database(name)

        drop()
        request.addfinalizer(drop)
        return MongoDBOutbox(uri, database=name)

    return build


ADAPTERS: dict[str, Build] = {
    "memory": lambda _request, _tmp: MemoryOutbox(),
    "sqlite": lambda _request, tmp: SQLiteOutbox(tmp / "var" / "bot.sqlite3"),
    "mongodb-wire": _mongo(lambda request: shared_wire_server(request.config).uri),
}
if os.environ.get("MONGODB_TEST_URI"):
    ADAPTERS["mongodb-real"] = _mongo(lambda _r: os.environ["MONGODB_TEST_URI"])


@pytest.fixture(params=list(ADAPTERS))
async def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OutboxStore]:
    built = ADAPTERS[request.param](request, tmp_path)
    await built.open()
    try:
        yield built
    finally:
        await built.close()
