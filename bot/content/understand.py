"""What a message says, from the phrasebooks: a danger, a topic, or a kind word.

Built once when the tree loads: every pattern of every language compiled into
one regex per danger category and per topic, so reading a message is one
fold and a dozen regex searches, whatever the size of the phrasebooks.
Someone in danger may write in a language other than the one they chose, so
the danger patterns of every language are always checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.content.models import Emergency
from bot.content.patterns import PatternSet, compile_pattern
from bot.content.phrasebook import KindWord, Phrasebook
from recruiter_reports.textfold import fold

__all__ = ["HELP", "Danger", "Understanding"]

HELP = "help"
"""The category of ``emergency.yaml``'s plain trigger phrases ("help me", "sos")."""


@dataclass(frozen=True)
class Danger:
    """A cry for help: its category, and the languages whose patterns recognised it
    (in site order), so a new person gets the card in the language they wrote in."""

    category: str
    locales: tuple[str, ...]


class Understanding:
    """The compiled phrasebooks of every language."""

    def __init__(
        self,
        emergency: Emergency,
        books: Mapping[str, Phrasebook],
        locales: Sequence[str],
    ) -> None:
        order = [c.id for c in emergency.categories]
        by_locale: dict[str, dict[str, list[str]]] = {}
        for locale, book in books.items():
            for category, patterns in book.danger.items():
                by_locale.setdefault(locale, {}).setdefault(category, []).extend(patterns)
        for locale, patterns in emergency.triggers.items():
            by_locale.setdefault(locale, {}).setdefault(HELP, []).extend(patterns)
        self._locales = [code for code in locales if code in by_locale]
        self._locales += [code for code in by_locale if code not in self._locales]
        rank = {name: index for index, name in enumerate([*order, HELP])}
        merged: dict[str, list[str]] = {}
        for found in by_locale.values():
            for category, patterns in found.items():
                merged.setdefault(category, []).extend(patterns)
        self._danger = PatternSet(
            sorted(merged.items(), key=lambda item: rank.get(item[0], len(rank)))
        )
        self._danger_by_locale = {
            locale: PatternSet(found.items()) for locale, found in by_locale.items()
        }
        topics: dict[str, list[str]] = {}
        for book in books.values():
            for topic, patterns in book.topics.items():
                topics.setdefault(topic, []).extend(patterns)
        self._topics = PatternSet(topics.items())
        self._kind: dict[KindWord, re.Pattern[str]] = {}
        for kind in KindWord:
            phrases = {
                compile_pattern(p) for book in books.values() for p in book.kind.get(kind, [])
            }
            if kind is KindWord.MENU:
                phrases.add(compile_pattern("menu"))  # the English word works in every language
            if phrases:
                alternatives = "|".join(sorted(phrases))
                self._kind[kind] = re.compile(f"(?:(?:{alternatives}) ?)+")

    def danger(self, text: str) -> Danger | None:
        """The most urgent danger ``text`` speaks of, or None."""
        folded = fold(text)
        category = self._danger.first(folded)
        if category is None:
            return None
        locales = tuple(
            locale
            for locale in self._locales
            if category in self._danger_by_locale[locale].all(folded)
        )
        return Danger(category, locales)

    def topics(self, text: str) -> list[str]:
        """Topics ``text`` speaks of, the most mentioned first."""
        counts = self._topics.count(fold(text))
        order = self._topics.names
        return sorted(counts, key=lambda topic: (-counts[topic], order.index(topic)))

    def kind(self, text: str) -> KindWord | None:
        """The kind word ``text`` is made of alone ("asante sana", "thanks!"), or None."""
        folded = fold(text)
        if not folded:
            return None
        for kind, regex in self._kind.items():
            if regex.fullmatch(folded):
                return kind
        return None
