"""One person on one channel, behind the real app and that channel's fake platform API.

The channel contract tests talk to every channel through this same shape:
``say``/``tap``/``send_media`` return what the person sees (text and the ids of
the buttons under it); ``repeat`` delivers the last payload again, as the
platform does when it retries; ``forged`` posts without the right signature
or secret. A new channel adds its harness here and its name to ``HARNESSES``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from bot.channels.base import Channel
from bot.channels.whatsapp import PATH as WHATSAPP_PATH
from bot.channels.whatsapp import WhatsAppChannel, sign
from bot.services import Services
from bot.settings import load_settings
from bot.web import CHANNELS_ON, SERVICES, make_app
from tests.fakes import TOKEN, FakeTelegramAPI, TelegramPerson
from tests.fakes.graph_api import FakeGraphAPI, message, notification, shown_choices, shown_text
from tests.fakes.graph_api import tap as wa_tap
from tests.fakes.graph_api import text as wa_text
from tests.fakes.telegram_api import buttons

PSEUDONYM_KEY = "contract-pseudonym-key-0123456789abcdef0123456789"
SECRET = "contract-webhook-secret_0123456789abcdef"
APP_SECRET = "contract-app-secret-0123456789"


@dataclass(frozen=True)
class Shown:
    """One message as the person sees it."""

    text: str
    choices: tuple[str, ...]


class Harness(Protocol):
    name: str
    app: web.Application

    @property
    def channel(self) -> Channel: ...

    @property
    def services(self) -> Services: ...

    async def say(self, words: str) -> list[Shown]: ...

    async def tap(self, choice_id: str) -> list[Shown]: ...

    async def send_media(self) -> list[Shown]: ...

    async def repeat(self) -> tuple[int, list[Shown]]: ...

    async def forged(self, words: str) -> int: ...

    async def metrics(self) -> str: ...


class _Served:
    """The app on a free port of 127.0.0.1 and an HTTP client for it."""

    def __init__(self, app: web.Application, runner: web.AppRunner,
                 session: aiohttp.ClientSession) -> None:
        self.app = app
        self.runner = runner
        self.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        self.session = session

    @property
    def channel(self) -> Channel:
        return next(iter(self.app[CHANNELS_ON].values()))

    @property
    def services(self) -> Services:
        return self.app[SERVICES]

    async def metrics(self) -> str:
        async with self.session.get(f"{self.url}/metrics") as response:
            return await response.text()


class TelegramHarness(_Served):
    name = "telegram"

    def __init__(self, served: _Served, api: FakeTelegramAPI) -> None:
        super().__init__(served.app, served.runner, served.session)
        self.api = api
        self.person = TelegramPerson(880_000_001)
        self._last: dict[str, Any] | None = None

    async def _post(self, update: dict[str, Any], secret: str = SECRET) -> tuple[int, list[Shown]]:
        self._last = update
        before = len(self.api.calls_to("sendMessage"))
        async with self.session.post(
            f"{self.url}/webhooks/telegram", json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": secret},
        ) as response:
            status = response.status
            await self.api.perform_webhook_answer(
                status, response.content_type, await response.read()
            )
        sent = self.api.calls_to("sendMessage")[before:]
        return status, [Shown(call["text"], tuple(d for _, d in buttons(call))) for call in sent]

    async def _answered(self, update: dict[str, Any]) -> list[Shown]:
        status, shown = await self._post(update)
        assert status == 200
        return shown

    async def say(self, words: str) -> list[Shown]:
        return await self._answered(self.person.message(words))

    async def tap(self, choice_id: str) -> list[Shown]:
        return await self._answered(self.person.press(choice_id))

    async def send_media(self) -> list[Shown]:
        return await self._answered(self.person.voice())

    async def repeat(self) -> tuple[int, list[Shown]]:
        assert self._last is not None
        return await self._post(self._last)

    async def forged(self, words: str) -> int:
        return (await self._post(self.person.message(words), secret="not-the-secret"))[0]


class WhatsAppHarness(_Served):
    name = "whatsapp"
    wa_id = "254711000001"

    def __init__(self, served: _Served, api: FakeGraphAPI) -> None:
        super().__init__(served.app, served.runner, served.session)
        self.api = api
        self._last: bytes | None = None

    async def _post(self, body: bytes, signature: str | None = None) -> tuple[int, list[Shown]]:
        self._last = body
        before = len(self.api.sent)
        headers = {"Content-Type": "application/json",
                   "X-Hub-Signature-256": signature or sign(body, APP_SECRET)}
        async with self.session.post(f"{self.url}{WHATSAPP_PATH}", data=body,
                                     headers=headers) as response:
            status = response.status
        channel = self.channel
        assert isinstance(channel, WhatsAppChannel)
        await channel.drain()
        sent = self.api.sent[before:]
        return status, [Shown(shown_text(b), tuple(i for i, _ in shown_choices(b))) for b in sent]

    async def _answered(self, item: dict[str, Any]) -> list[Shown]:
        status, shown = await self._post(json.dumps(notification(item)).encode())
        assert status == 200
        return shown

    async def say(self, words: str) -> list[Shown]:
        return await self._answered(wa_text(self.wa_id, words))

    async def tap(self, choice_id: str) -> list[Shown]:
        return await self._answered(wa_tap(self.wa_id, choice_id, row=True))

    async def send_media(self) -> list[Shown]:
        return await self._answered(message(self.wa_id, "audio", {"id": "media-1"}))

    async def repeat(self) -> tuple[int, list[Shown]]:
        assert self._last is not None
        return await self._post(self._last)

    async def forged(self, words: str) -> int:
        body = json.dumps(notification(wa_text(self.wa_id, words))).encode()
        return (await self._post(body, signature="sha256=" + "0" * 64))[0]


@asynccontextmanager
async def _serve(settings_values: dict[str, Any]) -> AsyncIterator[_Served]:
    app = await make_app(load_settings(**settings_values))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    session = aiohttp.ClientSession()
    served = _Served(app, runner, session)
    try:
        yield served
    finally:
        await session.close()
        await runner.cleanup()


@asynccontextmanager
async def telegram(tmp_path: Path) -> AsyncIterator[Harness]:
    async with FakeTelegramAPI() as api, _serve({
        "STORE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}", "PSEUDONYM_KEY": PSEUDONYM_KEY,
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg",
        "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_BASE_URL": api.base_url,
    }) as served:
        yield TelegramHarness(served, api)


@asynccontextmanager
async def whatsapp(tmp_path: Path) -> AsyncIterator[Harness]:
    async with FakeGraphAPI() as api, _serve({
        "STORE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}", "PSEUDONYM_KEY": PSEUDONYM_KEY,
        "WHATSAPP_ACCESS_TOKEN": api.token, "WHATSAPP_PHONE_NUMBER_ID": api.phone_number_id,
        "WHATSAPP_APP_SECRET": APP_SECRET, "WHATSAPP_VERIFY_TOKEN": "verify",
        "WHATSAPP_API_BASE_URL": api.base_url,
    }) as served:
        yield WhatsAppHarness(served, api)


HARNESSES: dict[str, Callable[[Path], Any]] = {"telegram": telegram, "whatsapp": whatsapp}
"""Every channel the contract runs over."""
