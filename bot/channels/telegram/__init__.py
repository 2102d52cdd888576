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
    SECRET_HEADER,
    WEBHOOK_PATH,
    Deliveries,
    TelegramWebhook,
    mount,
)

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL",
    "MAX_TEXT",
    "SECRET_HEADER",
    "STAT_NAMES",
    "WEBHOOK_PATH",
    "AiohttpRequest",
    "Deliveries",
    "HandlesInbound",
    "TelegramChannel",
    "TelegramConfig",
    "TelegramText",
    "TelegramWebhook",
    "keyboard_for",
    "mount",
    "parse_update",
    "protect_logs",
    "render",
    "reply_chat_id",
    "split_text",
]
