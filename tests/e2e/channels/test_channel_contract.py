"""What every channel promises, run over each one against its fake platform API.

A channel that passes these can be mounted by the app: it is named and counts
its events, answers a new person with the languages, never traps anyone (every
answer carries the way home and the help button), answers /sos with the
emergency numbers, answers a platform's retry once, refuses a forgery, keeps
answering while the store cannot write, and releases a crashed run's claims.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.base import Channel
from recruiter_reports.stores import StoreUnavailable
from tests.e2e.channels.harness import HARNESSES, Harness, Shown


@pytest.fixture(params=sorted(HARNESSES))
async def person(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Harness]:
    async with HARNESSES[request.param](tmp_path) as harness:
        yield harness


def _texts(shown: list[Shown]) -> str:
    return "\n".join(message.text for message in shown)


def _choices(shown: list[Shown]) -> set[str]:
    return {choice for message in shown for choice in message.choices}


async def _in_english(person: Harness) -> list[Shown]:
    await person.say("hi")
    return await person.tap("lang:en")


async def test_the_channel_is_mounted_by_name_with_its_counters(person: Harness) -> None:
    channel = person.channel
    assert isinstance(channel, Channel)
    assert channel.name == person.name
    assert channel.routes()
    await person.say("hi")
    assert f'bot_updates_total{{channel="{person.name}"}} 1' in await person.metrics()


async def test_a_new_person_gets_the_languages_then_a_menu_with_help(person: Harness) -> None:
    first = await person.say("hi")
    assert {"lang:en", "lang:sw"} <= _choices(first)
    menu = await person.tap("lang:en")
    assert {"sos", "guides"} <= _choices(menu)


async def test_sos_answers_with_the_emergency_numbers(person: Harness) -> None:
    await _in_english(person)
    shown = await person.say("/sos")
    if "sos:QA" in _choices(shown):
        shown = await person.tap("sos:QA")
    assert "999" in _texts(shown)  # Qatar's police, ambulance and fire
    assert "menu" in _choices(shown)


async def test_something_the_bot_cannot_read_gets_a_kind_answer_and_the_menu(
    person: Harness,
) -> None:
    await _in_english(person)
    shown = await person.send_media()
    assert shown and {"sos", "menu"} & _choices(shown)


async def test_a_retried_delivery_is_answered_once(person: Harness) -> None:
    await _in_english(person)
    await person.say("/menu")
    status, shown = await person.repeat()
    assert status == 200
    assert shown == []


async def test_a_forgery_is_refused_and_nothing_is_sent(person: Harness) -> None:
    assert await person.forged("/start") == 403
    assert f'bot_rejected_total{{channel="{person.name}"}} 1' in await person.metrics()


async def test_while_the_store_cannot_write_the_person_still_gets_sos_and_the_menu(
    person: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _in_english(person)

    async def down(*_: object, **__: object) -> None:
        raise StoreUnavailable("disk full")

    store = person.services.store
    for method in ("claim_delivery", "claim_delivery_answer", "delivery_completed",
                   "complete_delivery", "release_delivery", "save_session", "load_session"):
        monkeypatch.setattr(store, method, down)
    shown = await person.say("/sos")
    if "sos:QA" in _choices(shown):
        shown = await person.tap("sos:QA")
    assert "999" in _texts(shown)
    assert "guides" in _choices(await person.say("/menu"))


async def test_a_restart_releases_the_claims_its_crashed_predecessor_held(
    person: Harness,
) -> None:
    channel = person.channel
    deliveries = channel.deliveries  # type: ignore[attr-defined]
    store = person.services.store
    now = dt.datetime.now(dt.UTC)
    assert await store.claim_delivery(
        f"{person.name}:left-behind", lease_until=now + dt.timedelta(minutes=5),
        expires_at=now + dt.timedelta(days=1), owner=deliveries.owner,
    )
    await channel.stop()
    await channel.start()
    assert await store.claim_delivery(
        f"{person.name}:left-behind", lease_until=now + dt.timedelta(minutes=5),
        expires_at=now + dt.timedelta(days=1),
    )
