"""PTB's transport on aiohttp: answers pass through, failures become PTB's errors, and
no error or traceback ever carries the URL (it holds the bot token)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram.aiohttp_request import AiohttpRequest

TOKEN = "123456:SECRET-token-value"


async def _slow(request: web.Request) -> web.Response:
    await asyncio.sleep(2)
    return web.json_response({"ok": True, "result": True})


async def _forbidden(request: web.Request) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
        status=403,
    )


async def _echo(request: web.Request) -> web.Response:
    form = await request.post()
    return web.json_response({"ok": True, "result": dict(form)})


@pytest.fixture
async def server() -> AsyncIterator[TestServer]:
    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/slow", _slow)
    app.router.add_post(f"/bot{TOKEN}/forbidden", _forbidden)
    app.router.add_post(f"/bot{TOKEN}/sendMessage", _echo)
    async with TestServer(app, host="127.0.0.1") as test_server:
        yield test_server


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    transport = AiohttpRequest()
    await transport.initialize()
    yield transport
    await transport.shutdown()


async def test_parameters_are_sent_and_the_answer_comes_back(
    server: TestServer, request_: AiohttpRequest
) -> None:
    data = RequestData(
        [RequestParameter("chat_id", 42, None), RequestParameter("text", "Habari", None)]
    )
    status, body = await request_.do_request(
        str(server.make_url(f"/bot{TOKEN}/sendMessage")), "POST", data
    )
    assert status == 200
    assert b'"text": "Habari"' in body


async def test_an_error_status_is_handed_to_ptb_unchanged(
    server: TestServer, request_: AiohttpRequest
) -> None:
    status, body = await request_.do_request(
        str(server.make_url(f"/bot{TOKEN}/forbidden")), "POST"
    )
    assert status == 403
    assert b"blocked by the user" in body


async def test_a_slow_api_is_a_timeout(server: TestServer, request_: AiohttpRequest) -> None:
    with pytest.raises(TimedOut) as caught:
        await request_.do_request(
            str(server.make_url(f"/bot{TOKEN}/slow")), "POST", read_timeout=0.2
        )
    assert caught.value.__cause__ is None


async def test_an_unreachable_api_is_a_network_error_without_the_token(
    request_: AiohttpRequest,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again at once: nothing listens there
    with pytest.raises(NetworkError) as caught:
        await request_.do_request(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", "POST")
    assert TOKEN not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
