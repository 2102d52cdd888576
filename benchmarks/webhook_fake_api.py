"""A lean fake Bot API for the webhook benchmark, run in its own process.

The test fake (``tests/fakes/telegram_api.py``) records every call for
assertions; here only counts are kept. It still answers ``sendMessage`` with
the message as Telegram would (text and keyboard echoed back), because PTB
parses that answer in the bot process and that parse belongs in the
measurement. Its own CPU does not: it runs in another process.

``python -m benchmarks.webhook_fake_api`` prints ``READY <port>`` once listening;
``GET /stats`` returns the calls per method and the number of refused calls.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from typing import Any

from aiohttp import web

TOKEN = "123456789:BENCH-fake-token-for-the-local-bot-api"
_BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Bench Bot", "username": "bench_bot"}
_TRUE = json.dumps({"ok": True, "result": True}).encode()
_ME = json.dumps({"ok": True, "result": _BOT_USER}).encode()


class _FakeBotAPI:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.refused = 0
        self._message_id = 1000

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        if request.match_info["token"] != TOKEN:
            self.refused += 1
            return web.json_response({"ok": False, "error_code": 401}, status=401)
        self.calls[method] += 1
        if method == "getme":
            return _json(_ME)
        if method == "sendmessage":
            return _json(self._sent(await _params(request)))
        if method in ("answercallbackquery", "setwebhook", "deletewebhook", "setmycommands"):
            await request.read()
            return _json(_TRUE)
        self.refused += 1
        return web.json_response({"ok": False, "error_code": 404}, status=404)

    async def stats(self, _: web.Request) -> web.Response:
        return web.json_response({"calls": dict(self.calls), "refused": self.refused})

    def _sent(self, params: dict[str, Any]) -> bytes:
        self._message_id += 1
        message: dict[str, Any] = {
            "message_id": self._message_id,
            "from": _BOT_USER,
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "date": int(time.time()),
            "text": params.get("text", ""),
        }
        if markup := params.get("reply_markup"):
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        return json.dumps({"ok": True, "result": message}).encode()


def _json(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="application/json")


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return body if isinstance(body, dict) else {}
    return {key: value for key, value in (await request.post()).items()}


async def _serve() -> None:
    fake = _FakeBotAPI()
    app = web.Application()
    app.router.add_get("/stats", fake.stats)
    app.router.add_route("*", "/bot{token}/{method}", fake.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    print(f"READY {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(_serve())
    except KeyboardInterrupt:
        sys.exit(0)
