"""A MongoDB-wire-compatible server on 127.0.0.1 for the tests, and the MongoDB contract adapters.

``WireServer`` runs mongoeco's wire server (``mongoeco[wire]``) on its own
event loop in a thread, so every test's loop talks to it through PyMongo over
real TCP, exactly as a worker talks to MongoDB. It can be stopped and started
again on the same port with its data kept, to play a database that goes away
and comes back.

``mongo_adapters`` adds the MongoDB adapter to the contract suite: always over
the wire server (once as the standalone server it says it is, once through the
transaction path), and over a real MongoDB when ``MONGODB_TEST_URI`` is set.
Each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bson import encode
from mongoeco.engines.memory import MemoryEngine
from mongoeco.wire import AsyncMongoEcoProxyServer
from pymongo import MongoClient

from recruiter_reports.stores import Store
from recruiter_reports.stores.mongodb import MongoDBStore

if TYPE_CHECKING:
    from .conftest import Adapter, FakeClock

__all__ = ["WireServer", "database_name", "dump_database", "mongo_adapters", "shared_wire_server"]

_PYMONGO_PROFILE = "auto-installed"
"""Follow the installed PyMongo (the strict profile refuses versions newer than mongoeco knows)."""


class WireServer:
    """mongoeco's wire server over an in-memory engine, on a thread with its own event loop."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="wire-server")
        self._thread.daemon = True
        self._engine = MemoryEngine()
        self._proxy: AsyncMongoEcoProxyServer | None = None
        self._port = 0
        self._thread.start()
        # Our own connection to the engine keeps its data while the listener is stopped.
        self._call(self._engine.connect())

    @property
    def port(self) -> int:
        return self._port

    @property
    def uri(self) -> str:
        """Where PyMongo finds the server; stays the same across stop() and start()."""
        return f"mongodb://127.0.0.1:{self._port}/?directConnection=true"

    @property
    def running(self) -> bool:
        return self._proxy is not None

    def start(self) -> str:
        """Listen (again, on the same port after a stop) and return the URI."""
        if self._proxy is None:
            proxy = AsyncMongoEcoProxyServer(
                engine=self._engine, port=self._port, pymongo_profile=_PYMONGO_PROFILE
            )
            self._port = self._call(proxy.start()).port
            self._proxy = proxy
        return self.uri

    def stop(self) -> None:
        """Close the listener and drop every connection, keeping the data: a database outage."""
        proxy, self._proxy = self._proxy, None
        if proxy is not None:
            self._call(proxy.close())

    def hang(self, seconds: float) -> None:
        """Freeze the server's loop: connections stay open but nothing answers (a slow database)."""
        self._loop.call_soon_threadsafe(time.sleep, seconds)

    def close(self) -> None:
        """Stop for good and free the engine and the thread."""
        self.stop()
        self._call(self._engine.disconnect())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _call[T](self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)


_shared: WireServer | None = None
_shared_lock = threading.Lock()


def shared_wire_server(config: pytest.Config) -> WireServer:
    """One wire server for the whole test session, started on first use, closed at the end."""
    global _shared
    with _shared_lock:
        if _shared is None:
            server = WireServer()
            server.start()
            config.add_cleanup(_close_shared)
            _shared = server
        return _shared


def _close_shared() -> None:
    global _shared
    with _shared_lock:
        server, _shared = _shared, None
    if server is not None:
        server.close()


def database_name(request: pytest.FixtureRequest) -> str:
    """A database name unique to the test (MongoDB limits names to 63 bytes and some characters)."""
    digest = hashlib.sha256(request.node.nodeid.encode("utf-8")).hexdigest()[:24]
    return f"contract_{digest}"


def dump_database(uri: str, name: str) -> bytes:
    """The BSON of every document in every collection of the database, for the privacy test."""
    with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
        database = client[name]
        chunks = [
            encode(document)
            for collection in sorted(database.list_collection_names())
            for document in database[collection].find()
        ]
    return b"".join(chunks)


def _drop_database(uri: str, name: str) -> None:
    with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
        client.drop_database(name)


def _builder(
    server_uri: Callable[[pytest.FixtureRequest], str], *, transactions: bool | None = None
) -> Callable[[pytest.FixtureRequest, Path, FakeClock], Store]:
    def build(request: pytest.FixtureRequest, _tmp: Path, clock: FakeClock) -> Store:
        uri = server_uri(request)
        name = database_name(request)
        _drop_database(uri, name)
        request.addfinalizer(lambda: _drop_database(uri, name))
        return MongoDBStore(uri, clock, database=name, transactions=transactions)

    return build


def _dump(store: Store) -> bytes:
    assert isinstance(store, MongoDBStore)
    return dump_database(store.url, store.database_name)


def _another(store: Store, clock: FakeClock) -> Store:
    """A second store object on the same database, as another worker opens it."""
    assert isinstance(store, MongoDBStore)
    return MongoDBStore(
        store.url, clock, database=store.database_name, transactions=store.uses_transactions
    )


def _wire_uri(request: pytest.FixtureRequest) -> str:
    return shared_wire_server(request.config).uri


def _real_uri(_request: pytest.FixtureRequest) -> str:
    return os.environ["MONGODB_TEST_URI"]


def mongo_adapters(adapter: type[Adapter]) -> list[Adapter]:
    """The MongoDB entries of the contract suite (``adapter`` is conftest's class, passed to
    avoid a circular import): the wire server always, a real MongoDB when one is configured."""
    adapters = [
        # The wire server says it is a standalone server: summaries by ordered recompute.
        adapter("mongodb-wire", _builder(_wire_uri), _dump, _another),
        # The same server driven through the transaction path a replica set takes.
        adapter("mongodb-wire-txn", _builder(_wire_uri, transactions=True), _dump, _another),
    ]
    if os.environ.get("MONGODB_TEST_URI"):
        adapters.append(adapter("mongodb-real", _builder(_real_uri), _dump, _another))
    return adapters
