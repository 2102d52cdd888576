"""Warnings about old sources of legal facts: laws change, a two-year-old source may be stale.

A warning does not fail ``content check``: the fact may still be right, but an
editor should look for a newer source. Legal facts are the sources of articles
under the ``rights`` topics and of fee rules; contacts age differently and are
re-checked by calling them.
"""

from __future__ import annotations

import datetime as dt

from bot.content.errors import ContentError
from bot.content.models import TopicGroup, source_date_end
from bot.content.scan import Scan

__all__ = ["MAX_AGE_DAYS", "old_legal_sources"]

MAX_AGE_DAYS = 2 * 365 + 1
"""Two years, leap day included."""


def old_legal_sources(result: Scan, today: dt.date) -> list[ContentError]:
    """One warning per legal source whose own date is more than two years before ``today``.

    A partial date counts from its last possible day (``2023`` is 2023-12-31), so
    a source is never called old before it surely is. Undated sources are weak
    already and are not repeated here.
    """
    warnings: list[ContentError] = []
    site = result.site
    if site is None:
        return warnings
    rights = {topic.id for topic in site.topics if topic.group == TopicGroup.RIGHTS}
    for article in result.articles:
        # Translations share the original's sources: one warning, on the original.
        if article.topic not in rights or article.locale != site.default_locale:
            continue
        for source in article.meta.sources:
            if source.date and _too_old(source.date, today):
                warnings.append(
                    ContentError(
                        article.path,
                        result.id_lines.get(article.path, 1),
                        f"warning: source '{source.title}' is dated {source.date}, more than two "
                        f"years ago: look for a newer source of this legal fact",
                    )
                )
    for folder, country in result.countries.items():
        rule = country.fee_rule
        if rule is not None and rule.source.date and _too_old(rule.source.date, today):
            doc = result.country_docs[folder]
            warnings.append(
                ContentError(
                    doc.path,
                    doc.line(("fee_rule", "source")),
                    f"warning: the fee rule's source is dated {rule.source.date}, more than two "
                    f"years ago: look for a newer source",
                )
            )
    return warnings


def _too_old(date: str, today: dt.date) -> bool:
    return (today - source_date_end(date)).days > MAX_AGE_DAYS
