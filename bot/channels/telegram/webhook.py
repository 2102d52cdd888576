"""``POST /webhooks/telegram``: check the secret, parse, drop repeats, handle, answer.

Telegram delivers at least once and retries until it gets a 200, so the 200
goes out only after the update was handled. Each ``update_id`` is claimed in
the store first, with a lease, so a retry to this or another worker is not
handled twice while the first is at work or after it finished; if the worker
holding a claim dies before finishing, the retry after the lease is handled.
Nothing about the sender is logged, not even on a bad body.
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
DELIVERY_LEASE = dt.timedelta(minutes=2)
"""Longer than handling one update takes, rate-limit waits included: a claim older
than this belongs to a worker that died, and Telegram's retry is handled anew."""


class DeliveryLog(Protocol):
    """The part of the store port used here (``Store.claim_delivery`` and friends)."""

    async def claim_delivery(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime
    ) -> bool: ...

    async def complete_delivery(self, key: str) -> None: ...

    async def release_delivery(self, key: str) -> None: ...


class Deliveries:
    """Claims of update ids in the store, with a bounded memory of ids while it is down.

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

    async def claim(self, key: str) -> bool:
        """True when this worker should handle the update now."""
        now = self._clock()
        try:
            return await self._store.claim_delivery(
                key, lease_until=now + DELIVERY_LEASE, expires_at=now + DELIVERY_TTL
            )
        except StoreUnavailable:
            log.warning("delivery log unavailable; checking repeats in memory")
        if key in self._recent:
            return False
        self._recent[key] = None
        if len(self._recent) > self._memory:
            self._recent.popitem(last=False)
        return True

    async def complete(self, key: str) -> None:
        """The update was handled: a retry of it is a repeat from now on."""
        try:
            await self._store.complete_delivery(key)
        except StoreUnavailable:
            # The claim stays leased; after the lease a retry would be handled again.
            log.warning("delivery log unavailable; a handled update stays only claimed")

    async def release(self, key: str) -> None:
        """Handling stopped before the end: let Telegram's retry in without waiting."""
        self._recent.pop(key, None)
        try:
            await self._store.release_delivery(key)
        except StoreUnavailable:
            log.warning("delivery log unavailable; the retry waits for the lease")


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
        key = f"telegram:{update.update_id}"
        if not await self._deliveries.claim(key):
            stats["duplicates"] += 1
            return web.Response(text="ok")
        try:
            await self._channel.process(update)
        except BaseException:
            # Cancelled (shutdown) or failed outside PTB's own error handling: not
            # handled, so no 200; the retry gets in at once instead of after the lease.
            await self._deliveries.release(key)
            raise
        await self._deliveries.complete(key)
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
