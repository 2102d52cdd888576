"""Webhook body -> what people sent, as the engine's ``Inbound`` (pure, no I/O).

Every message becomes one ``Received``: text as text, a tapped button or list
row as the choice id the bot gave it, voice/audio, images and locations as
media, anything else as ``Media.OTHER`` (the engine answers with a short note
and the menu). Reactions are parsed but need no answer, and delivery receipts
(``statuses``) are only counted, so neither reaches the engine.

Nobody said anything new in a system notice (a changed number), a deleted
(revoked) message or an edit: they are counted as ``notices`` and never
answered. An edit is treated as on Telegram, where the bot does not subscribe
to edits: the person's next message is answered, the edited one is not
answered twice.

Signed bodies are still parsed defensively: a lone surrogate escape in a text
(valid JSON to Python, refused by the fast parser) is read with the standard
parser and repaired (``repaired``); a timestamp no clock can hold is dropped
(``malformed``); nesting too deep for either parser is refused as not a
notification.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from pydantic import ValidationError

from bot.channels.base import clean_text
from bot.channels.places import sos_for_location
from bot.channels.whatsapp.locale_hint import locale_hint
from bot.channels.whatsapp.payload import Message, Notification
from bot.core.messages import Inbound, Media

CHANNEL = "whatsapp"

NOTICES = frozenset({"system", "revoke", "revoked", "deleted", "edit", "edited", "message_edit"})
"""Message types that carry nothing a person said just now."""

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
    notices: int = 0
    """System notices, deleted and edited messages: counted, never answered."""
    malformed: int = 0
    """Messages kept despite a broken field (a timestamp out of range)."""
    repaired: int = 0
    """Bodies whose text held a lone surrogate, replaced by U+FFFD."""


def parse_notification(body: bytes, phone_number_id: str | None = None) -> Parsed:
    """Parse a webhook body; messages to another business number than ours are skipped.

    Raises ``PayloadError`` for a body that is not JSON or not a notification.
    """
    note, repaired = _notification(body)
    received: list[Received] = []
    statuses = 0
    failed: list[int] = []
    errors: list[int] = []
    skipped = notices = malformed = 0
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
                if is_notice(message):
                    notices += 1
                    continue
                item = to_received(message)
                if item is None:
                    skipped += 1
                    continue
                if message.timestamp is not None and item.sent_at is None:
                    malformed += 1
                received.append(item)
    return Parsed(received, statuses, failed, errors, skipped, notices, malformed,
                  int(repaired))


def _notification(body: bytes) -> tuple[Notification, bool]:
    """The validated body, and whether it had to go through the standard parser."""
    try:
        return Notification.model_validate_json(body), False
    except ValidationError as exc:
        problems = exc.errors(include_input=False)
        if not all(problem["type"] == "json_invalid" for problem in problems):
            raise _payload_error(exc) from None
    # The fast parser refuses a lone surrogate escape ("\ud800"), Python's accepts it.
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise PayloadError("not a WhatsApp notification (not JSON)") from None
    try:
        return Notification.model_validate(data), True
    except ValidationError as exc:
        raise _payload_error(exc) from None


def _payload_error(exc: ValidationError) -> PayloadError:
    # The default message quotes the input, which may hold a phone number.
    places = sorted({".".join(map(str, e["loc"])) for e in exc.errors(include_input=False)})
    return PayloadError(f"not a WhatsApp notification ({', '.join(places[:3])})")


def is_notice(message: Message) -> bool:
    """A system notice, a deleted or an edited message: nothing to answer."""
    return message.type in NOTICES or any(
        part is not None for part in (message.system, message.revoke, message.edit)
    )


def _sent_at(timestamp: int | None) -> dt.datetime | None:
    """When the message was sent; None when there is no time or none a clock can hold."""
    if timestamp is None:
        return None
    try:
        return dt.datetime.fromtimestamp(timestamp, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def to_received(message: Message) -> Received | None:
    """One message as the engine's input; None when it has no sender to answer."""
    if not message.from_:
        return None
    sent_at = _sent_at(message.timestamp)
    kind = message.type
    message_id = _clean(message.id)
    if kind == "reaction":
        return Received(message_id, kind, None, sent_at)
    return Received(message_id, kind, _inbound(message, _clean(message.from_)), sent_at)


def _inbound(message: Message, user_ref: str) -> Inbound:
    """The text, choice or media of a message as the engine's input, with the language
    the number's country suggests (computed here, never stored)."""
    hint = locale_hint(user_ref)
    kind = message.type
    if kind == "text" and message.text is not None:
        return Inbound(CHANNEL, user_ref, text=_clean(message.text.body), locale_hint=hint)
    if kind == "interactive" and message.interactive is not None:
        reply = message.interactive.button_reply or message.interactive.list_reply
        if reply is not None:
            return Inbound(CHANNEL, user_ref, choice=_clean(reply.id), locale_hint=hint)
    if kind == "button" and message.button is not None:
        if message.button.payload:
            payload = _clean(message.button.payload)
            return Inbound(CHANNEL, user_ref, choice=payload, locale_hint=hint)
        return Inbound(CHANNEL, user_ref, text=_clean(message.button.text), locale_hint=hint)
    if kind == "location":
        # Only the country it lies in goes on; the coordinates stop here.
        place = message.location
        choice = sos_for_location(
            place.latitude if place else None, place.longitude if place else None
        )
        return Inbound(
            CHANNEL, user_ref, choice=choice, media=Media.LOCATION, locale_hint=hint
        )
    media = _MEDIA.get(kind, Media.OTHER)
    ref = message.audio.id if media is Media.VOICE and message.audio is not None else None
    return Inbound(CHANNEL, user_ref, media=media, locale_hint=hint, media_ref=ref)


def _clean(text: str) -> str:
    return clean_text(text)[0]
