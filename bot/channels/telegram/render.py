"""``Outbound`` as Telegram messages: plain text pages and an inline keyboard.

Plain text (no parse mode) means nothing a content editor writes can break a
message or inject formatting. Telegram refuses a message over 4096 characters,
so long text is split at paragraph breaks, then line breaks, then spaces; the
buttons go under the last page, where the person's eyes end up.

A keyboard is rendered once per set of choices and kept (``keyboard_for`` is a
bounded cache): the menus, the language choice and a guide's buttons are the
same for everyone, and building PTB's button objects and their JSON for every
message cost more CPU than sending it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.messages import Choice, Outbound

MAX_TEXT = 4096
"""Telegram's limit per message, counted here in UTF-16 units (an emoji is two) to be safe."""

_EMPTY = "…"
"""Shown when an engine message with buttons has no text: Telegram refuses empty text."""
NO_LINK_PREVIEW = json.dumps({"is_disabled": True})
"""Every message is sent without a link preview (the channel's PTB ``Defaults`` say the same)."""
KEYBOARDS_KEPT = 1024
"""Distinct keyboards kept rendered; search results vary, menus and guides do not."""


@dataclass(frozen=True, slots=True)
class TelegramText:
    """One ``sendMessage`` call: its text and the keyboard under it, if any."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None
    reply_markup_json: str | None = field(default=None, compare=False, repr=False)
    """``reply_markup`` as the Bot API reads it, rendered once with the keyboard."""

    def json_body(self, chat_id: int) -> bytes:
        """The ``sendMessage`` parameters as one JSON object, ready to post (no PTB object
        is built; the keyboard's JSON, rendered once, goes in as it is)."""
        body = (
            f'{{"chat_id":{int(chat_id)},'
            f'"text":{json.dumps(self.text, ensure_ascii=False)},'
            f'"link_preview_options":{NO_LINK_PREVIEW}'
        )
        if self.reply_markup_json is not None:
            body += f',"reply_markup":{self.reply_markup_json}'
        return (body + "}").encode()

    def webhook_answer(self, chat_id: int) -> bytes:
        """This ``sendMessage`` as a webhook answer."""
        return webhook_call("sendMessage", self.json_body(chat_id))


def webhook_call(method: str, body: bytes) -> bytes:
    """A call's JSON parameters (``body``, one object) as a webhook answer: the same
    object, naming its method first."""
    return b'{"method":"%s",' % method.encode() + body[1:]


def render(message: Outbound, limit: int = MAX_TEXT) -> list[TelegramText]:
    """The messages to send, in order; empty when there is nothing to show."""
    pages = split_text(message.text, limit)
    keyboard, keyboard_json = _keyboard(message.choices) if message.choices else (None, None)
    if not pages:
        return [TelegramText(_EMPTY, keyboard, keyboard_json)] if keyboard is not None else []
    rendered = [TelegramText(page) for page in pages[:-1]]
    rendered.append(TelegramText(pages[-1], keyboard, keyboard_json))
    return rendered


def keyboard_for(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
    """One button per row: big targets on small screens, long labels never cut."""
    if not choices:
        return None
    return _keyboard(choices)[0]


@lru_cache(maxsize=KEYBOARDS_KEPT)
def _keyboard(choices: tuple[Choice, ...]) -> tuple[InlineKeyboardMarkup, str]:
    """The keyboard and its JSON; PTB objects are frozen, so one can be shared."""
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(choice.label, callback_data=choice.id)] for choice in choices]
    )
    return markup, json.dumps(markup.to_dict(), ensure_ascii=False)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pages of at most ``limit`` UTF-16 units, cut at the widest break that fits."""
    text = text.strip()
    if not text:
        return []
    if _units(text) <= limit:
        return [text]
    return [page for page in _split(text, limit, ("\n\n", "\n", " ")) if page]


def _split(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    if _units(text) <= limit:
        return [text.strip()]
    if not separators:
        return _hard_split(text, limit)
    separator, rest = separators[0], separators[1:]
    pages: list[str] = []
    current = ""
    for piece in text.split(separator):
        candidate = f"{current}{separator}{piece}" if current else piece
        if _units(candidate) <= limit:
            current = candidate
            continue
        if current:
            pages.append(current.strip())
        if _units(piece) <= limit:
            current = piece
        else:
            pages.extend(_split(piece, limit, rest))
            current = ""
    if current.strip():
        pages.append(current.strip())
    return pages


def _hard_split(text: str, limit: int) -> list[str]:
    """A word longer than a page (a pasted link, say): cut it, never mid surrogate pair."""
    pages: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        width = _units(char)
        if size + width > limit:
            pages.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        pages.append("".join(current))
    return pages


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2
