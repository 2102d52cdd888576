"""Fuzzy matching of agency names, built once so that each query stays cheap.

Workers type agency names from memory, on small keyboards, in any word order,
with or without "Ltd" or "Recruitment Agency". Every name and alias is folded
(case, accents, punctuation) and stripped of noise words once, at load time.

Scoring every key with ``fuzz.WRatio`` costs over 100 ms on a 100k-agency
registry, far above the 10 ms budget. So a query first picks candidates
through an inverted index of words (each query word matched fuzzily, by
prefix and exactly against the vocabulary, rare words weighing more), and only
the few hundred best candidates are scored (see ``_score``).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from recruiter_reports.fuzzy import Vocabulary
from recruiter_reports.textfold import fold

NOISE_WORDS: frozenset[str] = frozenset(
    {
        "ltd", "limited", "agency", "agencies", "international", "intl", "recruitment",
        "recruiters", "consultants", "consultancy", "company", "co", "services",
        "employment", "manpower", "and", "pvt", "private", "plc", "the", "of",
    }
)  # fmt: skip
"""Words so common in agency names that they tell agencies apart poorly."""

_CANDIDATES = 300
"""How many index candidates are scored with WRatio; enough to hold every plausible hit."""
_POSTINGS_CAP = 4000
"""Per query word, at most this many keys (the shortest ones) become candidates."""
_WORD_CUTOFF = 75.0
_PREFIX_SCORE = 90.0
_LICENCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_NAME_INSIDE_QUERY = 0.85
"""Weight of a name whose words are all in a longer query (a typo'd full name beats it)."""
_NOISE_TYPO = 85.0
"""How close a word must be to a noise word to be taken for a misspelling of it."""


def name_key(text: str) -> str:
    """The folded name without noise words (or with them, if nothing else is left)."""
    folded = fold(text)
    kept = [word for word in folded.split() if word not in NOISE_WORDS]
    return " ".join(kept) if kept else folded


def query_key(text: str) -> str:
    """Like ``name_key``, also dropping misspelt noise words ("mnapower", "consultanst")."""
    key = name_key(text)
    words = key.split()
    if len(words) < 2:
        return key
    kept = [word for word in words if not _misspelt_noise(word)]
    return " ".join(kept) if kept else key


def _misspelt_noise(word: str) -> bool:
    if len(word) < 5:
        return False
    found = process.extractOne(
        word, NOISE_WORDS, scorer=fuzz.ratio, processor=None, score_cutoff=_NOISE_TYPO
    )
    return found is not None


def licence_key(text: str) -> str:
    """A licence number without case, spaces, dashes or slashes: "ex ke 0001" == "EX-KE-0001"."""
    return fold(text).replace(" ", "").upper()


class NameIndex:
    """Fuzzy lookup of owners (integers) by any of their names.

    Owners stand for agencies; one owner may have several names (its aliases) and
    is returned once, with the score of its best-matching name.
    """

    __slots__ = ("_idf", "_keys", "_max_names", "_owners", "_postings", "_vocab")

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
        self._vocab = Vocabulary(postings, prefixes=True)
        total = max(len(self._keys), 1)
        self._idf = {word: math.log(1 + total / len(keys)) for word, keys in postings.items()}

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, query: str, limit: int, cutoff: float) -> list[tuple[int, float]]:
        """Best owners for ``query`` scoring at least ``cutoff`` (0-100), best first."""
        qkey = query_key(query)
        if not qkey or limit <= 0:
            return []
        candidates = self._candidates(qkey)
        if not candidates:
            return []
        best: dict[int, tuple[float, float]] = {}
        for index in candidates:
            rank = _score(qkey, self._keys[index])
            owner = self._owners[index]
            if rank[0] >= cutoff and rank > best.get(owner, (-1.0, -1.0)):
                best[owner] = rank
        ranked = heapq.nsmallest(
            limit, best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0])
        )
        return [(owner, rank[0]) for owner, rank in ranked]

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
        return self._vocab.similar(
            word, cutoff=_WORD_CUTOFF, limit=10, exact_below=3, prefix_score=_PREFIX_SCORE
        )


def _score(qkey: str, key: str) -> tuple[float, float]:
    """How well a name matches a query, and a tie-breaker (both 0-100).

    Like ``fuzz.WRatio`` (whole string, any word order, a subset of the words)
    except that a name found *inside* a longer query scores less: WRatio
    ranks "Nayaya Ltd" or "Mopelope Ltd" as high as "Monayaya Mopelope" for
    the query "monayaya mopelop", hiding the agency meant behind a typo. A
    query that is a fragment of a longer name ("sunr") still matches by
    ``partial_ratio``. Ties go to the name with the same words, in any order
    (``token_sort_ratio``).
    """
    sort = fuzz.token_sort_ratio(qkey, key)
    subset = 0.95 if len(key) >= len(qkey) else _NAME_INSIDE_QUERY
    score = max(fuzz.ratio(qkey, key), 0.95 * sort, subset * fuzz.token_set_ratio(qkey, key))
    if len(key) >= 1.5 * len(qkey):
        score = max(score, 0.9 * fuzz.partial_ratio(qkey, key))
    return score, sort


_LOOK_ALIKES = str.maketrans("OIL", "011")


def licence_shape(key: str) -> str:
    """A licence key with look-alike letters read as digits: "EXKEOO12" -> "EXKE0012"."""
    return key.translate(_LOOK_ALIKES)


def licence_typos(key: str) -> set[str]:
    """Every string one edit away from a licence key (delete, swap, replace, insert).

    Looking these few hundred strings up in a dict finds licence numbers typed
    with one mistake ("EXKEOO01" for EX-KE-0001) in well under a millisecond,
    where scanning 100k licence numbers with a fuzzy scorer costs 6-9 ms.
    """
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {
        left + ch + right[1:] for left, right in splits if right for ch in _LICENCE_ALPHABET
    }
    inserts = {left + ch + right for left, right in splits for ch in _LICENCE_ALPHABET}
    return (deletes | swaps | replaces | inserts) - {key}
