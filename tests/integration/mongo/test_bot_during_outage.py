"""The bot with its database stopped mid-conversation: people still get answers, SOS first."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.services import Services, build_services
from bot.settings import load_settings
from tests.integration.stores.mongo_server import WireServer
from tests.unit.engine.conftest import Person

KEY = "outage-test-key-" + "k" * 40


@pytest.fixture
async def services(store_url: str) -> AsyncIterator[Services]:
    built = await build_services(load_settings(STORE_URL=store_url, PSEUDONYM_KEY=KEY))
    try:
        yield built
    finally:
        await built.close()


async def _until_ready(services: Services) -> None:
    deadline = time.monotonic() + 10
    while not await services.store.ping():
        assert time.monotonic() < deadline, "the store did not recover"
        await asyncio.sleep(0.2)


async def test_sos_and_menus_keep_working_while_the_database_is_down(
    services: Services, wire_server: WireServer
) -> None:
    person = Person(services.runner)
    await person.send("/start")
    await person.tap("lang:en")
    await person.tap("guides")
    await person.tap("guide:QA")

    wire_server.stop()
    assert await services.store.ping() is False
    await person.send("/sos")
    assert "999" in person.text
    assert person.replies[0].text.startswith("🆘")
    await person.send("they took my passport")
    assert "999" in person.text
    await person.send("/menu")
    assert any(choice.id == "guides" for choice in person.last.choices)

    wire_server.start()
    await _until_ready(services)
    # The conversation saved before the outage is there again: language and country.
    await person.send("/mydata")
    assert "Language: English" in person.text
    assert "Country of work: Qatar" in person.text
