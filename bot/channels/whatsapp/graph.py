"""The Graph API client: ``POST {base}/{phone_number_id}/messages`` and ``.../media``.

Meta's API throttles (429) and has bad minutes (5xx), so those are retried
with exponential backoff and jitter, honouring ``Retry-After``; every other
4xx is a problem a retry cannot fix (a bad token, a rendering bug, a closed
24-hour window) and is logged once, in plain words, without retrying. A
semaphore bounds the requests in flight so a burst of webhooks cannot open
hundreds of connections. Nothing logged here carries the recipient's number
or the message.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.channels.whatsapp.errors import describe, error_code

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class SendResult:
    """How one send ended: ``ok``, or the HTTP status and WhatsApp error code."""

    ok: bool
    status: int = 0
    code: int | None = None
    attempts: int = 1

    @property
    def retryable(self) -> bool:
        return not self.ok and (self.status == 0 or self.status in RETRY_STATUSES)


class GraphClient:
    """Sends message bodies for one business phone number."""

    def __init__(
        self,
        base_url: str,
        phone_number_id: str,
        access_token: str,
        *,
        timeout: float = 10.0,
        attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        concurrency: int = 16,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self._media_url = f"{base_url.rstrip('/')}/{phone_number_id}/media"
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, 5.0))
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._slots = asyncio.Semaphore(concurrency)
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=self._headers)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, body: dict[str, Any]) -> SendResult:
        """Send one message, retrying what a retry can fix; never raises for HTTP errors."""
        await self.start()
        result = SendResult(ok=False)
        for attempt in range(1, self._attempts + 1):
            result, wait = await self._attempt(body, attempt)
            if result.ok or not result.retryable or attempt == self._attempts:
                break
            await self._sleep(wait)
        if not result.ok:
            log.error(
                "WhatsApp message not sent after %d attempt(s) (%s)",
                result.attempts,
                "retries exhausted" if result.retryable else "not retried",
            )
        return result

    async def upload(self, data: bytes, filename: str, mime: str) -> str | None:
        """Upload a file to the media endpoint; its media id, or None when it was refused
        or the API could not be reached (once: the caller falls back to text)."""
        await self.start()
        assert self._session is not None
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime)
        form.add_field("file", data, filename=filename, content_type=mime)
        try:
            async with self._slots, self._session.post(self._media_url, data=form) as response:
                payload = await _json(response)
                if response.status < 300 and isinstance(payload, dict) and payload.get("id"):
                    return str(payload["id"])
                log.error("WhatsApp media upload refused: %s", describe(response.status, payload))
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("WhatsApp media upload failed: %s", type(exc).__name__)
        return None

    async def _attempt(self, body: dict[str, Any], attempt: int) -> tuple[SendResult, float]:
        assert self._session is not None
        delay = min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
        delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not a secret
        try:
            async with self._slots, self._session.post(self._url, json=body) as response:
                payload = await _json(response)
                if response.status < 300:
                    return SendResult(True, response.status, None, attempt), 0.0
                level = logging.WARNING if response.status in RETRY_STATUSES else logging.ERROR
                log.log(level, "WhatsApp send attempt %d: %s", attempt,
                        describe(response.status, payload))
                retry_after = _retry_after(response.headers.get("Retry-After"))
                if retry_after is not None:
                    delay = min(self._max_backoff, retry_after)
                return SendResult(False, response.status, error_code(payload), attempt), delay
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("WhatsApp send attempt %d: %s", attempt, type(exc).__name__)
            return SendResult(False, 0, None, attempt), delay


async def _json(response: aiohttp.ClientResponse) -> Any:
    try:
        return await response.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        return None


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
