"""Fuzzy matching of agency names, built once so that each query stays cheap.

Workers type agency names from memory, on small keyboards, in any word order,
with or without "Ltd" or "Recruitment Agency". Every name and alias is folded
(case, accents, punctuation) and stripped of noise words once, at load time.

Scoring every key with ``fuzz.WRatio`` costs over 100 ms on a 100k-agency
registry, far above the 10 ms budget. So a query first picks candidates
through an inverted index of words (each query word matched fuzzily, by
prefix and exactly against the vocabulary, rare words weighing more), and only
the few hundred best candidates are scored with ``WRatio``.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

NOISE_WORDS: frozenset[str] = frozenset(
    {
        "ltd", "limited", "agency", "agencies", "international", "intl", "recruitment",
        "recruiters", "consultants", "consultancy", "company", "co", "services",
        "employment", "manpower", "and", "pvt", "private", "plc", "the", "of",
    }
)  # fmt: skip
"""Words so common in agency names that they tell agencies apart poorly."""

_NON_WORD = re.compile(r"[\W_]+")
_CANDIDATES = 300
"""How many index candidates are scored with WRatio; enough to hold every plausible hit."""
_POSTINGS_CAP = 4000
"""Per query word, at most this many keys (the shortest ones) become candidates."""
_WORD_CUTOFF = 75.0
_PREFIX_SCORE = 90.0


def fold(text: str) -> str:
    """Casefold, strip accents and punctuation, collapse spaces: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", bare).split())


def name_key(text: str) -> str:
    """The folded name without noise words (or with them, if nothing else is left)."""
    folded = fold(text)
    kept = [word for word in folded.split() if word not in NOISE_WORDS]
    return " ".join(kept) if kept else folded


def licence_key(text: str) -> str:
    """A licence number without case, spaces, dashes or slashes: "ex ke 0001" == "EX-KE-0001"."""
    return fold(text).replace(" ", "").upper()


class NameIndex:
    """Fuzzy lookup of owners (integers) by any of their names.

    Owners stand for agencies; one owner may have several names (its aliases) and
    is returned once, with the score of its best-matching name.
    """

    __slots__ = ("_idf", "_keys", "_max_names", "_owners", "_postings", "_sorted_vocab", "_vocab")

    def __init__(self, entries: Iterable[tuple[int, str]]) -> None:
        self._keys: list[str] = []
        self._owners: list[int] = []
        seen: set[tuple[int, str]] = set()
        names_per_owner: dict[int, int] = {}
        for owner, text in entries:
            key = name_key(text)
            if not key or (owner, key) in seen:
                continue
            seen.add((owner, key))
            names_per_owner[owner] = names_per_owner.get(owner, 0) + 1
            self._keys.append(key)
            self._owners.append(owner)
        self._max_names = max(names_per_owner.values(), default=1)
        postings: dict[str, list[int]] = {}
        for index, key in enumerate(self._keys):
            for word in set(key.split()):
                postings.setdefault(word, []).append(index)
        # Shortest keys first: when a common word has more keys than the cap,
        # the closest (shortest) names are the ones kept.
        for keys in postings.values():
            keys.sort(key=lambda i: len(self._keys[i]))
        self._postings = postings
        self._vocab = list(postings)
        self._sorted_vocab = sorted(postings)
        total = max(len(self._keys), 1)
        self._idf = {word: math.log(1 + total / len(keys)) for word, keys in postings.items()}

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, query: str, limit: int, cutoff: float) -> list[tuple[int, float]]:
        """Best owners for ``query`` with a WRatio score >= ``cutoff``, best first."""
        qkey = name_key(query)
        if not qkey or limit <= 0:
            return []
        candidates = self._candidates(qkey)
        if not candidates:
            return []
        scored = process.extract(
            qkey,
            [self._keys[i] for i in candidates],
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=cutoff,
            limit=limit * self._max_names,
        )
        best: dict[int, float] = {}
        for _, score, position in scored:
            owner = self._owners[candidates[position]]
            if score > best.get(owner, -1.0):
                best[owner] = float(score)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]

    def _candidates(self, qkey: str) -> list[int]:
        """Key indices sharing (roughly) a word with the query, strongest first."""
        words = qkey.split()
        # "sun rise" should still find "sunrise".
        words += ["".join(pair) for pair in itertools.pairwise(words)]
        weights: dict[int, float] = {}
        for word in dict.fromkeys(words):
            per_key: dict[int, float] = {}
            for vocab_word, similarity in self._similar_words(word).items():
                weight = similarity / 100.0 * self._idf[vocab_word]
                for index in self._postings[vocab_word][:_POSTINGS_CAP]:
                    if weight > per_key.get(index, 0.0):
                        per_key[index] = weight
            for index, weight in per_key.items():
                weights[index] = weights.get(index, 0.0) + weight
        if len(weights) <= _CANDIDATES:
            return list(weights)
        return heapq.nlargest(_CANDIDATES, weights, key=weights.__getitem__)

    def _similar_words(self, word: str) -> dict[str, float]:
        """Vocabulary words equal to, starting with, or a typo away from ``word``."""
        found: dict[str, float] = {}
        if word in self._postings:
            found[word] = 100.0
        if len(word) < 3:
            return found
        start = bisect.bisect_left(self._sorted_vocab, word)
        for vocab_word in self._sorted_vocab[start : start + 20]:
            if not vocab_word.startswith(word):
                break
            found.setdefault(vocab_word, _PREFIX_SCORE)
        for vocab_word, score, _ in process.extract(
            word, self._vocab, scorer=fuzz.ratio, processor=None,
            score_cutoff=_WORD_CUTOFF, limit=10,
        ):  # fmt: skip
            if score > found.get(vocab_word, 0.0):
                found[vocab_word] = float(score)
        return found


def licence_near(query_key: str, keys: Sequence[str]) -> list[tuple[int, float]]:
    """Licence keys one typo away from ``query_key`` (positions in ``keys``, score)."""
    if len(query_key) < 5:
        return []
    return [
        (position, float(score))
        for _, score, position in process.extract(
            query_key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=85.0, limit=5
        )
    ]
