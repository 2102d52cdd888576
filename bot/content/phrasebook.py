"""``content/phrases/<locale>.yaml``: how people say things, per language.

A phrasebook maps the words people really type to what the bot should do:
``danger`` patterns per category open the SOS card, ``topics`` patterns lead
search to a topic's articles, ``kind`` phrases ("asante", "thanks", "menu")
get a kind answer rather than a search, and ``never`` lists messages that must
never open the SOS card (``content check`` fails when a danger pattern fires
on one). The pattern marks are described in ``bot.content.patterns``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.content.errors import ContentError
from bot.content.models import Emergency, Site, Slug
from bot.content.patterns import PatternError, compile_pattern
from bot.content.sources import YamlDoc, parse_yaml, read_text, validate
from recruiter_reports.textfold import fold

__all__ = ["KindWord", "Phrasebook", "check_phrasebooks", "read_phrasebooks"]

FOLDER = "phrases"


class KindWord(StrEnum):
    """Short messages that are not a question: answered kindly, never searched."""

    THANKS = "thanks"
    GREETING = "greeting"
    MENU = "menu"


class Phrasebook(BaseModel):
    """One locale's phrasebook."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    danger: dict[Slug, list[str]] = Field(default_factory=dict)
    topics: dict[Slug, list[str]] = Field(default_factory=dict)
    kind: dict[KindWord, list[str]] = Field(default_factory=dict)
    never: list[str] = Field(default_factory=list)


def read_phrasebooks(
    content_dir: Path, display: str, errors: list[ContentError]
) -> tuple[dict[str, Phrasebook], dict[str, YamlDoc]]:
    """Every ``phrases/<locale>.yaml`` that parses, by locale, with its document.

    ``display`` is the content folder as editors see it (``content``). A tree
    without the folder is valid: recognition then rests on ``emergency.yaml``.
    """
    folder = content_dir / FOLDER
    books: dict[str, Phrasebook] = {}
    docs: dict[str, YamlDoc] = {}
    if not folder.is_dir():
        return books, docs
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == "README.md":
            continue
        shown = f"{display}/{FOLDER}/{path.name}"
        if path.suffix != ".yaml" or not path.is_file():
            errors.append(ContentError(shown, 1, "phrases/ holds one <locale>.yaml per language"))
            continue
        text = read_text(path, shown, errors)
        doc = None if text is None else parse_yaml(text, shown, errors)
        if doc is None:
            continue
        book = validate(Phrasebook, doc, errors)
        if book is not None:
            books[path.stem] = book
            docs[path.stem] = doc
    return books, docs


def check_phrasebooks(
    books: dict[str, Phrasebook],
    docs: dict[str, YamlDoc],
    site: Site | None,
    emergency: Emergency | None,
    emergency_doc: YamlDoc | None,
    errors: list[ContentError],
) -> None:
    """Every problem an editor can make in a phrasebook, on its own line."""
    categories = {c.id for c in emergency.categories} if emergency else None
    topics = {t.id for t in site.topics} if site else None
    compiled: list[tuple[str, str, str]] = []
    """(locale, category, pattern) of every danger pattern that compiled."""
    if emergency is not None and emergency_doc is not None:
        compiled += _check_triggers(emergency, emergency_doc, errors)
        if site is not None:
            _check_category_needs(emergency, emergency_doc, site, errors)
    for locale, book in books.items():
        doc = docs[locale]
        if site is not None and locale not in site.locales:
            errors.append(
                ContentError(doc.path, 1, f"'{locale}' is not one of the locales of site.yaml")
            )
        for category, patterns in book.danger.items():
            if categories is not None and category not in categories:
                known = ", ".join(sorted(categories)) or "none"
                errors.append(
                    ContentError(
                        doc.path,
                        doc.line(("danger", category)),
                        f"unknown danger category '{category}' (emergency.yaml has: {known})",
                    )
                )
            for pattern in _checked(doc, ("danger", category), patterns, errors):
                compiled.append((locale, category, pattern))
        for topic, patterns in book.topics.items():
            if topics is not None and topic not in topics:
                errors.append(
                    ContentError(
                        doc.path,
                        doc.line(("topics", topic)),
                        f"unknown topic '{topic}': add it to site.yaml first",
                    )
                )
            _checked(doc, ("topics", topic), patterns, errors)
        for kind, phrases in book.kind.items():
            _checked(doc, ("kind", kind.value), phrases, errors)
    _check_never(books, docs, compiled, errors)


def _check_category_needs(
    emergency: Emergency, doc: YamlDoc, site: Site, errors: list[ContentError]
) -> None:
    needs = {need.id for need in site.needs}
    for index, category in enumerate(emergency.categories):
        for position, need in enumerate(category.needs):
            if need not in needs:
                errors.append(
                    ContentError(
                        doc.path,
                        doc.line(("categories", index, "needs", position)),
                        f"category '{category.id}': unknown need '{need}' (site.yaml needs)",
                    )
                )


def _check_triggers(
    emergency: Emergency, doc: YamlDoc, errors: list[ContentError]
) -> list[tuple[str, str, str]]:
    found = []
    for locale, patterns in emergency.triggers.items():
        for pattern in _checked(doc, ("triggers", locale), patterns, errors):
            found.append((locale, "help", pattern))
    return found


def _checked(
    doc: YamlDoc, where: tuple[str, str], patterns: list[str], errors: list[ContentError]
) -> list[str]:
    """The patterns that compile; one error per one that does not, or is listed twice."""
    good: list[str] = []
    seen: set[str] = set()
    for index, pattern in enumerate(patterns):
        line = doc.line((*where, index))
        try:
            compile_pattern(pattern)
        except PatternError as error:
            errors.append(ContentError(doc.path, line, f"pattern '{pattern}': {error}"))
            continue
        key = " ".join(pattern.split()).casefold()
        if key in seen:
            errors.append(ContentError(doc.path, line, f"'{pattern}' is listed twice here"))
        seen.add(key)
        good.append(pattern)
    return good


def _check_never(
    books: dict[str, Phrasebook],
    docs: dict[str, YamlDoc],
    compiled: list[tuple[str, str, str]],
    errors: list[ContentError],
) -> None:
    """A ``never`` message on which a danger pattern (of any language) fires."""
    regexes = [(locale, category, pattern, re.compile(compile_pattern(pattern)))
               for locale, category, pattern in compiled]  # fmt: skip
    for locale, book in books.items():
        doc = docs[locale]
        for index, message in enumerate(book.never):
            folded = fold(message)
            for other, category, pattern, regex in regexes:
                if regex.search(folded):
                    errors.append(
                        ContentError(
                            doc.path,
                            doc.line(("never", index)),
                            f"'{message}' must never open the SOS card, but the {category} "
                            f"pattern '{pattern}' of {other} fires on it",
                        )
                    )
                    break
