"""A case: what a person in trouble asked a partner organisation's caseworkers, and the replies.

Everything a person wrote, their contact handle, their reply address and the
caseworkers' notes are kept *sealed* (``casework.sealing``): the store holds
opaque bytes and never a readable message, phone number or chat id. A case
names its person only by the keyed pseudonym, which the store already uses.

The context a value is sealed under (``message_context`` and friends) names
the case and the field, so a sealed body cannot be moved to another case.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import secrets
from dataclasses import dataclass, field

__all__ = [
    "Case",
    "CaseMessage",
    "CaseNote",
    "CaseState",
    "ClosedBy",
    "Direction",
    "MessageKind",
    "ReplyAddress",
    "contact_context",
    "message_context",
    "new_case_id",
    "new_item_id",
    "note_context",
    "reply_context",
]


class CaseState(enum.StrEnum):
    """A case only moves forward: new -> in progress -> closed (or new -> closed)."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {CaseState.NEW: 0, CaseState.IN_PROGRESS: 1, CaseState.CLOSED: 2}


class ClosedBy(enum.StrEnum):
    """Who closed a case: the person, a caseworker, or the person withdrawing (``/forget``)."""

    WORKER = "worker"
    CASEWORKER = "caseworker"
    WITHDRAWN = "withdrawn"


class Direction(enum.StrEnum):
    WORKER = "worker"
    CASEWORKER = "caseworker"


class MessageKind(enum.StrEnum):
    """``text``: the sealed body is UTF-8 text. ``voice``: it is the audio (``media_type``
    ``audio/ogg`` and the like) or a channel's reference to it (``media_type``
    ``ref/<channel>``, e.g. ``ref/telegram`` for a Telegram file id)."""

    TEXT = "text"
    VOICE = "voice"


_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""No 0/O or 1/I: a caseworker may read a case number out on the phone."""


def new_case_id() -> str:
    """A random case number like ``C-7KQ2-M9XD`` (50 bits: unguessable, easy to say)."""
    chars = "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))
    return f"C-{chars[:5]}-{chars[5:]}"


def new_item_id() -> str:
    """A random id for a message or a note inside a case (so writing it twice writes once)."""
    return secrets.token_hex(8)


def message_context(case_id: str, message_id: str) -> bytes:
    return f"case:{case_id}:message:{message_id}".encode()


def contact_context(case_id: str) -> bytes:
    return f"case:{case_id}:contact".encode()


def reply_context(case_id: str) -> bytes:
    return f"case:{case_id}:reply-to".encode()


def note_context(case_id: str, note_id: str) -> bytes:
    return f"case:{case_id}:note:{note_id}".encode()


@dataclass(frozen=True, slots=True)
class ReplyAddress:
    """Where a reply reaches the person: the channel and its raw chat id or phone number.

    Only ever stored sealed (``to_bytes`` -> ``Sealer.seal`` with ``reply_context``),
    never logged: ``repr`` hides the address.
    """

    channel: str
    address: str

    def to_bytes(self) -> bytes:
        return json.dumps({"channel": self.channel, "address": self.address}).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> ReplyAddress:
        loaded = json.loads(data)
        return cls(str(loaded["channel"]), str(loaded["address"]))

    def __repr__(self) -> str:
        return f"ReplyAddress(channel={self.channel!r}, address=<sealed>)"


@dataclass(frozen=True, slots=True)
class CaseMessage:
    """One message in a case, in the order it was added.

    ``read_at``: when a caseworker first read a worker's message (reported back
    to the person). ``delivered_at``: when a caseworker's reply reached the chat.
    """

    id: str
    at: dt.datetime
    direction: Direction
    kind: MessageKind
    body: bytes
    media_type: str | None = None
    read_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class CaseNote:
    """A caseworker's note on a case (sealed: notes are about a person)."""

    id: str
    at: dt.datetime
    author: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Case:
    """A case as stored. ``pseudonym`` is empty and ``withdrawn`` true once the person used
    ``/forget``: the caseworker then sees that they withdrew, and nothing of what they said.

    ``contact`` (a handle the person asked to be called on) and ``reply_to`` (a
    sealed ``ReplyAddress``) are None when not given or erased. ``danger`` is
    the danger category that started the case (which also makes it urgent).
    ``consent_version`` and ``consent_at`` record the consent given for this case.
    """

    id: str
    partner_id: str
    pseudonym: str
    created_at: dt.datetime
    consent_version: str
    consent_at: dt.datetime
    locale: str = "en"
    country: str | None = None
    urgent: bool = False
    danger: str | None = None
    state: CaseState = CaseState.NEW
    updated_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    closed_by: ClosedBy | None = None
    withdrawn: bool = False
    contact: bytes | None = None
    reply_to: bytes | None = None
    messages: tuple[CaseMessage, ...] = field(default=())
    notes: tuple[CaseNote, ...] = field(default=())

    @property
    def last_change(self) -> dt.datetime:
        return self.updated_at or self.created_at

    @property
    def unread(self) -> int:
        """How many of the person's messages no caseworker has read yet."""
        return sum(
            1 for m in self.messages if m.direction is Direction.WORKER and m.read_at is None
        )
