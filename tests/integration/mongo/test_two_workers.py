"""Two workers on one MongoDB serve one person: each message may reach either of them."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.services import Services, build_services
from bot.settings import load_settings
from recruiter_reports.stores.mongodb import MongoDBStore
from tests.integration.stores.conftest import FakeClock
from tests.unit.engine.conftest import Person

KEY = "two-workers-test-key-" + "k" * 40
SUNRISE = "KE-EX-KE-0001"
ANSWERS = [
    ("dest", "QA"), ("fee", "b2"), ("receipt", "n"), ("gap", "no-receipt"), ("job", "n"),
    ("contract", "y"), ("passport", "y"), ("orient", "n"), ("rec", "2"), ("broker", "skip"),
]  # fmt: skip


@pytest.fixture
async def workers(store_url: str) -> AsyncIterator[tuple[Services, Services]]:
    """Two composition roots, as two ``serve`` processes would build them from one setting."""
    settings = load_settings(STORE_URL=store_url, PSEUDONYM_KEY=KEY)
    first = await build_services(settings)
    second = await build_services(settings)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def test_a_conversation_continues_on_whichever_worker_gets_the_next_message(
    workers: tuple[Services, Services],
) -> None:
    first, second = workers
    assert first.store is not second.store
    person = Person(first.runner)
    await person.send("/start")
    person.runner = second.runner
    await person.tap("lang:en")
    person.runner = first.runner
    await person.tap("guides")
    person.runner = second.runner
    await person.tap("guide:QA")
    person.runner = first.runner
    await person.tap("topic:QA:wages")
    assert "Page 1 of" in person.text
    person.runner = second.runner
    await person.tap("article:qa-minimum-wage:1")
    assert "Page 2 of" in person.text
    person.runner = first.runner
    await person.send("/mydata")
    assert "Country of work: Qatar" in person.text
    assert "Language: English" in person.text


async def test_half_the_questionnaire_on_one_worker_and_the_rest_on_the_other(
    workers: tuple[Services, Services],
) -> None:
    first, second = workers
    person = Person(first.runner)
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/rate")
    if "Which country is the agency in?" in person.text:
        await person.tap("agencies:rate:KE")
    await person.send("sunrise")
    await person.tap(f"pick:rate:{SUNRISE}")
    await person.tap("consent:yes")
    for step, value in ANSWERS[:4]:
        await person.tap(f"answer:{step}:{value}")
    person.runner = second.runner
    for step, value in ANSWERS[4:]:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    await person.tap("answer:send")
    assert "Thank you" in person.text
    # The report counts once, seen alike from both workers.
    summary = await first.store.summary(SUNRISE)
    assert summary.reporters == 1
    assert summary.indicators["passport_kept"].yes == 1
    assert summary.fee_bands == {"b2": 1}
    assert await second.store.summary(SUNRISE) == summary


async def test_forgetting_on_one_worker_is_seen_by_the_other(
    workers: tuple[Services, Services],
) -> None:
    first, second = workers
    person = Person(first.runner)
    await person.send("/start")
    await person.tap("lang:en")
    person.runner = second.runner
    await person.send("/forget")
    await person.tap("forget:yes")
    assert person.replies[-1].end
    person.runner = first.runner
    await person.send("hi")
    assert "Kiswahili" in person.labels


async def test_a_message_delivered_to_both_workers_is_handled_once(
    store_url: str, clock: FakeClock
) -> None:
    first, second = MongoDBStore(store_url, clock), MongoDBStore(store_url, clock)
    await first.open()
    await second.open()
    until = clock() + dt.timedelta(days=1)
    try:
        for update in range(20):
            key = f"telegram:{update}"
            verdicts = await asyncio.gather(
                first.claim_delivery(key, lease_until=until, expires_at=until),
                second.claim_delivery(key, lease_until=until, expires_at=until),
            )
            assert sorted(verdicts) == [False, True], key
    finally:
        await first.close()
        await second.close()
