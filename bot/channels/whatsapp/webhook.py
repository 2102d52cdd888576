"""``GET|POST /webhooks/whatsapp`` on the aiohttp app: Meta's handshake and its deliveries.

``mount(app, services)`` adds both routes and the start/stop hooks; the web
app calls it when the WhatsApp settings are present. A POST is answered as
soon as its messages are recorded (see ``channel`` for why): 403 for a
missing or wrong signature, 400 for a body that is not a notification, 503
when the store cannot record a message (Meta redelivers), else 200.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.errors import describe
from bot.channels.whatsapp.graph import GraphClient
from bot.channels.whatsapp.parse import PayloadError, parse_notification
from bot.channels.whatsapp.signature import (
    SIGNATURE_HEADER,
    handshake_challenge,
    valid_signature,
)
from recruiter_reports.stores import StoreUnavailable

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

PATH = "/webhooks/whatsapp"
WHATSAPP = web.AppKey("whatsapp", WhatsAppChannel)
"""The app's WhatsApp channel (``app[WHATSAPP]``), e.g. to ``drain()`` it in tests."""


def mount(app: web.Application, services: Services) -> None:
    """Serve the WhatsApp webhook on ``app``; needs every WHATSAPP_* setting."""
    settings = services.settings
    if not settings.whatsapp_enabled:
        raise ValueError("WhatsApp needs WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, "
                         "WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN")
    assert settings.WHATSAPP_ACCESS_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID
    assert settings.WHATSAPP_APP_SECRET and settings.WHATSAPP_VERIFY_TOKEN
    app_secret = settings.WHATSAPP_APP_SECRET.get_secret_value()
    verify_token = settings.WHATSAPP_VERIFY_TOKEN.get_secret_value()
    phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
    client = GraphClient(
        settings.WHATSAPP_API_BASE_URL,
        phone_number_id,
        settings.WHATSAPP_ACCESS_TOKEN.get_secret_value(),
    )
    channel = WhatsAppChannel(
        services.runner, services.store, services.catalogs, client,
        record_secret=app_secret.encode(),
    )
    app[WHATSAPP] = channel

    async def handshake(request: web.Request) -> web.Response:
        challenge = handshake_challenge(request.query, verify_token)
        if challenge is None:
            log.warning("WhatsApp subscription handshake refused")
            channel.stats["rejected"] += 1
            raise web.HTTPForbidden()
        log.info("WhatsApp subscription handshake accepted")
        return web.Response(text=challenge)

    async def deliver(request: web.Request) -> web.Response:
        body = await request.read()
        if not valid_signature(body, request.headers.get(SIGNATURE_HEADER), app_secret):
            log.warning("WhatsApp webhook with a missing or wrong signature refused")
            channel.stats["rejected"] += 1
            raise web.HTTPForbidden()
        try:
            parsed = parse_notification(body, phone_number_id)
        except PayloadError as exc:
            log.error("WhatsApp webhook refused: %s", exc)
            channel.stats["malformed"] += 1
            raise web.HTTPBadRequest() from None
        for code in parsed.failed_statuses + parsed.errors:
            log.warning("WhatsApp reported a failure: %s", describe(200, {"error": {"code": code}}))
        channel.stats["ignored"] += parsed.statuses
        if parsed.skipped:
            log.info("%d WhatsApp message(s) skipped (other number or no sender)", parsed.skipped)
        try:
            await channel.accept(parsed.received)
        except StoreUnavailable:
            log.warning("store unavailable: WhatsApp delivery refused so that Meta retries")
            raise web.HTTPServiceUnavailable() from None
        return web.Response(text="ok")

    async def start(_: web.Application) -> None:
        await client.start()

    async def stop(_: web.Application) -> None:
        await channel.close()

    app.router.add_get(PATH, handshake)
    app.router.add_post(PATH, deliver)
    app.on_startup.append(start)
    app.on_cleanup.append(stop)
