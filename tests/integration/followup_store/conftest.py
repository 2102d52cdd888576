"""The ``followups`` fixture: the follow-up store contract runs once per adapter.

MongoDB runs over the shared mongoeco wire server (and a real MongoDB when
``MONGODB_TEST_URI`` is set), as the other store contracts do.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from followups.port import FollowupStore
from followups.stores.memory import MemoryFollowups
from followups.stores.mongodb import MongoDBFollowups
from followups.stores.sqlite import SQLiteFollowups
from tests.integration.stores.mongo_server import database_name, shared_wire_server

Build = Callable[[pytest.FixtureRequest, Path], FollowupStore]


def _mongo(uri_of: Callable[[pytest.FixtureRequest], str]) -> Build:
    def build(request: pytest.FixtureRequest, _tmp: Path) -> FollowupStore:
        from pymongo import MongoClient

        uri, name = uri_of(request), database_name(request)

        def drop() -> None:
            with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
                client.drop_database(name)

        drop()
        request.addfinalizer(drop)
        return MongoDBFollowups(uri, database=name)

    return build


ADAPTERS: dict[str, Build] = {
    "memory": lambda _request, _tmp: MemoryFollowups(),
    "sqlite": lambda _request, tmp: SQLiteFollowups(tmp / "var" / "bot.sqlite3"),
    "mongodb-wire": _mongo(lambda request: shared_wire_server(request.config).uri),
}
if os.environ.get("MONGODB_TEST_URI"):
    ADAPTERS["mongodb-real"] = _mongo(lambda _r: os.environ["MONGODB_TEST_URI"])


@pytest.fixture(params=list(ADAPTERS))
async def followups(request: pytest.FixtureRequest,
                    tmp_path: Path) -> AsyncIterator[FollowupStore]:
    built = ADAPTERS[request.param](request, tmp_path)
    await built.open()
    try:
        yield built
    finally:
        await built.close()
