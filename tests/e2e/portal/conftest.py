"""The real app (build_app over a temporary SQLite store with seed-demo data) and a real Chromium.

The server runs on 127.0.0.1 on a random port in its own thread and event
loop; Playwright drives Debian's /usr/bin/chromium (never a downloaded one).
One browser per module (closed before other modules run their own event loops),
a fresh context (cookies) per test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bot.services import build_services
from bot.settings import load_settings
from bot.web.app import build_app
from bot.web.portal import PORTAL
from recruiter_reports.demo import seed_demo
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stakeholders import Role, new_account

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
T = TypeVar("T")


@dataclass
class LiveServer:
    url: str
    keys: dict[str, str]
    ids: dict[str, str]
    app: web.Application
    loop: asyncio.AbstractEventLoop

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's loop (the store belongs to it)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)


async def _start(tmp: Path) -> tuple[web.AppRunner, LiveServer]:
    settings = load_settings(
        STORE_URL=f"sqlite:///{tmp / 'bot.sqlite3'}",
        PSEUDONYM_KEY="e2e-portal-pseudonym-key-0123456789abcdef",
        MIN_REPORTERS=5,
    )
    services = await build_services(settings)
    app = build_app(services)
    ctx = app[PORTAL]
    registries = load_registries(settings.CONTENT_DIR / "recruiters")
    recruiters = [r for registry in registries.values() for r in registry]
    await seed_demo(services.store, recruiters, dt.datetime.now(dt.UTC), ctx.stakeholders)
    keys, ids = {}, {}
    for label, role, countries in (("Kenya Official", Role.OFFICIAL, ["KE"]),
                                   ("Gulf Employer", Role.EMPLOYER, ["KE"]),
                                   ("Portal Admin", Role.ADMIN, [])):  # fmt: skip
        account, issued = new_account(label, role, countries, dt.datetime.now(dt.UTC),
                                      ctx.hasher)  # fmt: skip
        await ctx.stakeholders.add_account(account)
        keys[role.value], ids[role.value] = issued.key, account.id
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    loop = asyncio.get_running_loop()
    return runner, LiveServer(f"http://127.0.0.1:{port}", keys, ids, app, loop)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    tmp = tmp_path_factory.mktemp("portal-e2e")
    runner, server = asyncio.run_coroutine_threadsafe(_start(tmp), loop).result(timeout=60)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(accept_downloads=True, locale="en-GB")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def log_in(page: Page, server: LiveServer, role: str) -> None:
    page.goto(f"{server.url}/portal/")
    page.get_by_label("Access key").fill(server.keys[role])
    page.get_by_role("button", name="Log in").click()
