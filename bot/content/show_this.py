"""The "show this" summary that opens every Arabic destination article.

Workers show an Arabic article to an employer, a police officer or a clinic, so
it starts with a short blockquote whose first words are ``اعرض هذا:``
summarising the law. A missing one is a warning (the article still helps).
"""

from __future__ import annotations

from bot.content.errors import ContentError
from bot.content.models import CountryRole
from bot.content.scan import Scan

__all__ = ["SHOW_THIS", "missing_show_this"]

SHOW_THIS = "اعرض هذا:"


def missing_show_this(result: Scan) -> list[ContentError]:
    """One warning per Arabic article of a destination that does not open with the block."""
    destinations = {
        country.code for country in result.countries.values()
        if CountryRole.DESTINATION in country.roles
    }  # fmt: skip
    warnings = []
    for article in result.articles:
        if article.locale != "ar" or article.country not in destinations:
            continue
        first = article.body.lstrip().split("\n", 1)[0]
        if not first.startswith(">") or not first.lstrip("> ").startswith(SHOW_THIS):
            warnings.append(
                ContentError(
                    article.path,
                    result.id_lines.get(article.path, 1),
                    f"warning: an Arabic article starts with a '> {SHOW_THIS}' block "
                    "summarising the law in two or three sentences",
                )
            )
    return warnings
