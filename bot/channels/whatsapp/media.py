"""Recordings as WhatsApp audio messages: upload to the media endpoint once, reuse the id.

An audio message names an uploaded file by its media id, so each recording of
the content tree is uploaded once (``POST /{phone_number_id}/media``) and its id
kept in this worker's memory under the hash of the file's bytes (``Audio.key``;
it names a file, never a person). Meta keeps an uploaded file for 30 days: an
id older than ``MEDIA_KEPT`` is uploaded afresh, and one the API refuses (it
expired early, or another number uploaded it) is dropped and uploaded again,
once. When the recording cannot be sent the text goes all the same, with a note.

An audio message has no caption and no buttons, so the text (with the buttons)
follows it as usual.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.channels.whatsapp.graph import GraphClient
from bot.channels.whatsapp.render import Body, Labels, render
from bot.core.messages import Audio, Outbound

log = logging.getLogger(__name__)

MEDIA_KEPT = dt.timedelta(days=29)
"""A day less than Meta keeps an uploaded file, so an id is never used on its last day."""
AUDIO_MIME = "audio/ogg"
IDS_KEPT = 4096


@dataclass(frozen=True, slots=True)
class AudioPart:
    """A recording to send, then ``sent`` when it went and ``failed`` when it did not."""

    audio: Audio
    to: str
    sent: list[Body]
    failed: list[Body]


def render_with_audio(message: Outbound, to: str, labels: Labels) -> list[Body | AudioPart]:
    """The audio message first, then the text with its buttons (and the note if it fails)."""
    if message.audio is None:
        return list(render(message, to, labels))
    note = message.audio.unavailable
    failed = replace(message, audio=None, text=f"{message.text}\n\n{note}".strip())
    return [AudioPart(message.audio, to, render(replace(message, audio=None), to, labels),
                      render(failed, to, labels))]


def audio_body(to: str, media_id: str) -> Body:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "audio", "audio": {"id": media_id}}


class MediaCache:
    """Media ids of uploaded recordings, and sending them as audio messages."""

    def __init__(self, client: GraphClient, clock: Callable[[], dt.datetime]) -> None:
        self._client = client
        self._clock = clock
        self._ids: OrderedDict[str, tuple[str, dt.datetime]] = OrderedDict()
        self.uploads = 0

    def media_id(self, key: str) -> str | None:
        found = self._ids.get(key)
        return found[0] if found else None

    async def send(self, part: AudioPart) -> bool:
        """True when the audio message was accepted."""
        known = self._ids.get(part.audio.key)
        if known is not None and self._clock() - known[1] < MEDIA_KEPT:
            result = await self._client.send(audio_body(part.to, known[0]))
            if result.ok:
                return True
            if result.retryable:
                return False  # the API is down: uploading again would not help
            log.info("WhatsApp refused a cached media id; uploading the recording again")
        self._ids.pop(part.audio.key, None)
        media_id = await self._upload(part.audio)
        if media_id is None:
            return False
        return (await self._client.send(audio_body(part.to, media_id))).ok

    async def _upload(self, audio: Audio) -> str | None:
        try:
            data = await asyncio.to_thread(Path(audio.path).read_bytes)  # off the event loop
        except OSError as error:
            log.error("a recording could not be read: %s", type(error).__name__)
            return None
        media_id = await self._client.upload(data, Path(audio.path).name, AUDIO_MIME)
        if media_id is None:
            return None
        self.uploads += 1
        self._ids[audio.key] = (media_id, self._clock())
        while len(self._ids) > IDS_KEPT:
            self._ids.popitem(last=False)
        return media_id


def bodies_only(items: list[Any]) -> list[Body]:
    """The plain bodies of a rendered reply (the text an audio message comes with)."""
    out: list[Body] = []
    for item in items:
        out.extend(item.sent if isinstance(item, AudioPart) else [item])
    return out
