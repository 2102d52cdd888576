"""The words of one corridor's report-back, from its disclosed figures and the content tree.

Plain data in, plain data out: a ``Disclosed`` group (what the sector overview
of that corridor and quarter shows, ``bot.web.portal.data.PortalData.overview``,
so the numbers went through ``recruiter_reports.disclosure`` and the
publication rule like every figure the portal shows), the editors' words
(``content/reportback/``) and the language. A figure that disclosure withholds
is left out; with none shown there is no message at all. Each figure shown
brings a button to the destination's guide on that problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.content import ContentTree
from bot.content.labels import BUTTON_CHARS
from bot.content.reportback import FEE_PAID, ReportbackFigure
from followups.models import RoundMessage
from recruiter_reports.disclosure import Disclosed
from recruiter_reports.quarters import Quarter

__all__ = ["Figure", "compose", "quarter_words", "shown_figures"]

_BUTTON = BUTTON_CHARS - 2
"""Characters of a guide's label after its emoji and space (``labels.BUTTON_CHARS``)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One shown figure: ``answered`` people (at least k) of whom ``share`` said yes."""

    measure: str
    answered: int
    share: float


def shown_figures(disclosed: Disclosed, measures: tuple[str, ...]) -> list[Figure]:
    """The figures of ``measures`` that disclosure shows, in that order."""
    if not disclosed.shown:
        return []
    found = []
    for measure in measures:
        if measure == FEE_PAID:
            fee = disclosed.fee
            if fee is not None and fee.withheld is None and fee.paid is not None \
                    and fee.answered is not None:
                found.append(Figure(measure, fee.answered, fee.paid))
            continue
        share = disclosed.indicators.get(measure)
        if share is not None and share.withheld is None and share.share is not None \
                and share.answered is not None:
            found.append(Figure(measure, share.answered, share.share))
    return found


def quarter_words(quarter: Quarter, locale: str) -> str:
    """"October – December 2026" in the person's language."""
    first = format_date(quarter.first_day, format="MMMM", locale=locale)
    last = format_date(quarter.last_day, format="MMMM y", locale=locale)
    return f"{first} – {last}"


def compose(
    disclosed: Disclosed,
    *,
    origin: str,
    destination: str,
    quarter: Quarter,
    locale: str,
    content: ContentTree,
    k: int,
) -> RoundMessage | None:
    """The message for people of ``origin`` -> ``destination`` who read ``locale``."""
    reportback = content.reportback
    if reportback is None:
        return None
    found = reportback.words_for(locale, content.default_locale)
    if found is None:
        return None
    written_in, words = found
    figures = shown_figures(disclosed, tuple(f.measure for f in reportback.figures))
    if not figures:
        return None
    places = {
        "origin": content.country_name(origin, written_in),
        "destination": content.country_name(destination, written_in),
        "quarter": quarter_words(quarter, written_in),
    }
    lines = [words.intro.format_map(places), ""]
    for figure in figures:
        sentence = words.figures[figure.measure].format_map({
            **places,
            "answered": format_decimal(figure.answered, locale=written_in),
            "percent": format_decimal(round(figure.share * 100), locale=written_in),
        })
        lines.append("• " + sentence)
    if words.closing:
        lines += ["", words.closing.format_map({"k": format_decimal(k, locale=written_in)})]
    by_measure = {f.measure: f for f in reportback.figures}
    return RoundMessage("\n".join(lines),
                        _guides(content, [by_measure[f.measure] for f in figures],
                                destination, written_in))


def _guides(content: ContentTree, figures: list[ReportbackFigure], destination: str,
            locale: str) -> tuple[tuple[str, str], ...]:
    """(article id, button label) of each figure's guide in ``destination``, once each."""
    guides: list[tuple[str, str]] = []
    for figure in figures:
        article_id = figure.guides.get(destination.upper())
        article = content.article(article_id, locale) if article_id else None
        if article is None or any(known == article.meta.id for known, _ in guides):
            continue
        guides.append((article.meta.id, "📖 " + _label(content, article.topic, locale,
                                                       article.meta.title)))
    return tuple(guides)


def _label(content: ContentTree, topic_id: str, locale: str, title: str) -> str:
    """The topic's title, or its short label when the title would not fit a small button."""
    topic = content.topic(topic_id)
    if topic is None:
        return title
    full = content.text(topic.title, locale)
    return full if len(full) <= _BUTTON or not topic.short else content.text(topic.short, locale)

