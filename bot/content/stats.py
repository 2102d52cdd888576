"""Translation coverage, so editors see which locales and countries lag behind.

Coverage is counted against the default locale: a locale "covers" an article
when it has an article with the same id. Translations still waiting for a
native speaker (``review_needed``) are counted apart, since they should not be
trusted as much.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.content.models import Article

__all__ = ["ContentStats", "Coverage", "compute_stats"]


@dataclass(frozen=True)
class Coverage:
    """Articles of one locale (in one country, or overall)."""

    articles: int
    """Articles written in this locale."""
    translated: int
    """Of the default locale's articles, how many exist in this locale."""
    reference: int
    """Articles in the default locale."""
    review_needed: int
    """Articles of this locale marked ``review_needed``."""

    @property
    def percent(self) -> float:
        """Share of the default locale's articles available in this locale."""
        return 100.0 * self.translated / self.reference if self.reference else 100.0


@dataclass(frozen=True)
class ContentStats:
    """Coverage overall per locale, and per country then locale."""

    default_locale: str
    locales: list[str]
    by_locale: dict[str, Coverage]
    by_country: dict[str, dict[str, Coverage]]
    total_articles: int
    review_needed: int


def _coverage(articles: list[Article], locale: str, default_locale: str) -> Coverage:
    mine = [a for a in articles if a.locale == locale]
    reference = {a.meta.id for a in articles if a.locale == default_locale}
    return Coverage(
        articles=len(mine),
        translated=len(reference & {a.meta.id for a in mine}),
        reference=len(reference),
        review_needed=sum(a.meta.review_needed for a in mine),
    )


def compute_stats(
    articles: Iterable[Article], locales: list[str], countries: Iterable[str], default_locale: str
) -> ContentStats:
    """Count coverage; ``countries`` lists every country, even one without articles."""
    everything = list(articles)
    per_country: dict[str, list[Article]] = {code: [] for code in sorted(countries)}
    for article in everything:
        per_country.setdefault(article.country, []).append(article)
    return ContentStats(
        default_locale=default_locale,
        locales=list(locales),
        by_locale={loc: _coverage(everything, loc, default_locale) for loc in locales},
        by_country={
            code: {loc: _coverage(found, loc, default_locale) for loc in locales}
            for code, found in sorted(per_country.items())
        },
        total_articles=len(everything),
        review_needed=sum(a.meta.review_needed for a in everything),
    )
