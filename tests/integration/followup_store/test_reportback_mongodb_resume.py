"""MongoDB keeps a round and its jobs without a transaction: an approval interrupted between
the two is finished by the next one (and one racing the first is refused), over the wire
server and, with ``MONGODB_TEST_URI``, a real MongoDB."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pymongo import MongoClient

from followups import JobKind
from followups.reportback import reportback_jobs
from followups.stores._codec import round_doc
from followups.stores.mongodb import RESUME_AFTER, ROUNDS, MongoDBFollowups
from tests.integration.followup_store.conftest import ADAPTERS
from tests.integration.followup_store.test_reportback_contract import (
    MESSAGES,
    T0,
    approved,
    enrol,
    person,
)
from tests.integration.stores.mongo_server import database_name

MONGO = [name for name in ADAPTERS if name.startswith("mongodb")]


@pytest.fixture(params=MONGO)
async def mongo(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[
        tuple[MongoDBFollowups, str]]:
    built = ADAPTERS[request.param](request, tmp_path)
    assert isinstance(built, MongoDBFollowups)
    await built.open()
    try:
        yield built, built._url
    finally:
        await built.close()


def _interrupted(uri: str, name: str, at: dt.datetime) -> None:
    """What an approval leaves when it dies after keeping the round, before its jobs."""
    with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
        client[name][ROUNDS].insert_one(
            {"_id": "2026Q4", **round_doc(approved()), "queued": False,
             "approved_at": int(at.timestamp() * 1_000_000)})


async def test_an_interrupted_approval_is_finished_by_the_next(
    request: pytest.FixtureRequest, mongo: tuple[MongoDBFollowups, str],
) -> None:
    store, uri = mongo
    await enrol(store, person("p1"))
    _interrupted(uri, database_name(request), T0 - RESUME_AFTER - dt.timedelta(minutes=1))
    assert (await store.round("2026Q4")).queued is False  # type: ignore[union-attr]

    jobs = reportback_jobs([person("p1")], "2026Q4", MESSAGES, T0)
    assert await store.approve_round(approved(), jobs) is True
    assert (await store.round("2026Q4")).queued is True  # type: ignore[union-attr]
    assert [j.ref for j in await store.jobs_of("p1") if j.kind is JobKind.REPORTBACK] == [
        "2026Q4"]
    assert await store.approve_round(approved(), jobs) is False


async def test_an_approval_racing_one_still_queueing_is_refused(
    request: pytest.FixtureRequest, mongo: tuple[MongoDBFollowups, str],
) -> None:
    store, uri = mongo
    await enrol(store, person("p1"))
    _interrupted(uri, database_name(request), T0 - dt.timedelta(seconds=3))
    jobs = reportback_jobs([person("p1")], "2026Q4", MESSAGES, T0)
    assert await store.approve_round(approved(), jobs) is False
    assert [j for j in await store.jobs_of("p1") if j.kind is JobKind.REPORTBACK] == []
