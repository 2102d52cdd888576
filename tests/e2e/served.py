"""The served app as the end-to-end tests of check-ins, cases and report-back drive it.

The app listens on 127.0.0.1; a person writes through the real webhooks (Telegram's
answer is played back on the fake Bot API, WhatsApp's queue is drained), and
``eventually`` waits for what the app's own loops send. One copy for every such test.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.whatsapp import PATH, WhatsAppChannel, sign
from bot.core.messages import Inbound
from bot.services import Services
from bot.settings import Settings, load_settings
from bot.web import CHANNELS_ON, SERVICES
from tests.fakes import TOKEN, FakeTelegramAPI
from tests.fakes.graph_api import FakeGraphAPI, notification, shown_choices, tap


@dataclass
class ServedApp:
    """The app being served, where it listens and a client session; tests add their own."""

    app: web.Application
    url: str
    session: aiohttp.ClientSession

    @property
    def services(self) -> Services:
        return self.app[SERVICES]

    def pseudonym(self, channel: str, user: str) -> str:
        return self.services.runner.pseudonym(Inbound(channel, user))


def served_settings(
    tmp_path: Path, name: str, *, telegram: FakeTelegramAPI | None = None,
    telegram_secret: str = "", graph: FakeGraphAPI | None = None, app_secret: str = "",
    **overrides: Any,
) -> Settings:
    """Settings for the app on an SQLite file under ``tmp_path``, speaking to the fakes given
    (the Telegram webhook with ``telegram_secret``, WhatsApp signed with ``app_secret``)."""
    values: dict[str, Any] = {
        "STORE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "PSEUDONYM_KEY": f"{name}-pseudonym-key-0123456789abcdef0123456789",
    }
    if telegram is not None:
        values |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": telegram_secret,
                   "TELEGRAM_API_BASE_URL": telegram.base_url}
    if graph is not None:
        values |= {"WHATSAPP_ACCESS_TOKEN": graph.token,
                   "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
                   "WHATSAPP_APP_SECRET": app_secret,
                   "WHATSAPP_VERIFY_TOKEN": f"{name}-verify-token",
                   "WHATSAPP_API_BASE_URL": graph.base_url}
    return load_settings(**(values | overrides))


async def eventually(check: Callable[[], Any], seconds: float = 10.0) -> Any:
    """Wait until ``check()`` (sync or async) is truthy; its value."""
    async with asyncio.timeout(seconds):
        while True:
            value = check()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.05)


@asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    """The app on a free port of 127.0.0.1: its base URL and a client session."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        async with aiohttp.ClientSession() as session:
            yield f"http://127.0.0.1:{runner.addresses[0][1]}", session
    finally:
        await runner.cleanup()


async def telegram_sends(
    session: aiohttp.ClientSession, url: str, telegram: FakeTelegramAPI,
    update: dict[str, Any], secret: str,
) -> None:
    """Post one update to the webhook; the Bot API call in its answer reaches the fake."""
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    async with session.post(f"{url}/webhooks/telegram", json=update,
                            headers=headers) as response:
        body = await response.read()
        await telegram.perform_webhook_answer(response.status, response.content_type, body)
        assert response.status == 200


async def whatsapp_sends(
    session: aiohttp.ClientSession, url: str, app: web.Application,
    message: dict[str, Any], app_secret: str,
) -> None:
    """Post one signed message to the webhook and wait until the channel handled it."""
    raw = json.dumps(notification(message)).encode()
    headers = {"Content-Type": "application/json",
               "X-Hub-Signature-256": sign(raw, app_secret)}
    async with session.post(f"{url}{PATH}", data=raw, headers=headers) as answer:
        assert answer.status == 200
    channel = app[CHANNELS_ON]["whatsapp"]
    assert isinstance(channel, WhatsAppChannel)
    await channel.drain()


async def whatsapp_taps(
    graph: FakeGraphAPI, wa_id: str, title_part: str,
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    """Tap the newest choice shown on WhatsApp whose title holds ``title_part``."""
    for body in reversed(graph.sent):
        for choice_id, title in shown_choices(body):
            if title_part.casefold() in title.casefold():
                row = body["interactive"]["type"] == "list"
                await send(tap(wa_id, choice_id, title, row=row))
                return
    raise AssertionError(f"no choice {title_part!r} was shown on WhatsApp")
