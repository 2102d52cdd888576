"""The Graph API client against the fake Cloud API: retries where they help, nowhere else."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from bot.channels.whatsapp.graph import GraphClient
from tests.fakes.graph_api import FakeGraphAPI

BODY = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "254700000001",
        "type": "text", "text": {"preview_url": False, "body": "Habari"}}


@pytest.fixture
async def api() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as fake:
        yield fake


def client_for(api: FakeGraphAPI, token: str | None = None, **options: object) -> GraphClient:
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    client = GraphClient(api.base_url, api.phone_number_id, token or api.token,
                         sleep=no_sleep, **options)  # type: ignore[arg-type]
    client.waits = waits  # type: ignore[attr-defined]
    return client


async def test_a_message_is_posted_with_the_token_in_a_header(api: FakeGraphAPI) -> None:
    client = client_for(api)
    result = await client.send(BODY)
    await client.close()
    assert result.ok
    assert api.sent == [BODY]
    [request] = api.requests
    assert request.path == f"/v21.0/{api.phone_number_id}/messages"
    assert request.headers["Authorization"] == f"Bearer {api.token}"
    assert "access_token" not in request.path


async def test_5xx_is_retried_with_growing_waits(api: FakeGraphAPI) -> None:
    api.fail_next(503, 131016, times=2)
    client = client_for(api, backoff=1.0)
    result = await client.send(BODY)
    await client.close()
    assert result.ok and result.attempts == 3
    assert [r.status for r in api.requests] == [503, 503, 200]
    first, second = client.waits  # type: ignore[attr-defined]
    assert 0.8 <= first <= 1.2 and 1.6 <= second <= 2.4


async def test_429_waits_as_long_as_retry_after_says(api: FakeGraphAPI) -> None:
    api.fail_next(429, 130429, headers={"Retry-After": "3"})
    client = client_for(api)
    assert (await client.send(BODY)).ok
    await client.close()
    assert client.waits == [3.0]  # type: ignore[attr-defined]


async def test_retries_stop_after_the_last_attempt(api: FakeGraphAPI,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    api.fail_next(500, 131000, times=10)
    client = client_for(api, attempts=3)
    result = await client.send(BODY)
    await client.close()
    assert not result.ok and result.status == 500 and result.attempts == 3
    assert len(api.requests) == 3
    assert "retries exhausted" in caplog.text


@pytest.mark.parametrize(("status", "code", "words"), [
    (400, 131047, "more than 24 hours"),
    (400, 131009, "parameter value is invalid"),
    (403, 10, "permission denied"),
])
async def test_other_4xx_are_not_retried_and_say_what_is_wrong(
    api: FakeGraphAPI, caplog: pytest.LogCaptureFixture, status: int, code: int, words: str
) -> None:
    api.fail_next(status, code)
    client = client_for(api)
    result = await client.send(BODY)
    await client.close()
    assert not result.ok and result.code == code and not result.retryable
    assert len(api.requests) == 1
    assert f"HTTP {status}, error {code}: " in caplog.text and words in caplog.text
    assert "254700000001" not in caplog.text


async def test_a_wrong_token_is_reported_as_such(api: FakeGraphAPI,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    client = client_for(api, token="stale")
    result = await client.send(BODY)
    await client.close()
    assert (result.status, result.code) == (401, 190)
    assert "WHATSAPP_ACCESS_TOKEN" in caplog.text


async def test_an_unreachable_api_is_retried_then_given_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = GraphClient(f"http://127.0.0.1:{port}/v21.0", "1", "t", attempts=2, backoff=0.0)
    result = await client.send(BODY)
    await client.close()
    assert not result.ok and result.status == 0 and result.attempts == 2
    assert "ClientConnectorError" in caplog.text


async def test_the_number_of_sends_in_flight_is_bounded(api: FakeGraphAPI) -> None:
    api.delay = 0.02
    client = client_for(api, concurrency=3)
    results = await asyncio.gather(*(client.send(BODY) for _ in range(12)))
    await client.close()
    assert all(r.ok for r in results) and len(api.sent) == 12
    assert api.most_in_flight == 3
