"""Text folding shared by the search index and the emergency triggers.

People type on cheap phones, often without accents, capitals or the right
punctuation, and in Latin, Devanagari or Arabic script. Folding both the
corpus and the query the same way lets "A l'aide" match "à l'aide" and
"ساعدني" match "سَاعِدْنِي", while Devanagari vowel signs, which are letters
rather than decoration, are kept.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "words"]

# Marks that only decorate a letter: Latin/Greek/Cyrillic accents, Arabic harakat,
# hamza/madda carriers (so all alef forms fold to a bare alef) and the tatweel.
_DECORATION = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u0640]+")
# Arabic letters commonly written interchangeably.
_LETTER_VARIANTS = str.maketrans({"\u0649": "\u064a", "\u0629": "\u0647"})


def _separator_table() -> dict[int, str]:
    """Map every punctuation, symbol, space and control character to a space.

    A translation table rather than ``\\W``: ``\\W`` would cut Devanagari words at
    their vowel signs, and ``str.translate`` is an order of magnitude faster than
    a regex on the mostly-ASCII bodies of a large tree.
    """
    table: dict[int, str] = {ord("_"): " "}
    # The Basic Multilingual Plane plus the emoji and pictograph blocks of plane 1.
    for code in (*range(0x10000), *range(0x1F000, 0x1FC00)):
        category = unicodedata.category(chr(code))
        if category[0] in "PSZ" or category in ("Cc", "Cf"):
            table[code] = " "
    return table


_SEPARATORS = _separator_table()


def _spaced(text: str) -> str:
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = _DECORATION.sub("", text).translate(_LETTER_VARIANTS)
        text = unicodedata.normalize("NFC", text)
    return text.translate(_SEPARATORS)


def fold(text: str) -> str:
    """Return ``text`` casefolded, without accents or punctuation, words separated
    by single spaces."""
    return " ".join(_spaced(text).split())


def words(text: str) -> list[str]:
    """Split ``text`` into folded words."""
    return _spaced(text).split()
