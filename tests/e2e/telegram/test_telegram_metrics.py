"""/metrics from prometheus-client: latency per channel, process memory, who may read it."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.e2e.telegram.conftest import BotServer, StartServer, bot_settings
from tests.fakes import FakeTelegramAPI, TelegramPerson

TOKEN = "metrics-token-0123456789abcdef"


async def test_metrics_show_webhook_latency_per_channel_and_the_process_memory(
    server: BotServer,
) -> None:
    person = TelegramPerson(604_330_301)
    assert await server.post_update(person.message("/start")) == 200
    status, body = await server.get("/metrics")
    assert status == 200
    assert 'bot_webhook_seconds_count{channel="telegram"} 1.0' in body
    assert 'bot_webhook_seconds_bucket{channel="telegram",le="0.5"}' in body
    rss = next(line for line in body.splitlines()
               if line.startswith("process_resident_memory_bytes "))  # fmt: skip
    assert float(rss.split()[1]) > 10_000_000
    assert 'bot_updates_total{channel="telegram"} 1.0' in body
    assert str(person.id) not in body


async def test_without_a_token_metrics_answer_only_this_machine_not_a_proxy(
    server: BotServer,
) -> None:
    async with aiohttp.ClientSession() as session:
        relayed = await session.get(f"{server.url}/metrics",
                                    headers={"X-Forwarded-For": "203.0.113.7"})  # fmt: skip
        assert relayed.status == 404
        assert "bot_updates_total" not in await relayed.text()
    assert (await server.get("/metrics"))[0] == 200


async def test_with_a_token_set_metrics_need_it(
    tmp_path: Path, telegram_api: FakeTelegramAPI, start_server: StartServer
) -> None:
    server = await start_server(bot_settings(tmp_path, telegram_api, METRICS_TOKEN=TOKEN))
    assert (await server.get("/metrics"))[0] == 404  # loopback is not enough now
    async with aiohttp.ClientSession() as session:
        wrong = await session.get(f"{server.url}/metrics",
                                  headers={"Authorization": "Bearer nope"})  # fmt: skip
        assert wrong.status == 404
        right = await session.get(f"{server.url}/metrics",
                                  headers={"Authorization": f"Bearer {TOKEN}",
                                           "X-Forwarded-For": "203.0.113.7"})  # fmt: skip
        assert right.status == 200
        assert "bot_updates_total" in await right.text()
