"""Telegram updates as ``Inbound``: the only place that reads a Telegram payload.

Pure functions over PTB objects, so every shape of update is tested without a
network. Only private chats are served: the bot is one person talking to a
service, and a group would expose who asks about what.
"""

from __future__ import annotations

from telegram import Chat, Message, Update

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
        return Inbound(CHANNEL, user_ref, choice=query.data, locale_hint=hint)

    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return Inbound(CHANNEL, user_ref, text=message.text, locale_hint=hint)
    media = media_of(message)
    if media is None:
        return None
    return Inbound(CHANNEL, user_ref, text=message.caption, media=media, locale_hint=hint)


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
