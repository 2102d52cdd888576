"""``POST /webhooks/telegram``: check the secret, parse, drop repeats, handle, answer.

Telegram delivers at least once and retries until it gets a 200, so the 200
goes out only after the update was handled, and each ``update_id`` is
recorded in the store first so a retry (to this or another worker) is not
handled twice. Nothing about the sender is logged, not even on a bad body.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Protocol

from aiohttp import web
from telegram import Update

from bot.channels.telegram.channel import TelegramChannel
from recruiter_reports.stores import StoreUnavailable

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
DELIVERY_TTL = dt.timedelta(days=2)
"""Telegram keeps an undelivered update for 24 hours; remember ids a little longer."""


class DeliveryLog(Protocol):
    """The part of the store port used here (``Store.first_delivery``)."""

    async def first_delivery(self, key: str, expires_at: dt.datetime) -> bool: ...


class Deliveries:
    """First-delivery check in the store, with a bounded memory of ids while it is down.

    During an outage a repeat is still caught inside this worker; handling an
    update twice is better than dropping someone's message.
    """

    def __init__(
        self,
        store: DeliveryLog,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        memory: int = 10_000,
    ) -> None:
        self._store = store
        self._clock = clock
        self._memory = memory
        self._recent: OrderedDict[str, None] = OrderedDict()

    async def first(self, key: str) -> bool:
        try:
            return await self._store.first_delivery(key, self._clock() + DELIVERY_TTL)
        except StoreUnavailable:
            log.warning("delivery log unavailable; checking repeats in memory")
        if key in self._recent:
            return False
        self._recent[key] = None
        if len(self._recent) > self._memory:
            self._recent.popitem(last=False)
        return True


class TelegramWebhook:
    """The aiohttp handler; one instance per application, built once."""

    def __init__(self, channel: TelegramChannel, secret: str, deliveries: Deliveries) -> None:
        if not secret:
            raise ValueError("a Telegram webhook needs a secret token")
        self._channel = channel
        self._secret = secret.encode()
        self._deliveries = deliveries

    async def handle(self, request: web.Request) -> web.Response:
        stats = self._channel.stats
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret):
            stats["rejected"] += 1
            log.warning("telegram webhook: refused a request without the right secret")
            return web.Response(status=403, text="forbidden")
        update = await self._parse(request)
        if update is None:
            stats["malformed"] += 1
            return web.Response(status=400, text="not a Telegram update")
        if not await self._deliveries.first(f"telegram:{update.update_id}"):
            stats["duplicates"] += 1
            return web.Response(text="ok")
        await self._channel.process(update)
        return web.Response(text="ok")

    async def _parse(self, request: web.Request) -> Update | None:
        try:
            data = json.loads(await request.read())
        except ValueError:
            log.warning("telegram webhook: body is not JSON")
            return None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            log.warning("telegram webhook: body has no update_id")
            return None
        try:
            return Update.de_json(data, self._channel.application.bot)
        except Exception as error:  # PTB raises many kinds on a bad shape; none is ours to fix
            log.warning("telegram webhook: not a valid update (%s)", type(error).__name__)
            return None


def mount(app: web.Application, channel: TelegramChannel, store: DeliveryLog) -> None:
    """Add the webhook route (unless polling) and tie the channel to the app's life."""
    if not channel.config.polling:
        secret = channel.config.webhook_secret or ""
        webhook = TelegramWebhook(channel, secret, Deliveries(store))
        app.router.add_post(WEBHOOK_PATH, webhook.handle)

    async def _lifecycle(_: web.Application) -> AsyncIterator[None]:
        await channel.start()
        try:
            yield
        finally:
            await channel.stop()

    app.cleanup_ctx.append(_lifecycle)
