"""The quick exit on Telegram: delete the conversation's messages before the neutral screen.

The engine gives the range of the chat's message numbers to clear (``Erase``:
the person's and the bot's messages of a private chat share one numbering, and
a bot may delete both for 48 hours). ``deleteMessages`` takes up to 100 ids a
call and skips the ones it cannot delete (gone, too old, never used), so the
range goes out in batches of 100, newest first: if Telegram refuses a batch,
the most recent messages, which matter most, are already gone, and the other
batches are still tried. A failure never stops the neutral screen from being
shown.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.core.messages import Erase

log = logging.getLogger(__name__)

BATCH = 100
"""``deleteMessages`` takes at most this many ids."""


def batches(erase: Erase) -> list[list[int]]:
    """The ids to delete, newest first, in calls of at most ``BATCH``."""
    if erase.first is None or erase.last is None or erase.last < erase.first:
        return []
    ids = list(range(erase.last, erase.first - 1, -1))
    return [ids[start:start + BATCH] for start in range(0, len(ids), BATCH)]


async def erase_chat(bot: Bot, chat_id: int, erase: Erase) -> int:
    """Delete what Telegram lets us delete of ``erase``; how many calls failed."""
    failed = 0
    for ids in batches(erase):
        try:
            await bot.delete_messages(chat_id, sorted(ids))
        except TelegramError as error:
            failed += 1
            log.info("telegram: deleting %d messages failed: %s", len(ids), type(error).__name__)
    return failed
