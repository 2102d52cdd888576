"""Full-text search over the articles, tolerant of typos and word order.

Built once when the tree loads: each locale gets an inverted index from folded
word to the articles using it, weighted by where the word appears (title and
keywords count more than the body) and by how rare it is. A query only folds
its own words and fuzzy-matches them against the vocabulary with rapidfuzz,
so "pasport taken" finds "passport", and nothing of the corpus is redone per
query.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content.models import Article
from bot.content.textfold import words

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
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class SearchHit:
    """One result; ``fallback`` is True when the article is in the default locale
    because nothing matched in the asked one."""

    article: Article
    score: float
    fallback: bool


class _LocaleIndex:
    """The inverted index of one locale."""

    def __init__(self, articles: Sequence[Article], places: Mapping[str, str]) -> None:
        self.articles = list(articles)
        postings: dict[str, dict[int, float]] = {}
        for number, article in enumerate(self.articles):
            meta = article.meta
            fields = (
                (_BODY, _LINK_TARGET.sub("]", article.body)),
                (_SUMMARY, f"{meta.summary} {places.get(article.country, '')}"),
                (_TITLE, " ".join((meta.title, *meta.keywords))),
            )
            for weight, text in fields:  # ascending, so a word keeps its best field
                for word in set(words(text)):
                    docs = postings.get(word)
                    if docs is None:
                        postings[word] = {number: weight}
                    else:
                        docs[number] = weight
        self.postings = postings
        self.vocabulary = list(postings)
        count = len(self.articles)
        self.idf = {word: math.log(1 + count / len(docs)) for word, docs in postings.items()}
        self.max_idf = math.log(1 + count) if count else 1.0

    def _candidates(self, token: str) -> list[tuple[str, float]]:
        if len(token) <= _SHORT:
            return [(token, 100.0)] if token in self.postings else []
        found = process.extract(
            token,
            self.vocabulary,
            scorer=fuzz.ratio,
            score_cutoff=_FUZZY_CUTOFF,
            limit=_CANDIDATES,
        )
        return [(word, float(score)) for word, score, _ in found]

    def score(self, tokens: Sequence[str]) -> dict[int, float]:
        """Score 0-100 per article: the idf-weighted share of the query words it has."""
        totals: dict[int, float] = {}
        weight_sum = 0.0
        for token in dict.fromkeys(tokens):
            factor = _SHORT_WEIGHT if len(token) <= _SHORT else 1.0
            candidates = self._candidates(token)
            if not candidates:
                weight_sum += self.max_idf * _UNKNOWN_WEIGHT * factor
                continue
            weight_sum += max(self.idf[w] * s / 100 for w, s in candidates) * factor
            best: dict[int, float] = {}
            for word, similarity in candidates:
                value = self.idf[word] * similarity / 100 * factor
                for number, field_weight in self.postings[word].items():
                    contribution = value * field_weight
                    if contribution > best.get(number, 0.0):
                        best[number] = contribution
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
        tokens = words(query)
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
