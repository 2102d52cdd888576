"""``python -m bot`` whose server dies (SIGKILL) just before it writes a webhook answer.

That answer carries a Bot API call (a button's ``answerCallbackQuery``, or the
last ``sendMessage`` of a turn), so at that moment
the turn is saved and its reply has not left: the crash point of a reply in
the webhook answer. Used by ``ServedBot.start(crash_before_answer=True)``;
nothing outside the tests imports it.
"""

from __future__ import annotations

import os
import signal
import sys

from aiohttp import web

from bot.channels.telegram.webhook import TelegramWebhook
from bot.cli import main


async def _die(self: TelegramWebhook, request: web.Request, key: str,
               answer: bytes) -> web.StreamResponse:  # fmt: skip
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


TelegramWebhook.answer = _die  # type: ignore[method-assign]
sys.exit(main())
