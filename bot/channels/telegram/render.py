"""``Outbound`` as Telegram messages: plain text pages and an inline keyboard.

Plain text (no parse mode) means nothing a content editor writes can break a
message or inject formatting. Telegram refuses a message over 4096 characters,
so long text is split at paragraph breaks, then line breaks, then spaces; the
buttons go under the last page, where the person's eyes end up.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.messages import Choice, Outbound

MAX_TEXT = 4096
"""Telegram's limit per message, counted here in UTF-16 units (an emoji is two) to be safe."""

_EMPTY = "…"
"""Shown when an engine message with buttons has no text: Telegram refuses empty text."""


@dataclass(frozen=True, slots=True)
class TelegramText:
    """One ``sendMessage`` call: its text and the keyboard under it, if any."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


def render(message: Outbound, limit: int = MAX_TEXT) -> list[TelegramText]:
    """The messages to send, in order; empty when there is nothing to show."""
    pages = split_text(message.text, limit)
    keyboard = keyboard_for(message.choices)
    if not pages:
        return [TelegramText(_EMPTY, keyboard)] if keyboard is not None else []
    rendered = [TelegramText(page) for page in pages[:-1]]
    rendered.append(TelegramText(pages[-1], keyboard))
    return rendered


def keyboard_for(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
    """One button per row: big targets on small screens, long labels never cut."""
    if not choices:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(choice.label, callback_data=choice.id)] for choice in choices]
    )


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
