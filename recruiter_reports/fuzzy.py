"""The words of an index, and which of them a typed word may mean.

Shared by the article search (``bot.content.search``) and the agency names
(``recruiter_reports.matching``): both fold their texts with
``recruiter_reports.textfold``, keep the distinct words once, and match each
word of a query against them, so "pasport" finds "passport" and "sunrice"
finds "sunrise". Each index keeps its own postings and scoring; this is the
one place that decides what counts as the same word, a prefix or a typo.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from rapidfuzz import fuzz, process

__all__ = ["EXACT", "Vocabulary"]

EXACT = 100.0
"""The similarity of a word to itself (scores are 0-100, rapidfuzz's scale)."""

_PREFIXES = 20
"""At most this many words starting with a typed word are taken as its completions."""


class Vocabulary:
    """Distinct folded words, in first-seen order, looked up exactly, by prefix or fuzzily."""

    __slots__ = ("_known", "_sorted", "_words")

    def __init__(self, words: Iterable[str], *, prefixes: bool = False) -> None:
        """``prefixes``: also sort the words now, for ``similar(..., prefix_score=...)``."""
        self._words = list(dict.fromkeys(words))
        self._known = frozenset(self._words)
        self._sorted = sorted(self._words) if prefixes else None

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def similar(
        self,
        word: str,
        *,
        cutoff: float,
        limit: int,
        exact_below: int = 3,
        prefix_score: float | None = None,
    ) -> dict[str, float]:
        """Words meaning ``word``, each with its similarity (0-100).

        The word itself when known; nothing else for a word shorter than
        ``exact_below`` ("my", "to": any typo is another word); with
        ``prefix_score``, words it begins ("sunr" -> "sunrise"); and the
        ``limit`` words closest to it by edit distance, from ``cutoff`` up.
        """
        found: dict[str, float] = {}
        if word in self._known:
            found[word] = EXACT
        if len(word) < exact_below:
            return found
        if prefix_score is not None:
            ordered = self._ordered()  # sorted at build time where prefixes are used
            start = bisect.bisect_left(ordered, word)
            for known in ordered[start : start + _PREFIXES]:
                if not known.startswith(word):
                    break
                found.setdefault(known, prefix_score)
        for known, score, _ in process.extract(
            word, self._words, scorer=fuzz.ratio, processor=None,
            score_cutoff=cutoff, limit=limit,
        ):  # fmt: skip
            if score > found.get(known, 0.0):
                found[known] = float(score)
        return found

    def _ordered(self) -> list[str]:
        """The words sorted, for prefix lookups (built on first use unless asked for up front)."""
        if self._sorted is None:
            self._sorted = sorted(self._words)
        return self._sorted
