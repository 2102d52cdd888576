"""``sendMessage`` without building the ``Message`` Telegram answers with.

``Bot.send_message`` turns every answer into a PTB ``Message`` (``Message.de_json``:
the bot's user, the chat, the keyboard echoed back), and the bot never reads it:
measured by ``python -m benchmarks webhook``, that was the largest single cost of
an update. Here the rendered parameters go through ``Bot._post``, the step every
``Bot`` method ends in: PTB's ``Defaults``, the rate limiter (``AIORateLimiter``
with its ``RetryAfter`` retries), the transport and the mapping of a refusal to
``Forbidden``, ``RetryAfter``, ``BadRequest`` or ``TimedOut`` are exactly those of
``send_message``; only the parsing of the answer is skipped. ``do_api_request``,
PTB's public door for raw calls, warns for methods the ``Bot`` has, so it is not
used for ``sendMessage``.
"""

from __future__ import annotations

from telegram import Bot

from bot.channels.telegram.render import TelegramText


async def send_text(bot: Bot, chat_id: int, part: TelegramText) -> None:
    """Send one rendered message; raises PTB's errors as ``send_message`` does."""
    await bot._post("sendMessage", part.payload(chat_id))  # private: see the module docstring
