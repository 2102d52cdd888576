"""The channel's own logic: long lists paged from the stored session, the 24-hour window."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.channels.push import PersonWrote
from bot.channels.whatsapp.channel import WhatsAppChannel, WhatsAppConfig
from bot.channels.whatsapp.graph import GraphClient
from bot.channels.whatsapp.parse import Received
from bot.channels.whatsapp.render import page_token
from bot.core.messages import Choice, Inbound, Outbound
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.settings import PROJECT_ROOT
from bot.turn_storage import StoreTurns
from recruiter_reports.stores import StoreUnavailable
from recruiter_reports.stores.memory import MemoryStore
from tests.fakes.graph_api import FakeGraphAPI, shown_choices, shown_text

WA_ID = "254712345678"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CHOICES = [Choice(f"c{i}", f"Choice {i}") for i in range(20)] + [
    Choice("menu", "🏠 Menu"), Choice("sos", "🆘 Help now")]


@dataclass
class _Turn:
    state: dict[str, Any]
    messages: list[Outbound]
    effects: list[Any] = field(default_factory=list)
    forget: bool = False


@dataclass
class LongListEngine:
    """Answers everything with a 22-choice list, remembering it as the real engine does."""

    seen: list[Inbound] = field(default_factory=list)

    async def handle(self, inbound: Inbound, state: dict[str, Any] | None,
                     pseudonym: str) -> _Turn:
        self.seen.append(inbound)
        last = [[c.id, c.label] for c in CHOICES]
        return _Turn({"v": 1, "locale": "en", "last": last},
                     [Outbound("Pick one of many", tuple(CHOICES))])


class DownStore(MemoryStore):
    """Cannot write a claim nor save a session (reads of a session fail too)."""

    async def claim_delivery(self, key: str, **_: object) -> bool:
        raise StoreUnavailable("down")

    async def claim_delivery_answer(self, key: str, **_: object) -> tuple[bool, str | None]:
        raise StoreUnavailable("down")

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None:
        raise StoreUnavailable("down")

    async def save_session(
        self, pseudonym: str, state: dict[str, Any], expires_at: dt.datetime, **_: object
    ) -> None:
        raise StoreUnavailable("down")


class StuckEngine:
    """Never finishes a turn, like a worker hanging at shutdown."""

    async def handle(self, inbound: Inbound, state: dict[str, Any] | None,
                     pseudonym: str) -> _Turn:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class FailingEngine:
    async def handle(self, inbound: Inbound, state: dict[str, Any] | None,
                     pseudonym: str) -> _Turn:
        raise RuntimeError("a bug")


@pytest.fixture
async def api() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as fake:
        yield fake


def make_channel(api: FakeGraphAPI, store: MemoryStore | None = None,
                 engine: LongListEngine | None = None,
                 on_write: PersonWrote | None = None) -> tuple[WhatsAppChannel, LongListEngine]:
    store = store or MemoryStore(now=lambda: NOW)
    engine = engine or LongListEngine()
    runner = Runner(engine, StoreTurns(store), lambda channel, user: f"p-{channel}-{len(user)}")
    catalogs = Catalogs.load(PROJECT_ROOT / "locales", "en")
    client = GraphClient(api.base_url, api.phone_number_id, api.token, backoff=0.0)
    config = WhatsAppConfig(access_token=api.token, phone_number_id=api.phone_number_id,
                            app_secret="s" * 32, verify_token="v", api_base_url=api.base_url)
    channel = WhatsAppChannel(config, runner, store, catalogs, client=client, clock=lambda: NOW,
                              on_write=on_write)
    return channel, engine


def received(choice: str | None = None, text: str | None = None,
             sent_at: dt.datetime = NOW, message_id: str = "wamid.1") -> Received:
    return Received(message_id, "interactive" if choice else "text",
                    Inbound("whatsapp", WA_ID, text=text, choice=choice), sent_at)


async def test_more_shows_the_next_page_without_asking_the_engine(api: FakeGraphAPI) -> None:
    channel, engine = make_channel(api)
    await channel.accept([received(text="hi")])
    await channel.drain()
    [first] = api.sent
    rows = shown_choices(first)
    assert len(rows) == 10 and [i for i, _ in rows][-2:] == ["menu", "sos"]
    more = rows[7][0]
    assert more == f"wa:more:1:{page_token(CHOICES)}"
    await channel.accept([received(choice=more, message_id="wamid.2")])
    await channel.drain()
    second = api.sent[1]
    assert shown_text(second) == "Page 2 of 3"
    assert [i for i, _ in shown_choices(second)][:7] == [f"c{i}" for i in range(7, 14)]
    assert len(engine.seen) == 1  # paging stayed inside the channel
    await channel.close()


async def test_a_stale_more_goes_to_the_engine(api: FakeGraphAPI) -> None:
    channel, engine = make_channel(api)
    await channel.accept([received(choice="wa:more:1:0123456789ab")])
    await channel.drain()
    assert [i.choice for i in engine.seen] == ["wa:more:1:0123456789ab"]
    await channel.close()


async def test_a_repeated_message_id_is_handled_once_and_its_record_hides_the_id(
    api: FakeGraphAPI,
) -> None:
    store = MemoryStore(now=lambda: NOW)
    channel, engine = make_channel(api, store)
    wamid = f"wamid.HBgM{WA_ID}FQIAEhgUAAAA"
    assert await channel.accept([received(text="hi", message_id=wamid)]) == 1
    assert await channel.accept([received(text="hi", message_id=wamid)]) == 0
    await channel.drain()
    assert len(engine.seen) == 1 and len(api.sent) == 1
    key = channel.record_key(wamid)
    assert WA_ID not in key and key.startswith("whatsapp:")
    await channel.close()


async def test_without_a_store_the_message_is_claimed_in_memory_and_answered_once(
    api: FakeGraphAPI,
) -> None:
    channel, engine = make_channel(api, DownStore())
    assert await channel.accept([received(text="hi")]) == 1
    assert await channel.accept([received(text="hi")]) == 0  # Meta's repeat, caught in memory
    await channel.drain()
    assert len(engine.seen) == 1 and len(api.sent) == 1
    assert channel.stats["fallback"] == 2
    await channel.close()


async def test_no_free_form_reply_after_24_hours(api: FakeGraphAPI,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    channel, _ = make_channel(api)
    late = received(text="hi", sent_at=NOW - dt.timedelta(hours=24, minutes=1))
    await channel.accept([late])
    await channel.drain()
    assert api.requests == [] and "more than 24 hours" in caplog.text
    # A newer message reopens the window, even when an old one is redelivered after it.
    await channel.accept([received(text="hi", sent_at=NOW - dt.timedelta(minutes=1),
                                   message_id="wamid.new"),
                          received(text="hi", sent_at=NOW - dt.timedelta(days=2),
                                   message_id="wamid.old")])
    await channel.drain()
    assert len(api.sent) == 2
    await channel.close()


async def _claimable_later(store: MemoryStore, key: str) -> bool:
    """Would a redelivery be handled (the store's clock says when)?"""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    return await store.claim_delivery(key, lease_until=later, expires_at=later)


@pytest.mark.parametrize("engine", [LongListEngine(), FailingEngine()],
                         ids=["answered", "failed"])
async def test_a_handled_message_stays_handled_after_its_lease(
    api: FakeGraphAPI, engine: Any
) -> None:
    store = MemoryStore(now=lambda: NOW + dt.timedelta(minutes=10))
    channel, _ = make_channel(api, store, engine)
    assert await channel.accept([received(text="hi", message_id="wamid.done")]) == 1
    await channel.drain()
    assert await _claimable_later(store, channel.record_key("wamid.done")) is False
    await channel.close()


async def test_a_message_cut_off_at_shutdown_is_released_for_its_redelivery(
    api: FakeGraphAPI, caplog: pytest.LogCaptureFixture
) -> None:
    store = MemoryStore(now=lambda: NOW)
    channel, _ = make_channel(api, store, StuckEngine())  # type: ignore[arg-type]
    assert await channel.accept([received(text="hi", message_id="wamid.cut")]) == 1
    await channel.drain(grace=0.05)
    assert "still in flight at shutdown" in caplog.text
    assert await _claimable_later(store, channel.record_key("wamid.cut")) is True
    await channel.close()


async def test_a_person_writing_is_told_to_whoever_waits_for_the_window(
    api: FakeGraphAPI,
) -> None:
    """A reply announced by a template goes out when the person writes: the channel
    says who wrote and when, after answering them."""
    heard: list[tuple[str, str, dt.datetime, int]] = []

    async def wrote(channel_name: str, pseudonym: str, at: dt.datetime) -> None:
        heard.append((channel_name, pseudonym, at, len(api.sent)))

    channel, _ = make_channel(api, on_write=wrote)
    await channel.accept([received(text="hi", sent_at=NOW - dt.timedelta(minutes=2))])
    await channel.drain()

    assert heard == [("whatsapp", f"p-whatsapp-{len(WA_ID)}", NOW - dt.timedelta(minutes=2), 1)]
    await channel.close()


async def test_a_store_outage_while_telling_does_not_lose_the_answer(api: FakeGraphAPI) -> None:

    async def down(*_: object) -> None:
        raise StoreUnavailable("down")

    channel, _ = make_channel(api, on_write=down)
    await channel.accept([received(text="hi")])
    await channel.drain()

    assert len(api.sent) == 1 and channel.stats["errors"] == 0
    await channel.close()
