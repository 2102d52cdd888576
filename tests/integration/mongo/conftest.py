"""A wire server of the test's own (so stopping it disturbs no other test) and URLs to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.stores.conftest import FakeClock
from tests.integration.stores.mongo_server import WireServer, database_name

FAST_FAILURE = "serverSelectionTimeoutMS=400&connectTimeoutMS=400&socketTimeoutMS=15000"
"""URL options that make an outage show within a second instead of the production few seconds.

A stopped server shows at once (refused or reset connections, found in 400 ms); the socket
timeout only catches a server that hangs, which these tests never make. It stays generous
because the wire server is a Python process: on a loaded machine one answer can take seconds,
and a tight timeout made "two workers at once" fail there for no fault of the store."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC))


@pytest.fixture
def wire_server() -> Iterator[WireServer]:
    server = WireServer()
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def store_url(wire_server: WireServer, request: pytest.FixtureRequest) -> str:
    """The STORE_URL of this test's database on its server (the port holds across restarts)."""
    name = database_name(request)
    return f"mongodb://127.0.0.1:{wire_server.port}/{name}?directConnection=true&{FAST_FAILURE}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this folder's tests ``mongo`` so ``-m mongo`` selects every MongoDB test."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.mongo)
