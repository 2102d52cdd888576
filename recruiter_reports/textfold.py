"""Text folding shared by the article search, the emergency triggers and the agency names.

People type on cheap phones, often without accents, capitals or the right
punctuation, and in Latin, Devanagari or Arabic script. Folding both the
corpus and the query the same way lets "A l'aide" match "à l'aide" and
"ساعدني" match "سَاعِدْنِي", while Devanagari vowel signs, which are letters
rather than decoration, are kept. It lives in the domain so that the content
tree (``bot.content``) and the agency registry both use this one fold.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "words"]

# Marks that only decorate a letter: Latin/Greek/Cyrillic accents, Arabic harakat,
# hamza/madda carriers (so all alef forms fold to a bare alef) and the tatweel.
_DECORATION = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u0640]+")
# Arabic letters commonly written interchangeably (alef maksura / ya, ta marbuta / ha).
_LETTER_VARIANTS = (("\u0649", "\u064a"), ("\u0629", "\u0647"))
_TABLE_SIZE = 0x1FC00
"""The Basic Multilingual Plane plus the emoji and pictograph blocks of plane 1."""


def _separator_table() -> str:
    """A translation table (one character per code point) turning every
    punctuation, symbol, space and control character into a space.

    Not ``\\W``: it would cut Devanagari words at their vowel signs. A string
    table rather than a dict or a regex: ``str.translate`` with it is several
    times faster on the non-ASCII text of a large tree.
    """
    table = [chr(code) for code in range(_TABLE_SIZE)]
    for code in range(_TABLE_SIZE):
        category = unicodedata.category(table[code])
        if category[0] in "PSZ" or category in ("Cc", "Cf") or code == ord("_"):
            table[code] = " "
    return "".join(table)


_SEPARATORS = _separator_table()


def _spaced(text: str) -> str:
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = _DECORATION.sub("", text)
        for variant, letter in _LETTER_VARIANTS:
            text = text.replace(variant, letter)
        text = unicodedata.normalize("NFC", text)
    return text.translate(_SEPARATORS)


def fold(text: str) -> str:
    """Return ``text`` casefolded, without accents or punctuation, words separated
    by single spaces."""
    return " ".join(_spaced(text).split())


def words(text: str) -> list[str]:
    """Split ``text`` into folded words."""
    return _spaced(text).split()
