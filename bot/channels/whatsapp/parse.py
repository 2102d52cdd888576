"""Webhook body -> what people sent, as the engine's ``Inbound`` (pure, no I/O).

Every message becomes one ``Received``: text as text, a tapped button or list
row as the choice id the bot gave it, voice/audio, images and locations as
media, anything else as ``Media.OTHER`` (the engine answers with a short note
and the menu). Reactions are parsed but need no answer, and delivery receipts
(``statuses``) are only counted, so neither reaches the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import ValidationError

from bot.channels.whatsapp.locale_hint import locale_hint
from bot.channels.whatsapp.payload import Message, Notification
from bot.core.messages import Inbound, Media

CHANNEL = "whatsapp"

_MEDIA: dict[str, Media] = {
    "audio": Media.VOICE,
    "voice": Media.VOICE,
    "image": Media.IMAGE,
    "location": Media.LOCATION,
}


class PayloadError(ValueError):
    """The body is not a webhook notification; the message names no user data."""


@dataclass(frozen=True, slots=True)
class Received:
    """One message a person sent. ``inbound`` is None when it needs no answer (a reaction)."""

    message_id: str
    kind: str
    inbound: Inbound | None
    sent_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Parsed:
    """Everything one webhook POST carried that the bot acts on or counts."""

    received: list[Received] = field(default_factory=list)
    statuses: int = 0
    failed_statuses: list[int] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    skipped: int = 0


def parse_notification(body: bytes, phone_number_id: str | None = None) -> Parsed:
    """Parse a webhook body; messages to another business number than ours are skipped.

    Raises ``PayloadError`` for a body that is not JSON or not a notification.
    """
    try:
        note = Notification.model_validate_json(body)
    except ValidationError as exc:
        # The default message quotes the input, which may hold a phone number.
        places = sorted({".".join(map(str, e["loc"])) for e in exc.errors(include_input=False)})
        raise PayloadError(f"not a WhatsApp notification ({', '.join(places[:3])})") from None
    received: list[Received] = []
    statuses = 0
    failed: list[int] = []
    errors: list[int] = []
    skipped = 0
    for entry in note.entry:
        for change in entry.changes:
            value = change.value
            ours = phone_number_id is None or (
                value.metadata is not None
                and value.metadata.phone_number_id in (None, phone_number_id)
            )
            if not ours:
                skipped += len(value.messages)
                continue
            for status in value.statuses:
                statuses += 1
                if status.status == "failed":
                    failed.extend(e.code or 0 for e in status.errors or [])
            errors.extend(e.code or 0 for e in value.errors)
            for message in value.messages:
                item = to_received(message)
                if item is None:
                    skipped += 1
                else:
                    received.append(item)
    return Parsed(received, statuses, failed, errors, skipped)


def to_received(message: Message) -> Received | None:
    """One message as the engine's input; None when it has no sender to answer."""
    if not message.from_:
        return None
    sent_at = (
        dt.datetime.fromtimestamp(message.timestamp, dt.UTC)
        if message.timestamp is not None
        else None
    )
    kind = message.type
    if kind == "reaction":
        return Received(message.id, kind, None, sent_at)
    return Received(message.id, kind, _inbound(message, message.from_), sent_at)


def _inbound(message: Message, user_ref: str) -> Inbound:
    """The text, choice or media of a message as the engine's input, with the language
    the number's country suggests (computed here, never stored)."""
    hint = locale_hint(user_ref)
    kind = message.type
    if kind == "text" and message.text is not None:
        return Inbound(CHANNEL, user_ref, text=message.text.body, locale_hint=hint)
    if kind == "interactive" and message.interactive is not None:
        reply = message.interactive.button_reply or message.interactive.list_reply
        if reply is not None:
            return Inbound(CHANNEL, user_ref, choice=reply.id, locale_hint=hint)
    if kind == "button" and message.button is not None:
        if message.button.payload:
            return Inbound(CHANNEL, user_ref, choice=message.button.payload, locale_hint=hint)
        return Inbound(CHANNEL, user_ref, text=message.button.text, locale_hint=hint)
    return Inbound(
        CHANNEL, user_ref, media=_MEDIA.get(kind, Media.OTHER), locale_hint=hint
    )
