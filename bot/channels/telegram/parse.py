"""Telegram updates as ``Inbound``: the only place that reads a Telegram payload.

Pure functions over the update's JSON as Telegram sent it (a ``dict``), so
every shape of update is tested without a network. They read the raw JSON
rather than PTB's ``Update``: building PTB's object tree for every update (the
message, the chat, the user, a button's message with its whole keyboard) cost
more than the parsing of ``Inbound`` itself, measured by ``python -m benchmarks
webhook``, and nothing here needs more than a few fields. ``well_typed`` is
checked first (the webhook refuses an update that fails it, polling drops
one), so the fields read here have Telegram's types when present. Only
private chats are served: the bot is one person talking to a service, and a
group would expose who asks about what.
"""

from __future__ import annotations

from typing import Any

from telegram import Chat, Update
from telegram.constants import MessageAttachmentType

from bot.channels.base import clean_text
from bot.channels.places import sos_for_location
from bot.core.messages import Inbound, Media

CHANNEL = "telegram"
"""``Inbound.channel`` for Telegram; part of every pseudonym, so never change it."""

ALLOWED_UPDATES: tuple[str, ...] = (Update.MESSAGE, Update.CALLBACK_QUERY)
"""The update types we handle; told to Telegram so it sends no others."""

Json = dict[str, Any]
"""An update, or a part of one, as decoded from Telegram's JSON."""

_VOICE = ("voice", "audio", "video_note")
_IMAGE = ("photo", "live_photo")
_LOCATION = ("location", "venue")
_ATTACHMENTS = tuple(kind.value for kind in MessageAttachmentType)
"""Every field that makes a message carry something (PTB's ``effective_attachment``)."""


def _part(data: Json, name: str) -> Json | None:
    value = data.get(name)
    return value if isinstance(value, dict) else None


def _chat(update: Json) -> Json | None:
    """The chat an update happened in (PTB's ``effective_chat`` for the kinds we get)."""
    for kind in ("message", "edited_message"):
        message = _part(update, kind)
        if message is not None:
            return _part(message, "chat")
    query = _part(update, "callback_query")
    if query is not None:
        message = _part(query, "message")
        return _part(message, "chat") if message is not None else None
    return None


def _user(update: Json) -> Json | None:
    """Who did it (PTB's ``effective_user`` for the kinds we get)."""
    for kind in ("message", "edited_message", "callback_query"):
        part = _part(update, kind)
        if part is not None:
            return _part(part, "from")
    return None


def callback_query_id(update: Json) -> str | None:
    """The id to answer a button press with, or None when the update is no press."""
    query = _part(update, "callback_query")
    if query is None:
        return None
    query_id = query.get("id")
    return query_id if isinstance(query_id, str) else None


def reply_chat_id(update: Json) -> int | None:
    """The private chat to answer in, or None when the update is not ours to answer."""
    chat = _chat(update)
    if chat is None or chat.get("type") != Chat.PRIVATE:
        return None
    chat_id = chat.get("id")
    return chat_id if type(chat_id) is int else None


def parse_update(update: Json) -> Inbound | None:
    """What the person sent, or None for anything the engine should not see.

    A button press becomes ``choice`` (its callback data is a ``Choice.id``);
    text stays text; voice, images and other attachments set ``media`` and
    keep a caption as text, so "help" written under a photo still counts.
    Service messages (pins, timers...) yield None: nobody said anything.
    """
    chat_id = reply_chat_id(update)
    if chat_id is None:
        return None
    user = _user(update)
    hint = user.get("language_code") if user is not None else None
    user_ref = str(chat_id)

    query = _part(update, "callback_query")
    if query is not None:
        data = query.get("data")
        if not data:
            return None
        under = _part(query, "message")
        number = under.get("message_id") if under is not None else None
        return Inbound(CHANNEL, user_ref, choice=clean_text(data)[0], locale_hint=hint,
                       message_no=number)

    message = _part(update, "message")
    if message is None:
        return None
    number = message.get("message_id")
    text = message.get("text")
    if text is not None:
        return Inbound(CHANNEL, user_ref, text=clean_text(text)[0], locale_hint=hint,
                       message_no=number)
    media = media_of(message)
    if media is None:
        return None
    if media is Media.LOCATION:
        # Only the country it lies in goes on; the coordinates stop here.
        venue = _part(message, "venue")
        point = _part(venue, "location") if venue is not None else _part(message, "location")
        choice = sos_for_location(
            point.get("latitude") if point else None, point.get("longitude") if point else None
        )
        return Inbound(CHANNEL, user_ref, choice=choice, media=media, locale_hint=hint,
                       message_no=number)
    caption = message.get("caption")
    return Inbound(CHANNEL, user_ref, text=clean_text(caption)[0] if caption is not None else None,
                   media=media, locale_hint=hint,
                   media_ref=_voice_file_id(message) if media is Media.VOICE else None,
                   message_no=number)  # fmt: skip


