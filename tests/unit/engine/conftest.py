"""The engine with the shipped content and catalogs, an in-memory store and a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import ContentTree, load_content
from bot.core.engine import Engine
from bot.core.messages import Inbound, Outbound
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.stores.memory import MemoryStore
from tests.fakes.clock import FakeClock

ROOT = Path(__file__).resolve().parents[3]


class Person:
    """One person talking to the engine, like errbot's testbot: send, then read replies."""

    def __init__(self, runner: Runner, user: str = "amina", hint: str | None = None) -> None:
        self.runner = runner
        self.user = user
        self.hint = hint
        self.replies: list[Outbound] = []

    async def send(self, text: str) -> list[Outbound]:
        return await self._go(Inbound("test", self.user, text=text, locale_hint=self.hint))

    async def tap(self, choice_id: str) -> list[Outbound]:
        ids = [c.id for c in self.last.choices]
        assert choice_id in ids, f"{choice_id!r} is not offered: {ids}"
        return await self._go(Inbound("test", self.user, choice=choice_id, locale_hint=self.hint))

    async def _go(self, inbound: Inbound) -> list[Outbound]:
        self.replies = await self.runner.handle(inbound)
        return self.replies

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    @property
    def last(self) -> Outbound:
        return [reply for reply in self.replies if reply.choices][-1]

    @property
    def labels(self) -> list[str]:
        return [choice.label for choice in self.last.choices]


@pytest.fixture(scope="session")
def content() -> ContentTree:
    return load_content(ROOT / "content")


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs.load(ROOT / "locales", "en")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> MemoryStore:
    return MemoryStore(now=clock)


@pytest.fixture
def runner(
    content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock
) -> Runner:
    engine = Engine(content, catalogs, store, min_reporters=5, clock=clock)
    return Runner(engine, StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)


@pytest.fixture
def person(runner: Runner) -> Person:
    return Person(runner)
