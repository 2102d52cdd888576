"""The small pattern language of the phrasebooks, compiled once to regular expressions.

Editors write phrases the way people type them; a few marks let one line
cover the forms a word takes in a sentence:

- words are matched whole, in order, on the folded text (no case, accents or
  punctuation), so ``hit me`` matches "He HIT me!!" but not "white metal";
- ``*`` inside a word stands for any letters there: ``beat*`` matches beats,
  beating, beaten; ``*nipiga`` matches the Swahili ananipiga, alinipiga,
  wananipiga (subject and tense prefixes before the object "ni");
  ``कुट*`` matches कुट्छ, कुट्यो, कुटिरहेको;
- ``~`` as a word stands for up to three words of any kind: ``took ~ passport``
  matches "took my passport" and "took away my old passport".

A pattern is compiled to one regular expression over the folded message, once,
when the tree loads (see ``PatternSet`` for how a message is read fast).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from recruiter_reports.textfold import fold

__all__ = [
    "GAP",
    "WILDCARD",
    "PatternError",
    "PatternSet",
    "compile_pattern",
    "required_literal",
]

WILDCARD = "*"
GAP = "~"
_GAP_WORDS = 3
_MIN_STEM = 3
"""Letters a one-word pattern with a ``*`` must keep: ``*a*`` would match almost
anything (in a phrase, the other words already narrow it down)."""
_GAP_REGEX = f"(?:[^ ]+ ){{0,{_GAP_WORDS}}}"


class PatternError(ValueError):
    """A pattern an editor must rewrite; the message says why in plain words."""


def compile_pattern(pattern: str) -> str:
    """The regular expression (as text) of one phrasebook pattern.

    Raises ``PatternError`` for a pattern that would match nothing or nearly everything.
    """
    words = pattern.split()
    if not words:
        raise PatternError("empty pattern")
    if words[0] == GAP or words[-1] == GAP:
        raise PatternError(f"'{GAP}' goes between two words, not at the start or the end")
    parts: list[str] = []
    previous_gap = False
    for word in words:
        if word == GAP:
            if previous_gap:
                raise PatternError(f"two '{GAP}' in a row: one already allows {_GAP_WORDS} words")
            parts.append(_GAP_REGEX)
            previous_gap = True
            continue
        previous_gap = False
        parts.append(_word(word, alone=len(words) == 1))
        parts.append(" ")
    body = "".join(parts).rstrip(" ")
    return f"(?<![^ ]){body}(?![^ ])"


def _word(word: str, *, alone: bool) -> str:
    pieces = word.split(WILDCARD)
    folded = [fold(piece) for piece in pieces]
    if any(" " in piece for piece in folded):
        # "don't" folds to "don t": a wildcard next to it would be ambiguous.
        if len(pieces) > 1:
            raise PatternError(
                f"'{word}': punctuation inside a word with '{WILDCARD}'; write the letters only"
            )
    letters = "".join(folded).replace(" ", "")
    if not letters:
        if word.strip(WILDCARD):
            raise PatternError(f"'{word}' has no letters or digits left once folded")
        raise PatternError(f"'{word}' is only '{WILDCARD}': it would match any word")
    if alone and len(pieces) > 1 and len(letters) < _MIN_STEM:
        raise PatternError(
            f"'{word}' keeps fewer than {_MIN_STEM} letters besides '{WILDCARD}': "
            "it would match too many words"
        )
    return "[^ ]*".join(re.escape(piece) for piece in folded)


def required_literal(pattern: str) -> str:
    """The longest piece of folded text any match of ``pattern`` must contain.

    A substring test (C speed) rules most patterns out before their regex runs.
    """
    pieces = [
        fold(piece)
        for word in pattern.split()
        if word != GAP
        for piece in word.split(WILDCARD)
    ]
    return max(pieces, key=len, default="")


class PatternSet:
    """Named groups of patterns (a danger category, a topic), in order of priority.

    Each pattern is compiled on its own and filed under the literal text every
    match must contain; reading a message tests those literals (a substring
    search each) and runs only the regexes whose literal is there, so the cost
    grows with the patterns that nearly match, not with the size of the books.
    """

    def __init__(self, groups: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._names: list[str] = []
        by_literal: dict[str, dict[tuple[int, str], re.Pattern[str]]] = {}
        for name, patterns in groups:
            if name not in self._names:
                self._names.append(name)
            rank = self._names.index(name)
            for pattern in patterns:
                regex = compile_pattern(pattern)
                found = by_literal.setdefault(required_literal(pattern), {})
                found.setdefault((rank, regex), re.compile(regex))
        self._by_literal = {
            literal: [(rank, found[rank, text]) for rank, text in sorted(found)]
            for literal, found in by_literal.items()
        }

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def _hits(self, folded: str) -> dict[int, int]:
        """Rank of each matching group -> how many matches its patterns have."""
        hits: dict[int, int] = {}
        for literal, entries in self._by_literal.items():
            if literal in folded:
                for rank, regex in entries:
                    count = len(regex.findall(folded))
                    if count:
                        hits[rank] = hits.get(rank, 0) + count
        return hits

    def first(self, folded: str) -> str | None:
        """The first group, in priority order, matching ``folded`` (already folded), or None."""
        hits = self._hits(folded)
        return self._names[min(hits)] if hits else None

    def all(self, folded: str) -> list[str]:
        """Every group matching ``folded``, in priority order."""
        return [self._names[rank] for rank in sorted(self._hits(folded))]

    def count(self, folded: str) -> dict[str, int]:
        """Per matching group, how many matches its patterns have in the text."""
        return {self._names[rank]: count for rank, count in sorted(self._hits(folded).items())}
