"""``POST /webhooks/telegram``: check the secret, parse, claim, handle, answer.

Telegram delivers at least once and retries until it gets a 2xx, so the 200
goes out only after the update was handled (its replies sent). Each
``update_id`` is claimed first (``bot.channels.base.Deliveries``):

- new: handled here, then 200; when its turn was saved before a crash and the
  answer never left, the saved replies are sent instead (``Deliveries.saved_replies``);
  the 200 may carry one Bot API call (below);
- claimed and not finished (this or another worker is at it, or a worker died
  holding it): 503 with ``Retry-After``, so Telegram tries again; answering 200
  here would drop the update if the holder never finishes (a crash during /sos);
- finished: a repeat, 200 and nothing else.

A body that is not an update is refused (400 and the ``malformed`` counter):
not JSON, nested deeper than the parser goes, without an ``update_id``, or
with a field of the wrong type (a chat id that is an object), which would
otherwise be carried on into the pseudonym and the Bot API call. The update
goes on as the JSON it is (``parse`` reads it; no PTB ``Update`` is built).
Nothing about the sender is logged, not even on a bad body.

Telegram performs one Bot API method named in the webhook's answer (aiogram
uses this): the channel puts a button's ``answerCallbackQuery`` there, or the
last ``sendMessage`` of a turn (the ones before it are sent first); nothing the bot
reads comes back from such a call. That saves a request per update. The claim
is completed only once that answer was written: a process dying before that
leaves the claim (with the turn's saved replies) to the retry.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.channels.base import Claim, Deliveries
from bot.channels.telegram.parse import Json, well_typed
from bot.core.messages import Outbound

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
DELIVERY_TTL = dt.timedelta(days=2)
"""Telegram keeps an undelivered update for 24 hours; remember ids a little longer."""
DELIVERY_LEASE = dt.timedelta(minutes=2)
"""Longer than handling one update takes, rate-limit waits included: a claim older
than this belongs to a worker that died, and Telegram's retry is handled anew."""
RETRY_AFTER_SECONDS = 5
"""Told to Telegram with a 503 while another worker holds the update."""


def delivery_key(update_id: int) -> str:
    """The key an update is claimed under (shared by every worker)."""
    return f"telegram:{update_id}"


class TelegramWebhook:
    """The aiohttp handler; one instance per channel, built once."""

    def __init__(
        self,
        process: Callable[[Json], Awaitable[bytes | None]],
        resend: Callable[[Json, list[Outbound]], Awaitable[None]],
        stats: Counter[str],
        secret: str,
        deliveries: Deliveries,
    ) -> None:
        if not secret:
            raise ValueError("a Telegram webhook needs a secret token")
        self._process = process
        self._resend = resend
        self._stats = stats
        self._secret = secret.encode()
        self._deliveries = deliveries

    async def handle(self, request: web.Request) -> web.StreamResponse:
        stats = self._stats
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret):
            stats["rejected"] += 1
            log.warning("telegram webhook: refused a request without the right secret")
            return web.Response(status=403, text="forbidden")
        data = _json(await request.read())
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            stats["malformed"] += 1
            log.warning("telegram webhook: body is not an update")
            return web.Response(status=400, text="not a Telegram update")
        update = self._update(data)
        if update is None:
            stats["malformed"] += 1
            return web.Response(status=400, text="not a valid Telegram update")
        key = delivery_key(update["update_id"])
        claim = await self._deliveries.claim(key)
        if claim is Claim.DONE:
            stats["duplicates"] += 1
            return web.Response(text="ok")
        if claim is Claim.BUSY:
            stats["busy"] += 1
            return web.Response(
                status=503, text="being handled", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
            )
        # Cancelled (shutdown) or failed outside the channel's own error handling: not handled,
        # so no 200, and the claim is released so the retry gets in at once.
        try:
            saved = await self._deliveries.saved_replies(key)
            if saved is None:
                answer = await self._process(update)
            else:
                answer = None
                await self._resend(update, saved)
        except BaseException:
            await self._deliveries.release(key)
            raise
        if answer is None:
            await self._deliveries.complete(key)
            return web.Response(text="ok")
        return await self.answer(request, key, answer)

    async def answer(self, request: web.Request, key: str, answer: bytes) -> web.StreamResponse:
        """Write the 200 that carries a Bot API call, then complete the claim."""
        response = web.Response(body=answer, content_type="application/json")
        try:
            await response.prepare(request)
            await response.write_eof()
        except BaseException:
            await self._deliveries.release(key)  # the retry sends the saved replies
            raise
        await self._deliveries.complete(key)
        return response

    def _update(self, data: dict[str, Any]) -> Json | None:
        problem = well_typed(data)
        if problem is not None:
            log.warning("telegram webhook: ignored an update with a mistyped field (%s)", problem)
            return None
        return data


def _json(body: bytes) -> object:
    """The decoded body, or None; nesting too deep for the parser is not JSON to us."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None
