"""The runner keeps a conversation going while the store is down, and loses nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.core.engine import Turn
from bot.core.messages import Inbound, Outbound
from bot.core.runner import Runner
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.memory import MemoryStore


class FlakyStore(MemoryStore):
    """A memory store that can be switched off, like a database that stopped."""

    down = False

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None:
        if self.down:
            raise StoreUnavailable("down")
        return await super().load_session(pseudonym)

    async def save_session(
        self, pseudonym: str, state: dict[str, Any], expires_at: dt.datetime
    ) -> None:
        if self.down:
            raise StoreUnavailable("down")
        await super().save_session(pseudonym, state, expires_at)


class CountingEngine:
    """Counts the person's messages in the state, so a lost state shows as a reset count."""

    async def handle(
        self, inbound: Inbound, state: dict[str, Any] | None, pseudonym: str
    ) -> Turn:
        count = (state or {}).get("count", 0) + 1
        return Turn(state={"count": count}, messages=[Outbound(text=str(count))])


async def _say(runner: Runner) -> str:
    replies = await runner.handle(Inbound("test", "amina", text="hi"))
    return replies[0].text


async def test_an_outage_neither_resets_nor_loses_the_conversation() -> None:
    store = FlakyStore()
    runner = Runner(CountingEngine(), StoreTurns(store), Pseudonymizer(b"k" * 32))
    assert await _say(runner) == "1"
    store.down = True
    assert await _say(runner) == "2"
    assert await _say(runner) == "3"
    store.down = False
    assert await _say(runner) == "4"  # the newer state from the outage wins over the stored "1"
    pseudonym = runner.pseudonym(Inbound("test", "amina"))
    assert await store.load_session(pseudonym) == {"count": 4}


async def test_the_raw_user_reference_is_never_the_key() -> None:
    store = MemoryStore()
    runner = Runner(CountingEngine(), StoreTurns(store), Pseudonymizer(b"k" * 32))
    await _say(runner)
    assert await store.load_session("amina") is None
    assert await store.load_session(runner.pseudonym(Inbound("test", "amina"))) == {"count": 1}
