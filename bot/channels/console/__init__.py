"""Terminal chat: try the bot with no account, or script it from stdin."""

from bot.channels.console.chat import ConsoleChat, chat

__all__ = ["ConsoleChat", "chat"]
