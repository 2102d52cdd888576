"""Terminal chat: try the bot with no account, or script it from stdin."""

from bot.channels.console.chat import ConsoleChat, chat
from bot.channels.console.push import ConsolePusher

__all__ = ["ConsoleChat", "ConsolePusher", "chat"]
