"""Ratings on one MongoDB shared by two workers: uniqueness and summaries under concurrent writes.

Over the wire server, which answers as a standalone server, summaries follow
by the ordered recompute; with ``MONGODB_TEST_URI`` set to a replica set, the
same tests take the transaction path.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from recruiter_reports.reports import Report
from recruiter_reports.stores.mongodb import MongoDBStore
from recruiter_reports.summaries import summarize
from tests.integration.stores.conftest import FakeClock
from tests.integration.stores.mongo_server import database_name

AGENCY = "KE-EX-KE-0001"
OTHER = "KE-EX-KE-0002"


def _person(n: int) -> str:
    return hashlib.sha256(f"person {n}".encode()).hexdigest()


def _report(clock: FakeClock, recruiter_id: str, rng: random.Random) -> Report:
    return Report(
        recruiter_id=recruiter_id,
        origin="KE",
        destination=rng.choice(["QA", "AE", None]),
        fee_band=rng.choice(["none", "b1", "b2", None]),
        passport_kept=rng.choice([True, False, None]),
        job_as_promised=rng.choice([True, False, None]),
        recommend=rng.choice([1, 3, 5, None]),
        created_at=clock() + dt.timedelta(days=rng.choice([0, 400])),
    )


_DEPLOYMENTS = ["wire"] + (["real"] if os.environ.get("MONGODB_TEST_URI") else [])
"""The wire server (standalone) takes the ordered recompute; a replica set given in
MONGODB_TEST_URI takes the transaction path. mongoeco 4.11 cannot run concurrent
transactions: a commit that loses a write conflict leaves its server session in
the transaction, so every later transaction on that pooled session conflicts."""


@pytest.fixture(params=_DEPLOYMENTS)
async def workers(
    request: pytest.FixtureRequest, store_url: str, clock: FakeClock
) -> AsyncIterator[tuple[MongoDBStore, MongoDBStore]]:
    url, options = store_url, dict[str, Any]()
    if request.param == "real":
        url, options = os.environ["MONGODB_TEST_URI"], {"database": database_name(request)}
    first = MongoDBStore(url, clock, **options)
    second = MongoDBStore(url, clock, **options)
    await first.open()
    await second.open()
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()
        if request.param == "real":
            client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
            await client.drop_database(database_name(request))
            await client.close()


async def test_summaries_are_right_after_two_workers_write_at_once(
    workers: tuple[MongoDBStore, MongoDBStore], clock: FakeClock
) -> None:
    rng = random.Random(5)
    latest: dict[tuple[str, str], Report] = {}
    writes = []
    for n in range(60):
        person, recruiter = _person(n % 25), rng.choice([AGENCY, OTHER])
        report = _report(clock, recruiter, rng)
        latest[(person, recruiter)] = report
        writes.append((workers[n % 2], person, report))

    async def write(store: MongoDBStore, person: str, report: Report) -> None:
        await store.save_report(person, report, reporter_since=clock())

    # Each person's writes stay in order (as the runner's per-person lock keeps them);
    # different people write concurrently through both workers.
    by_person: dict[str, list[tuple[MongoDBStore, str, Report]]] = {}
    for item in writes:
        by_person.setdefault(item[1], []).append(item)

    async def in_order(items: list[tuple[MongoDBStore, str, Report]]) -> None:
        for item in items:
            await write(*item)

    await asyncio.gather(*(in_order(items) for items in by_person.values()))
    await asyncio.gather(*(workers[0].forget(_person(n)) for n in range(3)))
    for n in range(3):
        for recruiter in (AGENCY, OTHER):
            latest.pop((_person(n), recruiter), None)

    for recruiter in (AGENCY, OTHER):
        expected = summarize([r for (_, rid), r in latest.items() if rid == recruiter], recruiter)
        for store in workers:
            assert await store.summary(recruiter) == expected
        cells = await workers[1].breakdown(recruiter, "year")
        assert sum(cell.reporters for cell in cells.values()) == expected.reporters


async def test_one_report_per_person_and_recruiter_is_declared_in_an_index(
    store_url: str, clock: FakeClock
) -> None:
    store = MongoDBStore(store_url, clock)
    await store.open()
    await store.close()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(store_url)
    try:
        indexes = await client[store.database_name]["reports"].index_information()
    finally:
        await client.close()
    unique = [spec["key"] for spec in indexes.values() if spec.get("unique")]
    assert [("pseudonym", 1), ("recruiter_id", 1)] in unique


async def test_a_report_saved_on_one_worker_is_replaced_from_the_other(
    workers: tuple[MongoDBStore, MongoDBStore], clock: FakeClock
) -> None:
    first, second = workers
    rng = random.Random(1)
    older, newer = _report(clock, AGENCY, rng), _report(clock, AGENCY, rng)
    saved = await first.save_report(_person(1), older, reporter_since=clock())
    again = await second.save_report(_person(1), newer, reporter_since=clock())
    assert (saved.replaced, again.replaced) == (False, True)
    assert saved.id != again.id
    assert [r.report for r in await first.reports_of(_person(1))] == [newer]
    assert await first.summary(AGENCY) == summarize([newer], AGENCY)
