"""Bot API calls whose JSON the bot already wrote, posted as they are.

``Bot.send_message`` turns every answer into a PTB ``Message`` (``Message.de_json``:
the bot's user, the chat, the keyboard echoed back), and the bot never reads it;
below that, ``Bot._post`` inserts PTB's ``Defaults`` into the parameters, wraps each
in a ``RequestParameter`` and the transport form-encodes them again. Measured by
``python -m benchmarks webhook``, that work cost more CPU than the rest of a reply's
call. A rendered message (``TelegramText``) already has its parameters as one JSON
object, the one a webhook answer carries, so here that body goes out as it is
(``application/json``, which the Bot API reads as it reads a form).

What stays PTB's: the rate limiter (``AIORateLimiter``: the overall and per-group
rates, and its retries after ``RetryAfter``), the transport's timeouts, and the
mapping of a refusal to ``Forbidden``, ``RetryAfter``, ``BadRequest`` or ``TimedOut``
(``BaseRequest.post``). The link-preview default is in the body already
(``render.NO_LINK_PREVIEW``).
"""

from __future__ import annotations

import json
from typing import Any

from telegram import Bot
from telegram.request import RequestData

from bot.channels.telegram.render import TelegramText

__all__ = ["RenderedCall", "post_rendered", "send_text"]


class RenderedCall(RequestData):  # type: ignore[misc]  # final for typing only: see below
    """A call's parameters as a JSON body, for a transport that can post it as it is.

    ``BaseRequest.post`` takes a ``RequestData`` (PTB marks the class ``@final``
    for type checkers; at run time it is an ordinary class with slots). This
    one holds the body instead of PTB's parameter objects and answers every
    property a transport reads from it: ``AiohttpRequest`` posts
    ``json_payload``; another transport (PTB's ``HTTPXRequest``) reads
    ``json_parameters``, every value JSON-encoded and strings as they are, as
    for any PTB call, so the call works there too.
    """

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self._body = body

    @property
    def parameters(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self._body)
        return decoded

    @property
    def json_parameters(self) -> dict[str, str]:
        return {
            name: value if isinstance(value, str) else json.dumps(value)
            for name, value in self.parameters.items()
        }

    @property
    def json_payload(self) -> bytes:
        return self._body


async def post_rendered(bot: Bot, method: str, body: bytes, limited: dict[str, Any]) -> None:
    """Call ``method`` with the JSON object ``body``; ``limited``: what the rate limiter
    reads of the call (its ``chat_id``, if any). Raises PTB's errors, as the ``Bot``
    method would."""
    request = bot.request
    url = f"{bot.base_url}/{method}"

    async def call() -> bool:
        await request.post(url, request_data=RenderedCall(body))
        return True

    limiter = getattr(bot, "rate_limiter", None)  # an ``ExtBot``'s; a plain ``Bot`` has none
    if limiter is None:
        await call()
        return
    await limiter.process_request(call, (), {}, method, limited, None)


async def send_text(bot: Bot, chat_id: int, part: TelegramText) -> None:
    """Send one rendered message; raises PTB's errors as ``send_message`` does."""
    await post_rendered(bot, "sendMessage", part.json_body(chat_id), {"chat_id": chat_id})
