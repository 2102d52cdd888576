"""Telegram: python-telegram-bot behind our aiohttp server, by webhook or long polling."""

from bot.channels.telegram.aiohttp_request import AiohttpRequest
from bot.channels.telegram.channel import (
    STAT_NAMES,
    HandlesInbound,
    TelegramChannel,
    TelegramConfig,
    protect_logs,
)
from bot.channels.telegram.parse import ALLOWED_UPDATES, CHANNEL, parse_update, reply_chat_id
from bot.channels.telegram.render import MAX_TEXT, TelegramText, keyboard_for, render, split_text
from bot.channels.telegram.webhook import (
    DELIVERY_LEASE,
    RETRY_AFTER_SECONDS,
    SECRET_HEADER,
    WEBHOOK_PATH,
    TelegramWebhook,
)

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL",
    "DELIVERY_LEASE",
    "MAX_TEXT",
    "RETRY_AFTER_SECONDS",
    "SECRET_HEADER",
    "STAT_NAMES",
    "WEBHOOK_PATH",
    "AiohttpRequest",
    "HandlesInbound",
    "TelegramChannel",
    "TelegramConfig",
    "TelegramText",
    "TelegramWebhook",
    "keyboard_for",
    "parse_update",
    "protect_logs",
    "render",
    "reply_chat_id",
    "split_text",
]
