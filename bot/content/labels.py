"""Labels that must fit small buttons: WhatsApp allows 20 characters on a reply
button and 24 on a list row, and a label cut mid-word reads as nonsense.

Topic and need titles appear as buttons: each locale's ``short`` label (or its
title when there is none) must fit a list row, and a ``short`` label must fit a
reply button. Country names must fit a list row.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.errors import ContentError
from bot.content.models import Need, Topic
from bot.content.scan import Scan

__all__ = ["BUTTON_CHARS", "ROW_CHARS", "check_labels"]

BUTTON_CHARS = 20
ROW_CHARS = 24


def check_labels(result: Scan) -> None:
    """Append an error for every label too long for the smallest buttons."""
    site, doc = result.site, result.site_doc
    if site is not None and doc is not None:
        groups: tuple[tuple[str, Sequence[Topic | Need]], ...] = (
            ("topics", site.topics),
            ("needs", site.needs),
        )
        for key, items in groups:
            for index, item in enumerate(items):
                for locale, title in item.title.items():
                    short = item.short.get(locale)
                    if short is not None and len(short) > BUTTON_CHARS:
                        result.errors.append(
                            ContentError(
                                doc.path,
                                doc.line((key, index, "short", locale)),
                                f"short label '{short}' is {len(short)} characters; "
                                f"buttons hold {BUTTON_CHARS}",
                            )
                        )
                    if short is None and len(title) > ROW_CHARS:
                        result.errors.append(
                            ContentError(
                                doc.path,
                                doc.line((key, index, "title", locale)),
                                f"title '{title}' is {len(title)} characters; add a short "
                                f"label of at most {BUTTON_CHARS} for small buttons",
                            )
                        )
    for folder, country in result.countries.items():
        country_doc = result.country_docs[folder]
        for locale, name in country.names.items():
            if len(name) > ROW_CHARS:
                result.errors.append(
                    ContentError(
                        country_doc.path,
                        country_doc.line(("names", locale)),
                        f"country name '{name}' is {len(name)} characters; "
                        f"list rows hold {ROW_CHARS}",
                    )
                )
