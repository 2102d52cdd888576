"""Recordings as Telegram voice messages: upload once, then send by ``file_id``.

``sendVoice`` with an OGG/Opus file shows a voice message with a play button and
its length, which a person who reads little recognises. The first send uploads
the file; Telegram answers with a ``file_id`` that any later ``sendVoice`` may
use instead of the bytes. It is kept in this worker's memory under the hash of
the file's bytes (``Audio.key``): it names a file of the content tree, never a
person, and a worker that restarts simply uploads once more. A ``file_id``
Telegram no longer accepts is dropped and the file uploaded again.

The text is the voice message's caption, with the buttons under it; a caption
over Telegram's 1,024 characters goes as a text message after the voice message.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from pathlib import Path

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.channels.telegram.render import keyboard_for
from bot.core.messages import Audio, Outbound

log = logging.getLogger(__name__)

CAPTION_MAX = 1024
IDS_KEPT = 4096
"""File ids remembered: far more than the recordings a content tree has."""


class VoiceSender:
    """Sends ``Outbound.audio`` and remembers Telegram's file id of each recording."""

    def __init__(self) -> None:
        self._ids: OrderedDict[str, str] = OrderedDict()
        self.uploads = 0
        """Files uploaded by this worker (tests and /metrics read it)."""

    def file_id(self, key: str) -> str | None:
        return self._ids.get(key)

    async def send(self, bot: Bot, chat_id: int, reply: Outbound) -> bool:
        """True when the voice message (with its caption, if it fits) was sent. False when
        the recording could not be sent: the caller sends the text with the note.
        A person who blocked the bot raises ``Forbidden``, as for text."""
        audio = reply.audio
        assert audio is not None
        caption = reply.text.strip() if caption_fits(reply) else None
        keyboard = keyboard_for(reply.choices) if caption is not None else None
        known = self._ids.get(audio.key)
        if known is not None:
            try:
                await self._send(bot, chat_id, known, audio, caption, keyboard)
                return True
            except Forbidden:
                raise
            except BadRequest:
                log.info("telegram: a cached voice file id was refused; uploading again")
                self._ids.pop(audio.key, None)
        try:
            data = await asyncio.to_thread(Path(audio.path).read_bytes)  # off the event loop
            file_id = await self._send(
                bot, chat_id, InputFile(data, filename=Path(audio.path).name), audio, caption,
                keyboard,
            )
        except Forbidden:
            raise
        except (TelegramError, OSError) as error:
            log.warning("telegram: sending a voice message failed: %s", type(error).__name__)
            return False
        self.uploads += 1
        if file_id:
            self._ids[audio.key] = file_id
            while len(self._ids) > IDS_KEPT:
                self._ids.popitem(last=False)
        return True

    async def _send(
        self,
        bot: Bot,
        chat_id: int,
        voice: str | InputFile,
        audio: Audio,
        caption: str | None,
        keyboard: InlineKeyboardMarkup | None,
    ) -> str | None:
        sent = await bot.send_voice(
            chat_id, voice, caption=caption, reply_markup=keyboard,
            duration=max(1, round(audio.seconds)),
        )
        return sent.voice.file_id if sent.voice is not None else None


def caption_fits(reply: Outbound) -> bool:
    """Whether the text went as the voice message's caption (else it follows as text)."""
    text = reply.text.strip()
    return 0 < len(text.encode("utf-16-le")) // 2 <= CAPTION_MAX
