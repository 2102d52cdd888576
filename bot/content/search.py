"""Full-text search over the articles, tolerant of typos and word order.

Prepared once when the tree loads: every title, keyword, summary and body is
folded (lowercase, no accents, no punctuation) into a map from word to the
weight of the field it appears in (title and keywords count more than the
body). A query only folds its own words and fuzzy-matches them against the
vocabulary with rapidfuzz, so "pasport taken" finds "passport"; rare words
weigh more than common ones. Nothing of the corpus is folded again per query.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.content.models import Article
from recruiter_reports.fuzzy import Vocabulary
from recruiter_reports.textfold import words

__all__ = ["MIN_SCORE", "SearchHit", "SearchIndex"]

MIN_SCORE = 35.0
"""Hits below this (0-100) are noise: a query word found only in some body."""

_TITLE, _SUMMARY, _BODY = 1.0, 0.8, 0.5
_FUZZY_CUTOFF = 80.0
_CANDIDATES = 8
_SHORT = 2
"""Words this short ("my", "to") match exactly only and weigh less."""
_SHORT_WEIGHT = 0.3
_UNKNOWN_WEIGHT = 0.5
_MAX_TOKENS = 12
"""Words of a query considered; each costs one fuzzy pass over the vocabulary."""
_POSTINGS_CACHE = 50_000
"""Words whose articles are remembered; beyond, the memo starts afresh."""
_TOKEN_CACHE = 4_096
"""Typed words whose contribution is remembered. Far fewer than the postings: these are
what people typed (any spelling, any script), each holding a map over the articles, so a
flood of new words must not grow the memo, nor keep people's words for long."""
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class SearchHit:
    """One result; ``fallback`` is True when the article is in the default locale
    because nothing matched in the asked one."""

    article: Article
    score: float
    fallback: bool


class _LocaleIndex:
    """The index of one locale.

    Each article keeps a map from its folded words to the weight of the best
    field they appear in; the words are shared between articles, so each is
    stored once. Which articles use a word is found the first time a query
    needs that word, then remembered: building a full inverted index in Python
    would cost more than the whole load budget, while these maps are built by
    C loops.
    """

    def __init__(self, articles: Sequence[Article], places: Mapping[str, str]) -> None:
        self.articles = list(articles)
        self.documents: list[dict[str, float]] = []
        shared: dict[str, str] = {}
        for article in self.articles:
            meta = article.meta
            fields = (
                (_BODY, _LINK_TARGET.sub("]", article.body)),
                (_SUMMARY, f"{meta.summary} {places.get(article.country, '')}"),
                (_TITLE, " ".join((meta.title, *meta.keywords))),
            )
            document: dict[str, float] = {}
            for weight, text in fields:  # ascending, so a word keeps its best field
                found = words(text)
                document.update(dict.fromkeys(map(shared.setdefault, found, found), weight))
            self.documents.append(document)
        self.vocabulary = Vocabulary(shared)
        self.count = len(self.articles)
        self.max_idf = math.log(1 + self.count) if self.count else 1.0
        self._postings_cache: dict[str, dict[int, float]] = {}
        self._token_cache: dict[str, tuple[dict[int, float], float]] = {}

    def _postings(self, word: str) -> dict[int, float]:
        """Articles using ``word``, with the weight of the best field it is in."""
        postings = self._postings_cache.get(word)
        if postings is None:
            if len(self._postings_cache) >= _POSTINGS_CACHE:
                self._postings_cache.clear()
            postings = {
                number: document[word]
                for number, document in enumerate(self.documents)
                if word in document
            }
            self._postings_cache[word] = postings
        return postings

    def _idf(self, postings: dict[int, float]) -> float:
        return math.log(1 + self.count / max(len(postings), 1))

    def _candidates(self, token: str) -> list[tuple[str, float]]:
        found = self.vocabulary.similar(
            token, cutoff=_FUZZY_CUTOFF, limit=_CANDIDATES, exact_below=_SHORT + 1
        )
        return list(found.items())

    def _token(self, token: str) -> tuple[dict[int, float], float]:
        """What one query word adds to each article, and its weight in the total.

        Remembered per word (bounded by ``_TOKEN_CACHE``): the fuzzy lookup behind it
        was the search's largest cost, and people ask with the same few words.
        """
        known = self._token_cache.get(token)
        if known is not None:
            return known
        factor = _SHORT_WEIGHT if len(token) <= _SHORT else 1.0
        best: dict[int, float] = {}
        token_weight = 0.0
        candidates = self._candidates(token)
        if not candidates:
            token_weight = self.max_idf * _UNKNOWN_WEIGHT * factor
        for word, similarity in candidates:
            postings = self._postings(word)
            value = self._idf(postings) * similarity / 100 * factor
            token_weight = max(token_weight, value)
            for number, field_weight in postings.items():
                contribution = value * field_weight
                if contribution > best.get(number, 0.0):
                    best[number] = contribution
        if len(self._token_cache) >= _TOKEN_CACHE:
            self._token_cache.clear()
        self._token_cache[token] = (best, token_weight)
        return best, token_weight

    def score(self, tokens: Sequence[str]) -> dict[int, float]:
        """Score 0-100 per article: the idf-weighted share of the query words it has."""
        totals: dict[int, float] = {}
        weight_sum = 0.0
        for token in dict.fromkeys(tokens):
            best, token_weight = self._token(token)
            weight_sum += token_weight
            for number, contribution in best.items():
                totals[number] = totals.get(number, 0.0) + contribution
        if weight_sum == 0:
            return {}
        return {number: 100 * total / weight_sum for number, total in totals.items()}


class SearchIndex:
    """Per-locale indexes plus the fallback to the default locale."""

    def __init__(
        self,
        by_locale: Mapping[str, Mapping[str, Article]],
        default_locale: str,
        places: Mapping[str, str],
    ) -> None:
        """``places`` maps a country code to its names, so "wages qatar" finds the
        articles of Qatar even when their text never names the country."""
        self._by_locale = by_locale
        self._default = default_locale
        self._indexes = {
            locale: _LocaleIndex(list(articles.values()), places)
            for locale, articles in by_locale.items()
        }

    def search(
        self, query: str, locale: str, limit: int = 5, country: str | None = None
    ) -> list[SearchHit]:
        """Best matches in ``locale``; only when none is good enough, the default
        locale's, each replaced by its translation into ``locale`` when one exists."""
        tokens = list(dict.fromkeys(words(query)))[:_MAX_TOKENS]
        if not tokens or limit <= 0:
            return []
        hits = self._ranked(tokens, locale, country)
        if hits or locale == self._default:
            return [SearchHit(article, score, False) for article, score in hits[:limit]]
        translations = self._by_locale.get(locale, {})
        result: list[SearchHit] = []
        for article, score in self._ranked(tokens, self._default, country)[:limit]:
            translated = translations.get(article.meta.id)
            if translated is not None:
                result.append(SearchHit(translated, score, False))
            else:
                result.append(SearchHit(article, score, True))
        return result

    def _ranked(
        self, tokens: Sequence[str], locale: str, country: str | None
    ) -> list[tuple[Article, float]]:
        index = self._indexes.get(locale)
        if index is None:
            return []
        ranked = [
            (index.articles[number], score)
            for number, score in index.score(tokens).items()
            if score >= MIN_SCORE
            and (country is None or index.articles[number].country == country.upper())
        ]
        ranked.sort(key=lambda hit: (-hit[1], hit[0].meta.title.casefold()))
        return ranked
