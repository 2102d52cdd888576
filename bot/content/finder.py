"""What to show for a typed question: the phrasebooks' topics first, then full-text search.

People ask in their own words ("they want 2 lakh for visa", "nataka kurudi
nyumbani", "bosi amechukua pasipoti yangu"): words an article may never
contain. The phrasebooks map those words to topics; the articles of those
topics come first (the person's destination first), then what the fuzzy
search finds in the articles' own words. A topic the phrasebooks heard but no
country has an article for yet is reported as ``missing``, so the chat can
say so instead of pretending another page is the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.models import Article, CountryRole
from bot.content.tree import ContentTree

__all__ = ["Found", "Hit", "find"]

_LIMIT = 5


@dataclass(frozen=True)
class Hit:
    """One answer: an article, and whether it is in the default locale for lack of a
    translation (``fallback``)."""

    article: Article
    fallback: bool = False

    @property
    def topic(self) -> str:
        return self.article.topic


@dataclass(frozen=True)
class Found:
    hits: list[Hit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Topics heard in the question that have no article yet where we looked."""


def find(
    tree: ContentTree,
    query: str,
    locale: str,
    destination: str | None,
    origin: str | None = None,
    limit: int = _LIMIT,
) -> Found:
    """The answers to ``query`` for a person reading ``locale``."""
    countries = _countries(tree, destination, origin)
    hits: list[Hit] = []
    seen: set[str] = set()
    topics = tree.phrase_topics(query)
    first: list[Article] = []
    more: list[Article] = []
    for topic in topics:  # every topic heard gets one answer before any topic gets two
        for code in countries:
            for article in tree.articles(code, topic, locale)[:1]:
                (more if any(a.topic == topic for a in first) else first).append(article)
    for article in first + more:
        if article.meta.id not in seen:
            seen.add(article.meta.id)
            hits.append(Hit(article, fallback=article.locale != locale))
    missing = [topic for topic in topics if not any(a.topic == topic for a in first)]
    for hit in tree.search(query, locale, limit=limit):
        if hit.article.meta.id not in seen and _wanted(tree, hit.article, destination):
            seen.add(hit.article.meta.id)
            hits.append(Hit(hit.article, hit.fallback))
    return Found(hits[:limit], missing)


def _countries(tree: ContentTree, destination: str | None, origin: str | None) -> list[str]:
    """Where to look: the person's destination and origin first. Another destination's
    law is no answer for someone who said where they are; origins' guides always are."""
    others = [c.code for c in tree.origins()]
    if destination is None:
        others = [c.code for c in tree.destinations()] + others
    first = [code for code in (destination, origin) if code and tree.country(code)]
    return first + [code for code in others if code not in first]


def _wanted(tree: ContentTree, article: Article, destination: str | None) -> bool:
    """A search hit about another destination than the person's is left out."""
    if destination is None or article.country == destination:
        return True
    country = tree.country(article.country)
    return country is not None and CountryRole.DESTINATION not in country.roles
