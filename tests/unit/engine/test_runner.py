"""The runner keeps a conversation going while the store is down, and loses nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.core.engine import Turn
from bot.core.messages import Choice, Inbound, Outbound, decode_replies, encode_replies
from bot.core.runner import Runner
from bot.core.session import Session
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
        self,
        pseudonym: str,
        state: dict[str, Any],
        expires_at: dt.datetime,
        *,
        answer: tuple[str, str] | None = None,
    ) -> None:
        if self.down:
            raise StoreUnavailable("down")
        await super().save_session(pseudonym, state, expires_at, answer=answer)


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


class CountingStore(MemoryStore):
    """A memory store that counts the session writes the runner makes."""

    writes = 0

    async def save_session(
        self,
        pseudonym: str,
        state: dict[str, Any],
        expires_at: dt.datetime,
        *,
        answer: tuple[str, str] | None = None,
    ) -> None:
        self.writes += 1
        await super().save_session(pseudonym, state, expires_at, answer=answer)


class EchoEngine:
    """Keeps the state unless the person says "next"; answers with the step it is at."""

    async def handle(self, inbound: Inbound, state: dict[str, Any] | None, pseudonym: str) -> Turn:
        step = dict((state or {}).get("flow", {"step": 0}))
        if inbound.text == "next":
            step["step"] += 1
        return Turn(state={"flow": step}, messages=[Outbound(text=f"step {step['step']}")])


class MovingClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


async def test_a_turn_that_changes_nothing_writes_nothing_until_the_expiry_needs_moving() -> None:
    clock = MovingClock()
    store = CountingStore(now=clock)
    runner = Runner(EchoEngine(), StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)
    said = Inbound("test", "amina", text="next")
    same = Inbound("test", "amina", text="again")
    assert (await runner.handle(said))[0].text == "step 1"
    assert store.writes == 1
    assert (await runner.handle(same))[0].text == "step 1"
    assert (await runner.handle(same))[0].text == "step 1"
    assert store.writes == 1  # nothing changed: nothing written
    assert (await runner.handle(said))[0].text == "step 2"
    assert store.writes == 2
    clock.now += dt.timedelta(hours=25)  # a day on: written again, so it expires 30 days on
    assert (await runner.handle(same))[0].text == "step 2"
    assert store.writes == 3
    clock.now += dt.timedelta(days=29, hours=23)
    assert (await runner.handle(same))[0].text == "step 2"  # still there, not expired


async def test_a_fresh_worker_writes_an_unchanged_state_once_it_cannot_vouch_for_its_expiry() -> (
    None
):
    clock = MovingClock()
    store = CountingStore(now=clock)
    first = Runner(EchoEngine(), StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)
    await first.handle(Inbound("test", "amina", text="next"))
    second = Runner(EchoEngine(), StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)
    assert (await second.handle(Inbound("test", "amina", text="again")))[0].text == "step 1"
    assert store.writes == 2


async def test_the_answer_of_a_claimed_delivery_is_saved_with_the_state_it_led_to() -> None:
    clock = MovingClock()
    store = CountingStore(now=clock)
    runner = Runner(EchoEngine(), StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)
    later = clock.now + dt.timedelta(days=1)
    for key in ("telegram:1", "telegram:2"):
        assert await store.claim_delivery(key, lease_until=later, expires_at=later)
    await runner.handle(Inbound("test", "amina", text="next"), delivery="telegram:1")
    saved = await store.delivery_replies("telegram:1")
    assert saved is not None
    assert [reply.text for reply in decode_replies(saved)] == ["step 1"]
    # A turn that wrote nothing keeps no answer: run again, it answers the same.
    await runner.handle(Inbound("test", "amina", text="again"), delivery="telegram:2")
    assert await store.delivery_replies("telegram:2") is None


def test_saved_replies_come_back_as_they_were() -> None:
    replies = [
        Outbound(
            text="سلام ١٢", choices=(Choice("menu", "🏠 Menu"), Choice("q:1", "a", "b")), rtl=True
        ),
        Outbound(text="bye", end=True),
    ]
    assert decode_replies(encode_replies(replies)) == replies


class NotifyEngine:
    """Stores the notification choice the person typed, as the discreet screen does."""

    async def handle(
        self, inbound: Inbound, state: dict[str, Any] | None, pseudonym: str
    ) -> Turn:
        state = Session(notify=inbound.text).to_dict()
        return Turn(state=state, messages=[Outbound(text="ok")])


async def test_a_neutral_choice_outlives_the_check_ins_and_a_quarter_the_default_does_not() -> None:
    clock = MovingClock()
    store = MemoryStore(now=clock)
    runner = Runner(NotifyEngine(), StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)
    pseudonym = runner.pseudonym(Inbound("test", "amina"))
    await runner.handle(Inbound("test", "amina", text="neutral"))
    await runner.handle(Inbound("test", "juma", text="words"))
    clock.now += dt.timedelta(days=90 + 92)  # the 90-day check-in, then a quarter's report-back
    stored = await store.load_session(pseudonym)
    assert stored is not None and stored["notify"] == "neutral"
    assert await store.load_session(runner.pseudonym(Inbound("test", "juma"))) is None
