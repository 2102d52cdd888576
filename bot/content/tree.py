"""The loaded, validated content tree: what the engine asks to build its menus.

Everything a conversation needs is precomputed here at load (lookups by
country, topic and locale, the search index, the trigger phrases), so answering
a user never touches the disk or re-reads the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.content.audio import AudioFile, AudioPlace
from bot.content.models import (
    Article,
    Country,
    CountryRole,
    DangerCategory,
    Emergency,
    Resource,
    ResourceKind,
    Site,
    Topic,
    TopicGroup,
)
from bot.content.partners import Partner
from bot.content.phrasebook import KindWord, Phrasebook
from bot.content.reportback import Reportback
from bot.content.search import SearchHit, SearchIndex
from bot.content.stats import ContentStats, compute_stats
from bot.content.understand import Danger, Understanding
from recruiter_reports.textfold import fold

__all__ = ["ContentTree"]

_TOPIC_LISTS_KEPT = 4096
"""Distinct (country, locale, group) questions ``topics`` keeps answered."""


class ContentTree:
    """Read-only access to the guides, the help directory and the triggers."""

    def __init__(
        self,
        site: Site,
        emergency: Emergency,
        countries: Iterable[Country],
        resources: Mapping[str, list[Resource]],
        articles: Iterable[Article],
        phrasebooks: Mapping[str, Phrasebook] | None = None,
        audio: Iterable[AudioFile] = (),
        partners: Iterable[Partner] = (),
        reportback: Reportback | None = None,
    ) -> None:
        self.site = site
        self.reportback = reportback
        """The words of the quarterly report-back (``content/reportback/``), if any."""
        self.partners: tuple[Partner, ...] = tuple(partners)
        self._partners = {partner.id: partner for partner in self.partners}
        self.emergency = emergency
        self.default_locale = site.default_locale
        self.countries: dict[str, Country] = {c.code: c for c in sorted(countries, key=_code)}
        self._resources = {code.upper(): list(found) for code, found in resources.items()}
        self._topics = {topic.id: topic for topic in site.topics}
        self._by_locale: dict[str, dict[str, Article]] = {}
        self._places: dict[tuple[str, str, str], list[Article]] = {}
        self._listed: dict[tuple[str, str, str], tuple[Article, ...]] = {}
        """(country, topic, locale) -> ``articles``, sorted once on first use."""
        self._topic_lists: dict[tuple[str, str, TopicGroup | None], tuple[Topic, ...]] = {}
        """(country, locale, group) -> ``topics``, found once on first use."""
        for article in articles:
            self._by_locale.setdefault(article.locale, {})[article.meta.id] = article
            place = (article.country, article.topic, article.locale)
            self._places.setdefault(place, []).append(article)
        self.phrasebooks = dict(phrasebooks or {})
        self._understanding = Understanding(emergency, self.phrasebooks, site.locales)
        self._categories = {category.id: category for category in emergency.categories}
        places = {c.code: " ".join(c.names.values()) for c in self.countries.values()}
        self._search = SearchIndex(self._by_locale, self.default_locale, places)
        self.audio_files = list(audio)
        """Every recording that passed the check, stale ones included (for statistics)."""
        self._audio = {(a.place, *a.key): a for a in self.audio_files if not a.stale}

    def text(self, localized: Mapping[str, str], locale: str) -> str:
        """The text in ``locale``, else in the site default, else any we have."""
        return (
            localized.get(locale)
            or localized.get(self.default_locale)
            or next(iter(localized.values()), "")
        )

    def destinations(self) -> list[Country]:
        """Countries people migrate to, by code."""
        return [c for c in self.countries.values() if CountryRole.DESTINATION in c.roles]

    def origins(self) -> list[Country]:
        """Countries people leave from, by code."""
        return [c for c in self.countries.values() if CountryRole.ORIGIN in c.roles]

    def country(self, code: str) -> Country | None:
        """The country with this code, whatever its case."""
        return self.countries.get(code.upper())

    def country_name(self, code: str, locale: str) -> str:
        """The country's name in ``locale`` (else the site default); the code itself for a
        country the tree does not know."""
        country = self.country(code)
        return self.text(country.names, locale) if country is not None else code

    def topic(self, topic_id: str) -> Topic | None:
        return self._topics.get(topic_id)

    def topics(self, country: str, locale: str, group: TopicGroup | None = None) -> list[Topic]:
        """Topics worth a menu entry: those with something to read for this country.

        Kept per question, as ``articles`` is: the guides and rights menus ask it for
        every country on every visit, and the tree does not change once loaded.
        """
        key = (country.upper(), locale, group)
        found = self._topic_lists.get(key)
        if found is None:
            found = tuple(
                topic
                for topic in self.site.topics
                if (group is None or topic.group == group)
                and self.articles(country, topic.id, locale)
            )
            if len(self._topic_lists) < _TOPIC_LISTS_KEPT:  # bounded: callers pass any code
                self._topic_lists[key] = found
        return list(found)

    def articles(self, country: str, topic: str, locale: str) -> list[Article]:
        """The locale's articles, plus the default locale's not yet translated,
        so a reader never misses an article for lack of a translation."""
        code = country.upper()
        key = (code, topic, locale)
        listed = self._listed.get(key)
        if listed is None:
            listed = tuple(self._sorted_articles(code, topic, locale))
            if listed:  # only places that exist are kept, whatever a caller asks for
                self._listed[key] = listed
        return list(listed)

    def _sorted_articles(self, code: str, topic: str, locale: str) -> list[Article]:
        found = list(self._places.get((code, topic, locale), ()))
        if locale != self.default_locale:
            translated = self._by_locale.get(locale, {})
            found.extend(
                article
                for article in self._places.get((code, topic, self.default_locale), ())
                if article.meta.id not in translated
            )
        return sorted(found, key=lambda article: fold(article.meta.title))

    def article(self, article_id: str, locale: str) -> Article | None:
        """The article in ``locale``, else in the default locale (see ``article.locale``)."""
        found = self._by_locale.get(locale, {}).get(article_id)
        if found is None:
            found = self._by_locale.get(self.default_locale, {}).get(article_id)
        return found

    def resources(
        self, country: str, need: str | None = None, origin: str | None = None
    ) -> list[Resource]:
        """The help directory of a country, optionally for one need and one nationality
        (resources for everyone stay in)."""
        origin_code = origin.upper() if origin else None
        return [
            resource
            for resource in self._resources.get(country.upper(), ())
            if (need is None or need in resource.needs)
            and (origin_code is None or resource.for_origin in (None, origin_code))
        ]

    def embassies(self, destination: str, origin: str | None) -> list[Resource]:
        """Embassies in ``destination``; with ``origin``, only that country's."""
        origin_code = origin.upper() if origin else None
        return [
            resource
            for resource in self._resources.get(destination.upper(), ())
            if resource.kind == ResourceKind.EMBASSY
            and (origin_code is None or resource.for_origin == origin_code)
        ]

    def is_emergency(self, text: str) -> bool:
        """True when ``text`` contains a trigger phrase or danger pattern of any locale."""
        return self._understanding.danger(text) is not None

    def danger(self, text: str) -> Danger | None:
        """The most urgent danger ``text`` speaks of, in any language, or None."""
        return self._understanding.danger(text)

    def partner(self, partner_id: str) -> Partner | None:
        """The partner organisation with this id (``partners.yaml``)."""
        return self._partners.get(partner_id)

    def partners_for(self, country: str, origin: str | None, locale: str) -> list[Partner]:
        """Who can take a case of someone in ``country`` (or from ``origin``).

        Partners of the country come first, then those of the home country; within
        each, those who agreed to take cases, then those reading the person's language.
        """
        code = country.upper()
        home = origin.upper() if origin else None
        found = [p for p in self.partners if code in p.countries or (home and home in p.countries)]
        return sorted(
            found,
            key=lambda p: (code not in p.countries, not p.onboarded, locale not in p.languages),
        )

    def danger_category(self, category_id: str) -> DangerCategory | None:
        """A category of ``emergency.yaml`` (its card line and extra contacts)."""
        return self._categories.get(category_id)

    def phrase_topics(self, text: str) -> list[str]:
        """Topics the phrasebooks hear in ``text`` ("2 lakh" -> fees), most mentioned first."""
        return self._understanding.topics(text)

    def kind_word(self, text: str) -> KindWord | None:
        """"asante", "thanks", "menu": a message that wants a kind answer, not a search."""
        return self._understanding.kind(text)

    def search(
        self, query: str, locale: str, limit: int = 5, *, country: str | None = None
    ) -> list[SearchHit]:
        """Articles matching ``query``, in ``locale`` first (see ``SearchHit.fallback``);
        ``country`` keeps only that country's articles."""
        return self._search.search(query, locale, limit, country)

    def article_audio(self, article: Article) -> AudioFile | None:
        """The recording of this article in its own locale, unless its text changed since."""
        return self._audio.get((AudioPlace.ARTICLE, article.meta.id, article.locale))

    def sos_audio(self, code: str, locale: str) -> AudioFile | None:
        """The recording of a destination's SOS card in ``locale`` (no fallback: a card read
        in another language than the one shown would confuse more than help)."""
        return self._audio.get((AudioPlace.SOS, code.upper(), locale))

    def prompt_audio(self, prompt: str, locale: str) -> AudioFile | None:
        """A spoken prompt in ``locale``; the caller checks it reads today's UI string."""
        return self._audio.get((AudioPlace.PROMPT, prompt, locale))

    def all_articles(self) -> list[Article]:
        """Every article of every locale (for statistics)."""
        return [a for by_id in self._by_locale.values() for a in by_id.values()]

    def stats(self) -> ContentStats:
        """Translation coverage per locale and per country."""
        articles = self.all_articles()
        return compute_stats(articles, self.site.locales, self.countries, self.default_locale)


def _code(country: Country) -> str:
    return country.code
