"""Telegram updates as ``Inbound``: the only place that reads a Telegram payload.

Pure functions over PTB objects, so every shape of update is tested without a
network. Only private chats are served: the bot is one person talking to a
service, and a group would expose who asks about what.
"""

from __future__ import annotations

from typing import Any

from telegram import Chat, Message, Update

from bot.channels.base import clean_text
from bot.channels.places import sos_for_location
from bot.core.messages import Inbound, Media

CHANNEL = "telegram"
"""``Inbound.channel`` for Telegram; part of every pseudonym, so never change it."""

ALLOWED_UPDATES: tuple[str, ...] = (Update.MESSAGE, Update.CALLBACK_QUERY)
"""The update types we handle; told to Telegram so it sends no others."""

_VOICE = frozenset({"voice", "audio", "video_note"})
_IMAGE = frozenset({"photo", "live_photo"})
_LOCATION = frozenset({"location", "venue"})


def reply_chat_id(update: Update) -> int | None:
    """The private chat to answer in, or None when the update is not ours to answer."""
    chat = update.effective_chat
    if chat is None or chat.type != Chat.PRIVATE:
        return None
    return chat.id


def parse_update(update: Update) -> Inbound | None:
    """What the person sent, or None for anything the engine should not see.

    A button press becomes ``choice`` (its callback data is a ``Choice.id``);
    text stays text; voice, images and other attachments set ``media`` and
    keep a caption as text, so "help" written under a photo still counts.
    Service messages (pins, timers...) yield None: nobody said anything.
    """
    chat_id = reply_chat_id(update)
    if chat_id is None:
        return None
    user = update.effective_user
    hint = user.language_code if user is not None else None
    user_ref = str(chat_id)

    query = update.callback_query
    if query is not None:
        if not query.data:
            return None
        under = query.message.message_id if query.message is not None else None
        return Inbound(CHANNEL, user_ref, choice=clean_text(query.data)[0], locale_hint=hint,
                       message_no=under)

    message = update.message
    if message is None:
        return None
    number = message.message_id
    if message.text is not None:
        return Inbound(CHANNEL, user_ref, text=clean_text(message.text)[0], locale_hint=hint,
                       message_no=number)
    media = media_of(message)
    if media is None:
        return None
    if media is Media.LOCATION:
        # Only the country it lies in goes on; the coordinates stop here.
        point = message.venue.location if message.venue is not None else message.location
        choice = sos_for_location(
            point.latitude if point else None, point.longitude if point else None
        )
        return Inbound(CHANNEL, user_ref, choice=choice, media=media, locale_hint=hint,
                       message_no=number)
    caption = clean_text(message.caption)[0] if message.caption is not None else None
    return Inbound(CHANNEL, user_ref, text=caption, media=media, locale_hint=hint,
                   media_ref=_voice_file_id(message) if media is Media.VOICE else None,
                   message_no=number)  # fmt: skip


def _voice_file_id(message: Message) -> str | None:
    """The file id of a voice note (or audio, or round video), so a case can keep it."""
    for kind in _VOICE:
        found = getattr(message, kind, None)
        if found is not None and isinstance(getattr(found, "file_id", None), str):
            return str(found.file_id)
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
"""Of any other kind of update (a membership change...): what PTB itself reads and hashes."""


def well_typed(data: dict[str, Any]) -> str | None:
    """None when the fields we read have Telegram's types, else the first wrong one.

    PTB builds objects from whatever JSON it gets: a chat id that is an object
    would reach the pseudonym and the Bot API call. Checked on the raw JSON so
    a wrong shape is refused before anything runs; missing fields are fine
    (their absence is handled where they are read).
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


def has_broken_text(update: Update) -> bool:
    """True when the text had a lone surrogate (repaired by ``clean_text``), to count it."""
    message = update.message
    texts = (message.text, message.caption) if message is not None else ()
    return any(text is not None and clean_text(text)[1] for text in texts)


def media_of(message: Message) -> Media | None:
    """The kind of attachment a message carries; None for a service message."""
    kind = _attachment_kind(message)
    if kind is None:
        # Stickers, contacts, polls...: something was sent, but nothing we read.
        return Media.OTHER if message.effective_attachment is not None else None
    if kind in _VOICE:
        return Media.VOICE
    if kind in _IMAGE:
        return Media.IMAGE
    if kind == "document" and message.document is not None:
        mime = message.document.mime_type or ""
        return Media.IMAGE if mime.startswith("image/") else Media.OTHER
    if kind in _LOCATION:
        return Media.LOCATION
    return Media.OTHER


def _attachment_kind(message: Message) -> str | None:
    # A venue carries a location too; check it first so it is not mistaken.
    for kind in ("venue", *_VOICE, *_IMAGE, "location", "document"):
        if getattr(message, kind, None):
            return kind
    return None
