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
    media_ref: str | None = None
    """The channel's reference to the media (a Telegram file id, a WhatsApp media id), so
    a voice note left for a caseworker is kept as audio. Memory only, like ``user_ref``:
    stored nowhere but sealed in a case."""
    message_no: int | None = None
    """The chat's own number for this message, where the platform numbers the messages of
    a chat in one sequence a bot may delete from (Telegram's ``message_id``: the person's
    and the bot's messages of a private chat share it); for a button press, the number of
    the message it sits under. None on channels without one. It identifies nobody: it
    counts messages inside one chat."""


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
class Audio:
    """A recording to send with a message (an OGG/Opus file of the content tree).

    ``key`` is the hash of the file's bytes, under which a channel keeps the id the
    platform gave the uploaded file (Telegram's ``file_id``, WhatsApp's media id), so
    the file goes up once. ``unavailable`` is what the person reads, in their language,
    when the recording cannot be sent: the text still arrives, with this note.
    """

    path: str
    seconds: float
    key: str
    unavailable: str

    @property
    def duration(self) -> str:
        """``m:ss``, as a player shows it."""
        whole = round(self.seconds)
        return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True, slots=True)
class Erase:
    """Before showing the message that carries it: remove what the channel can of the
    conversation (the quick exit, ``/exit``).

    ``first`` .. ``last`` are the chat's message numbers (``Inbound.message_no``) to
    delete, both None when the engine knows none (the channel then does what it can:
    a terminal clears its screen, WhatsApp explains how to delete by hand).
    """

    first: int | None = None
    last: int | None = None


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message to show.

    ``choices`` are the buttons under it, in order; ``rtl`` says the text is
    right-to-left (renderers that cannot set a direction still get text whose
    numbers are isolated); ``end`` marks the end of a conversation (e.g. after
    ``/forget``), so a channel may drop any state of its own. ``audio`` is a
    recording sent with it: a voice message whose caption is the text (Telegram),
    an audio message followed by the text (WhatsApp), a path and a duration (terminal).
    ``erase``: clear the conversation before showing this one (``Erase``).
    """

    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    rtl: bool = False
    end: bool = False
    audio: Audio | None = None
    erase: Erase | None = None


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
                "audio": None if reply.audio is None else [
                    reply.audio.path, reply.audio.seconds, reply.audio.key, reply.audio.unavailable,
                ],
                **({} if reply.erase is None else {
                    "erase": [reply.erase.first, reply.erase.last]
                }),
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
            audio=None if not item.get("audio") else Audio(
                str(item["audio"][0]), float(item["audio"][1]), str(item["audio"][2]),
                str(item["audio"][3]),
            ),
            erase=None if "erase" not in item else Erase(*_numbers(item["erase"])),
        )
        for item in json.loads(document)
    ]


def _numbers(pair: list[object]) -> tuple[int | None, int | None]:
    first, last = (value if isinstance(value, int) else None for value in pair[:2])
    return first, last
