"""The plain data the engine speaks: one ``Inbound`` in, a list of ``Outbound`` out.

Channels translate their payloads to and from these; nothing here knows a
channel. Choice ids are short, stable and carry no user data, so a channel may
put them in callback data (Telegram allows 64 bytes) or reply ids (WhatsApp).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum


class Media(StrEnum):
    """Non-text input a channel may hand to the engine."""

    VOICE = "voice"
    IMAGE = "image"
    LOCATION = "location"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a person sent.

    ``user_ref`` is the channel's raw user id (a Telegram id, a WhatsApp phone
    number). It lives only in memory: the runner turns it into a keyed
    pseudonym before anything is stored or logged.
    """

    channel: str
    user_ref: str
    text: str | None = None
    choice: str | None = None
    media: Media | None = None
    locale_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A button. ``id`` is at most 64 bytes of ASCII; ``label`` is shown to the user."""

    id: str
    label: str
    description: str | None = None

    def __post_init__(self) -> None:
        if len(self.id.encode()) > 64:
            raise ValueError(f"choice id longer than 64 bytes: {self.id!r}")


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message to show.

    ``choices`` are the buttons under it, in order; ``rtl`` says the text is
    right-to-left (renderers that cannot set a direction still get text whose
    numbers are isolated); ``end`` marks the end of a conversation (e.g. after
    ``/forget``), so a channel may drop any state of its own.
    """

    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    rtl: bool = False
    end: bool = False


def encode_replies(replies: list[Outbound]) -> str:
    """A turn's replies as JSON, kept with its delivery until they were sent.

    A delivery whose turn was saved but whose answer never left (the process
    died in between) is answered from this on the platform's retry: running
    the turn again would run it on the state it already changed.
    """
    return json.dumps(
        [
            {
                "text": reply.text,
                "choices": [[c.id, c.label, c.description] for c in reply.choices],
                "rtl": reply.rtl,
                "end": reply.end,
            }
            for reply in replies
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_replies(document: str) -> list[Outbound]:
    """The replies ``encode_replies`` kept, as they were."""
    return [
        Outbound(
            text=str(item["text"]),
            choices=tuple(Choice(str(i), str(label), d) for i, label, d in item["choices"]),
            rtl=bool(item["rtl"]),
            end=bool(item["end"]),
        )
        for item in json.loads(document)
    ]
