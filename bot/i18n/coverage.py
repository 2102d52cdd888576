"""How much of the UI each language covers, and what still needs a translator."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from babel.messages.catalog import Catalog

if TYPE_CHECKING:
    from bot.i18n.catalogs import Catalogs

__all__ = ["Coverage", "Status", "missing_translations", "template_msgids"]

Status = Literal["translated", "fuzzy", "missing"]


@dataclass(frozen=True, slots=True)
class Coverage:
    """Counts for one locale over every UI string.

    ``translated`` is reviewed, ``fuzzy`` is drafted and shown but awaiting a
    native speaker's review, ``missing`` falls back to the default language.
    """

    locale: str
    total: int
    translated: int
    fuzzy: int
    missing: int

    @property
    def needs_review(self) -> int:
        """Strings shown to users that no native speaker has checked yet."""
        return self.fuzzy

    @property
    def percent_shown(self) -> float:
        """Share of strings a user sees in this language (drafts included)."""
        return 100.0 if not self.total else 100.0 * (self.translated + self.fuzzy) / self.total


def template_msgids(template: Catalog) -> list[str]:
    """A template's msgids in order (the singular for plurals), without header or contexts."""
    ids: list[str] = []
    for message in template:
        if not message.id or message.context is not None:
            continue
        ids.append(message.id if isinstance(message.id, str) else message.id[0])
    return ids


def count(catalogs: Catalogs, locale: str, msgids: Iterable[str]) -> Coverage:
    """Coverage of ``locale`` over ``msgids``."""
    tally = {"translated": 0, "fuzzy": 0, "missing": 0}
    total = 0
    for msgid in msgids:
        tally[catalogs.status(locale, msgid)] += 1
        total += 1
    return Coverage(locale, total, tally["translated"], tally["fuzzy"], tally["missing"])


def missing_translations(catalogs: Catalogs, template: Catalog) -> dict[str, list[str]]:
    """Per locale, the template's msgids a user would see in another language.

    A drafted (fuzzy) translation counts as present; an entry merged from an
    older msgid (``#|``) counts as missing, since it is never shown.
    """
    ids = template_msgids(template)
    return {
        locale: [msgid for msgid in ids if catalogs.status(locale, msgid) == "missing"]
        for locale in catalogs.locales
    }
