"""A number typed instead of tapping a button, in whatever digits the phone has.

People type "2", but also "٢" (Arabic-Indic), "२" (Devanagari), "²" from a
keyboard's symbol row or "①" from a list they copied. ``str.isdecimal`` knows
the decimal digits of every script (``int`` reads them all); superscripts and
circled numbers are digits too (``unicodedata.digit``) but ``int`` refuses
them, which used to end the turn with an error. Anything else is not a number.
"""

from __future__ import annotations

import unicodedata

__all__ = ["typed_number"]

_MAX_DIGITS = 3
"""A menu never has a thousand buttons: a longer number is something else (a licence)."""


def typed_number(text: str) -> int | None:
    """The number ``text`` is made of, or None when it is not only digits."""
    text = text.strip()
    if not text or len(text) > _MAX_DIGITS:
        return None
    if text.isdecimal():
        return int(text)
    digits = [unicodedata.digit(char, None) for char in text]
    if any(digit is None for digit in digits):
        return None
    return int("".join(str(digit) for digit in digits))
