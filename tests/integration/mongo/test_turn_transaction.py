"""On a replica set a turn's effects and its state are one MongoDB transaction.

The wire server keeps transactions (a write in a session is invisible outside
it until the commit, and an abort drops it); it calls itself a standalone
server, so the store is told to take the replica-set path (``transactions=True``),
the path ``hello`` selects when it names a replica set or a ``mongos``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.content import load_content
from bot.core.engine import Engine
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.mongodb import MongoDBStore
from tests.fakes.clock import FakeClock
from tests.unit.engine.conftest import Person

ROOT = Path(__file__).resolve().parents[3]
KEY = b"k" * 32
SUNRISE = "KE-EX-KE-0001"
ANSWERS = [
    ("dest", "QA"), ("fee", "b2"), ("receipt", "n"), ("gap", "no-receipt"), ("job", "n"),
    ("contract", "y"), ("passport", "y"), ("orient", "n"), ("rec", "2"), ("broker", "skip"),
]  # fmt: skip


@pytest.fixture
async def store(store_url: str, clock: FakeClock) -> AsyncIterator[MongoDBStore]:
    opened = MongoDBStore(store_url, clock, transactions=True)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def runner(store: MongoDBStore, clock: FakeClock) -> Runner:
    content = load_content(ROOT / "content")
    catalogs = Catalogs.load(ROOT / "locales", "en")
    registries = load_registries(ROOT / "content" / "recruiters")
    engine = Engine(content, catalogs, store, min_reporters=5, clock=clock, registries=registries)
    return Runner(engine, StoreTurns(store), Pseudonymizer(KEY), clock=clock)


async def _at_send(runner: Runner) -> Person:
    person = Person(runner, "amina")
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/rate")
    if "Which country is the agency in?" in person.text:
        await person.tap("agencies:rate:KE")
    await person.send("sunrise")
    await person.tap(f"pick:rate:{SUNRISE}")
    await person.tap("consent:yes")
    for step, value in ANSWERS:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    assert any(c.id == "answer:send" for c in person.last.choices)
    return person


async def test_the_state_failing_last_rolls_back_the_report_and_its_summary(
    runner: Runner, store: MongoDBStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report and the summary are written, then the state cannot be: nothing stays,
    the person is asked to try again, and trying again counts the rating once."""
    assert store.uses_transactions
    person = await _at_send(runner)
    pseudonym = Pseudonymizer(KEY)("test", "amina")
    written: list[str] = []
    real_save_report = store.save_report

    async def save_report(*args: Any, **kwargs: Any) -> Any:
        saved = await real_save_report(*args, **kwargs)
        written.append("report")
        return saved

    async def state_down(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("the database stopped before the state was written")

    monkeypatch.setattr(store, "save_report", save_report)
    monkeypatch.setattr(store, "save_session", state_down)
    await person.tap("answer:send")
    assert written == ["report"]  # the report was written inside the turn...
    assert "could not save that just now" in person.text
    assert any(c.id == "answer:send" for c in person.last.choices)
    assert await store.reports_of(pseudonym) == []  # ...and rolled back with it
    assert (await store.summary(SUNRISE)).reporters == 0

    monkeypatch.undo()
    await person.tap("answer:send")
    assert "could not save" not in person.text
    assert len(await store.reports_of(pseudonym)) == 1
    assert (await store.summary(SUNRISE)).reporters == 1


async def test_a_turn_that_fails_after_its_state_leaves_the_old_state(
    store: MongoDBStore, clock: FakeClock
) -> None:
    """The state is inside the transaction too, not written beside it."""
    later = clock() + dt.timedelta(hours=1)
    await store.save_session("p" * 64, {"step": "before"}, later)
    with pytest.raises(RuntimeError):
        async with store.unit_of_work():
            await store.save_consent("p" * 64, "1", clock())
            await store.save_session("p" * 64, {"step": "after"}, later)
            raise RuntimeError("the turn broke after its last write")
    assert await store.load_session("p" * 64) == {"step": "before"}
    assert await store.consent("p" * 64) is None


async def test_a_unit_of_work_inside_another_joins_it(
    store: MongoDBStore, clock: FakeClock
) -> None:
    later = clock() + dt.timedelta(hours=1)
    with pytest.raises(RuntimeError):
        async with store.unit_of_work():
            async with store.unit_of_work():
                await store.save_session("q" * 64, {"step": "inner"}, later)
            raise RuntimeError("the outer turn broke")
    assert await store.load_session("q" * 64) is None


class _Admin:
    def __init__(self, hello: dict[str, object]) -> None:
        self._hello = hello

    async def command(self, name: str) -> dict[str, object]:
        assert name == "hello"
        return self._hello


class _Client:
    def __init__(self, hello: dict[str, object]) -> None:
        self.admin = _Admin(hello)


class _Database:
    def __init__(self, hello: dict[str, object]) -> None:
        self.client = _Client(hello)


@pytest.mark.parametrize(
    ("hello", "expected"),
    [
        ({"isWritablePrimary": True, "setName": "rs0"}, True),
        ({"isWritablePrimary": True, "msg": "isdbgrid"}, True),
        ({"isWritablePrimary": True}, False),
    ],
)
async def test_transactions_are_used_on_a_replica_set_or_mongos_only(
    hello: dict[str, object], expected: bool
) -> None:
    store = MongoDBStore("mongodb://127.0.0.1:1/")
    assert await store._detect_transactions(_Database(hello)) is expected  # type: ignore[arg-type]
