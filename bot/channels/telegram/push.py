"""Pushing to a person on Telegram: plain ``sendMessage`` calls, mapped to a ``PushResult``.

Telegram has no service window: a bot may write to anyone who started it and
has not blocked it, so a template is never needed and never sent. The calls go
through ``send_text``, the path of every reply (PTB's rate limiter, which also
waits out a ``RetryAfter``, and the aiohttp transport).

| Bot API answer | status |
|---|---|
| 200 | ``SENT`` |
| 403 Forbidden (blocked the bot, deleted the account) | ``BLOCKED`` |
| 429 still after the limiter's retries, timeouts, network errors, 5xx | ``RETRY`` |
| 400 (chat not found, a chat that moved), a refused token | ``FAILED`` |
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.channels.push import Push, PushResult, PushStatus
from bot.channels.telegram.render import render
from bot.channels.telegram.send import send_text


def chat_id_of(address: str) -> int | None:
    """The chat id a reply address holds (Telegram ids are integers), or None."""
    try:
        return int(address.strip())
    except ValueError:
        return None


def status_of(error: TelegramError) -> PushStatus:
    """What a refusal means for the person's messages (the order matters: PTB's
    ``BadRequest`` and ``TimedOut`` are both ``NetworkError``s)."""
    if isinstance(error, Forbidden):
        return PushStatus.BLOCKED
    if isinstance(error, BadRequest | ChatMigrated | InvalidToken):
        return PushStatus.FAILED
    if isinstance(error, RetryAfter | NetworkError):
        return PushStatus.RETRY
    return PushStatus.RETRY


async def push_messages(bot: Bot, push: Push) -> PushResult:
    """Send each message's pages in order; stop at the first refusal."""
    chat_id = chat_id_of(push.address)
    if chat_id is None:
        return PushResult(PushStatus.FAILED, 0, "the reply address is not a Telegram chat id")
    for index, message in enumerate(push.messages):
        try:
            for part in render(message):
                await send_text(bot, chat_id, part)
        except TelegramError as error:
            # The class only: Telegram's description can name the chat.
            return PushResult(status_of(error), index, f"Telegram refused: {type(error).__name__}")
    return PushResult(PushStatus.SENT, len(push.messages))
