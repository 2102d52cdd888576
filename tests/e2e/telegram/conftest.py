"""The real ``serve`` app (content, catalogs, SQLite store, engine) against a fake Bot API.

Everything travels over real HTTP on 127.0.0.1: updates are posted to
``/webhooks/telegram`` as Telegram posts them, and the bot's replies are read
from what the fake Bot API received.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.settings import Settings, load_settings
from bot.web import make_app
from tests.fakes import TOKEN, FakeTelegramAPI

SECRET = "webhook-secret_0123456789abcdefABCDEF"
WEBHOOK_URL = "https://bot.example.org/webhooks/telegram"
PSEUDONYM_KEY = "test-pseudonym-key-0123456789abcdef0123456789"


class BotServer:
    """The running app, reached over HTTP like Telegram and a load balancer reach it."""

    def __init__(
        self,
        url: str,
        session: aiohttp.ClientSession,
        app: web.Application | None = None,
        api: FakeTelegramAPI | None = None,
    ) -> None:
        """``api`` plays Telegram's part with the webhook's answers (the Bot API call one
        may carry); without it they are dropped."""
        self.url = url
        self._session = session
        self._app = app
        self._api = api

    @property
    def app(self) -> web.Application:
        """The in-process application (not there for a server in another process)."""
        assert self._app is not None
        return self._app

    async def post_update(
        self, update: dict[str, Any] | bytes, *, secret: str | None = SECRET
    ) -> int:
        return (await self.deliver(update, secret=secret))[0]

    async def deliver(
        self, update: dict[str, Any] | bytes, *, secret: str | None = SECRET
    ) -> tuple[int, dict[str, str]]:
        """POST as Telegram does; the status and the response headers."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        kwargs: dict[str, Any] = (
            {"data": update} if isinstance(update, bytes) else {"json": update}
        )
        async with self._session.post(
            f"{self.url}/webhooks/telegram", headers=headers, **kwargs
        ) as response:
            body = await response.read()
            if self._api is not None:
                await self._api.perform_webhook_answer(response.status, response.content_type, body)
            return response.status, dict(response.headers)

    async def get(self, path: str) -> tuple[int, str]:
        async with self._session.get(f"{self.url}{path}") as response:
            return response.status, await response.text()


StartServer = Callable[..., Awaitable[BotServer]]


def bot_settings(tmp_path: Path, api: FakeTelegramAPI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "STORE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "PSEUDONYM_KEY": PSEUDONYM_KEY,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": api.base_url,
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as api:
        yield api


@pytest.fixture
def settings(tmp_path: Path, telegram_api: FakeTelegramAPI) -> Settings:
    return bot_settings(tmp_path, telegram_api)


@pytest.fixture
async def start_server() -> AsyncIterator[StartServer]:
    """Start ``make_app(settings)`` on a free port; everything is stopped after the test."""
    runners: list[web.AppRunner] = []
    session = aiohttp.ClientSession()

    async def start(settings: Settings, *, polling: bool = False) -> BotServer:
        app = await make_app(settings, polling=polling)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        api = FakeTelegramAPI.serving(settings.TELEGRAM_API_BASE_URL)
        return BotServer(f"http://127.0.0.1:{port}", session, app, api)

    yield start
    for runner in reversed(runners):
        await runner.cleanup()
    await session.close()


@pytest.fixture
async def server(start_server: StartServer, settings: Settings) -> BotServer:
    return await start_server(settings)
