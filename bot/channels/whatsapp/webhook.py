"""``GET|POST /webhooks/whatsapp``: Meta's subscription handshake and its deliveries.

A POST is answered as soon as its messages are claimed (see ``channel`` for
why): 403 for a missing or wrong signature, 400 for a body that is not a
notification, else 200. While the store cannot record a claim the claim is
kept in memory (``bot.channels.base.Deliveries``), so the person is still
answered: the SOS card, the guides and the menu need no store.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.channels.whatsapp.errors import describe
from bot.channels.whatsapp.parse import PayloadError, Received, parse_notification
from bot.channels.whatsapp.signature import (
    SIGNATURE_HEADER,
    handshake_challenge,
    valid_signature,
)

log = logging.getLogger(__name__)

PATH = "/webhooks/whatsapp"


class WhatsAppWebhook:
    """The two handlers; ``accept`` claims the received messages and starts answering them."""

    def __init__(
        self,
        accept: Callable[[list[Received]], Awaitable[int]],
        stats: Counter[str],
        *,
        app_secret: str,
        verify_token: str,
        phone_number_id: str,
    ) -> None:
        self._accept = accept
        self._stats = stats
        self._app_secret = app_secret
        self._verify_token = verify_token
        self._phone_number_id = phone_number_id

    def routes(self) -> list[web.RouteDef]:
        return [web.get(PATH, self.handshake), web.post(PATH, self.deliver)]

    async def handshake(self, request: web.Request) -> web.Response:
        challenge = handshake_challenge(request.query, self._verify_token)
        if challenge is None:
            log.warning("WhatsApp subscription handshake refused")
            self._stats["rejected"] += 1
            raise web.HTTPForbidden()
        log.info("WhatsApp subscription handshake accepted")
        return web.Response(text=challenge)

    async def deliver(self, request: web.Request) -> web.Response:
        stats = self._stats
        body = await request.read()
        if not valid_signature(body, request.headers.get(SIGNATURE_HEADER), self._app_secret):
            log.warning("WhatsApp webhook with a missing or wrong signature refused")
            stats["rejected"] += 1
            raise web.HTTPForbidden()
        try:
            parsed = parse_notification(body, self._phone_number_id)
        except PayloadError as exc:
            log.error("WhatsApp webhook refused: %s", exc)
            stats["malformed"] += 1
            raise web.HTTPBadRequest() from None
        for code in parsed.failed_statuses + parsed.errors:
            log.warning("WhatsApp reported a failure: %s", describe(200, {"error": {"code": code}}))
        stats["ignored"] += parsed.statuses + parsed.notices
        stats["malformed"] += parsed.malformed
        stats["repaired"] += parsed.repaired
        if parsed.skipped:
            log.info("%d WhatsApp message(s) skipped (other number or no sender)", parsed.skipped)
        await self._accept(parsed.received)
        return web.Response(text="ok")
