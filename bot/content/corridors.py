"""What a corridor (an origin and one of its destinations) offers its readers, per locale.

A Kenyan going to Qatar reads Qatar's articles and Kenya's own guides, in the
languages of Kenya's people (``locales`` of the origin's country.yaml) and in
Arabic, which destination articles are written in for employers and officials.
Editors use these numbers to see which corridor lags: few articles, few words,
many drafts still to review, or a source that is old.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.content.models import Article, Country, CountryRole

__all__ = ["CorridorLocale", "corridor_stats"]

DESTINATION_EXTRA_LOCALES = ("ar",)
"""Locales every destination article is written in beside the origin's own."""


@dataclass(frozen=True)
class CorridorLocale:
    """One corridor in one locale."""

    origin: str
    destination: str
    locale: str
    articles: int
    words: int
    audio: int
    """Articles with a recording that still reads today's text."""
    review_needed: int
    oldest_source: str | None
    """The oldest source date of these articles (``2015``, ``2020-03`` or a full day)."""
    sos_audio: str = "-"
    """The destination's SOS card in this locale: ``draft``, ``recorded`` or ``-`` (none)."""

    @property
    def corridor(self) -> str:
        return f"{self.origin}-{self.destination}"


def corridor_stats(
    countries: Iterable[Country],
    articles: Iterable[Article],
    site_locales: list[str],
    has_audio: Callable[[Article], bool] = lambda article: False,
    sos_audio: Callable[[str, str], str] = lambda code, locale: "-",
) -> list[CorridorLocale]:
    """A row per corridor and locale, corridors in the order the origins list them."""
    by_code = {country.code: country for country in countries}
    by_place: dict[tuple[str, str], list[Article]] = {}
    for article in articles:
        by_place.setdefault((article.country, article.locale), []).append(article)
    rows: list[CorridorLocale] = []
    for origin in sorted(by_code.values(), key=lambda c: c.code):
        if CountryRole.ORIGIN not in origin.roles:
            continue
        locales = [loc for loc in (origin.locales or site_locales) if loc in site_locales]
        for destination in origin.destinations:
            shown = list(locales)
            shown += [loc for loc in DESTINATION_EXTRA_LOCALES if loc in site_locales]
            for locale in dict.fromkeys(shown):
                found = by_place.get((destination, locale), [])
                if locale in locales:  # the origin's own guides, in its people's languages
                    found = found + by_place.get((origin.code, locale), [])
                dates = [s.date for a in found for s in a.meta.sources if s.date]
                rows.append(
                    CorridorLocale(
                        origin=origin.code,
                        destination=destination,
                        locale=locale,
                        articles=len(found),
                        words=sum(len(a.body.split()) for a in found),
                        audio=sum(1 for a in found if has_audio(a)),
                        sos_audio=sos_audio(destination, locale),
                        review_needed=sum(a.meta.review_needed for a in found),
                        oldest_source=min(dates) if dates else None,
                    )
                )
    return rows