def _voice_file_id(message: Json) -> str | None:
    """The file id of a voice note (or audio, or round video), so a case can keep it."""
    for kind in _VOICE:
        found = _part(message, kind)
        if found is not None and isinstance(found.get("file_id"), str):
            return str(found["file_id"])
    return None


_INT = (int,)
_STR = (str,)
_NUMBER = (int, float)
_FIELDS: tuple[tuple[tuple[str, ...], tuple[type, ...]], ...] = (
    (("chat", "id"), _INT),
    (("chat", "type"), _STR),
    (("from", "id"), _INT),
    (("from", "language_code"), _STR),
    (("text",), _STR),
    (("caption",), _STR),
    (("message_id",), _INT),
    (("date",), _INT),
    (("location", "latitude"), _NUMBER),
    (("location", "longitude"), _NUMBER),
    (("venue", "location", "latitude"), _NUMBER),
    (("venue", "location", "longitude"), _NUMBER),
)
"""Fields of a message (or a button press's message) read here, and the JSON types allowed."""
_PRESS_FIELDS: tuple[tuple[tuple[str, ...], tuple[type, ...]], ...] = (
    (("id",), _STR),
    (("data",), _STR),
    (("from", "id"), _INT),
    (("from", "language_code"), _STR),
)
_OTHER_FIELDS: tuple[tuple[tuple[str, ...], tuple[type, ...]], ...] = (
    (("chat", "id"), _INT),
    (("from", "id"), _INT),
)
"""Of any other kind of update (a membership change...): the ids, which must be ints."""


def well_typed(data: dict[str, Any]) -> str | None:
    """None when the fields we read have Telegram's types, else the first wrong one.

    A chat id that is an object would otherwise reach the pseudonym and the Bot
    API call. Checked on the raw JSON so a wrong shape is refused before
    anything runs; missing fields are fine (their absence is handled where they
    are read).
    """
    for kind, part in data.items():
        if kind == "update_id" or part is None:
            continue
        if not isinstance(part, dict):
            return kind
        known = kind in ("message", "edited_message", "callback_query")
        checks = [(kind, part, _FIELDS if known else _OTHER_FIELDS)]
        if kind == "callback_query":
            checks = [(kind, part, _PRESS_FIELDS)]
            inner = part.get("message")
            if inner is not None:
                if not isinstance(inner, dict):
                    return f"{kind}.message"
                checks.append((f"{kind}.message", inner, _FIELDS))
        for where, body, fields in checks:
            for path, types in fields:
                problem = _wrong_type(body, path, types)
                if problem is not None:
                    return f"{where}.{problem}"
    return None


def _wrong_type(body: dict[str, Any], path: tuple[str, ...], types: tuple[type, ...]) -> str | None:
    value: Any = body
    for depth, name in enumerate(path):
        if not isinstance(value, dict):
            return ".".join(path[:depth])
        value = value.get(name)
        if value is None:
            return None
    # bool is an int to Python, not to Telegram.
    if isinstance(value, bool) or not isinstance(value, types):
        return ".".join(path)
    return None


def has_broken_text(update: Json) -> bool:
    """True when the text had a lone surrogate (repaired by ``clean_text``), to count it."""
    message = _part(update, "message")
    texts = (message.get("text"), message.get("caption")) if message is not None else ()
    return any(isinstance(text, str) and clean_text(text)[1] for text in texts)


def media_of(message: Json) -> Media | None:
    """The kind of attachment a message carries; None for a service message."""
    kind = _attachment_kind(message)
    if kind is None:
        # Stickers, contacts, polls...: something was sent, but nothing we read.
        return Media.OTHER if any(message.get(name) for name in _ATTACHMENTS) else None
    if kind in _VOICE:
        return Media.VOICE
    if kind in _IMAGE:
        return Media.IMAGE
    if kind == "document":
        document = _part(message, "document")
        mime = document.get("mime_type") if document is not None else None
        return Media.IMAGE if isinstance(mime, str) and mime.startswith("image/") else Media.OTHER
    if kind in _LOCATION:
        return Media.LOCATION
    return Media.OTHER


def _attachment_kind(message: Json) -> str | None:
    # A venue carries a location too; check it first so it is not mistaken.
    for kind in ("venue", *_VOICE, *_IMAGE, "location", "document"):
        if message.get(kind):
            return kind
    return None
