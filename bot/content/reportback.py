"""``content/reportback/``: the words of the quarterly report-back, which editors own.

Once a quarter people who agreed to check-ins hear what workers of their corridor
reported (see ``bot.web.followups.reportback_text``). What is said is content:

- ``figures.yaml``: which figures a message gives, in order (``measure``), and for
  each the guide on that problem in every destination (``guides``: country -> article id);
- ``<locale>.yaml``: the words in one language: ``intro``, one sentence per figure,
  ``closing``; ``review_needed: true`` while a drafted translation waits for a native
  speaker, as on articles.

Placeholders are checked here, so a typo is a ``path:line: message`` of
``content check`` and never a message that fails to format when it is sent.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Self

from pydantic import AfterValidator, Field, field_validator, model_validator

from bot.content.models import CountryCode, Slug, _Strict
from recruiter_reports import questionnaire

__all__ = [
    "CLOSING_FIELDS",
    "FEE_PAID",
    "FIGURE_FIELDS",
    "INTRO_FIELDS",
    "Reportback",
    "ReportbackFigure",
    "ReportbackFigures",
    "ReportbackWords",
    "measures",
    "placeholders",
]

FEE_PAID = "fee_paid"
"""The share of those who said what they paid who paid any fee at all."""
INTRO_FIELDS = frozenset({"origin", "destination", "quarter"})
FIGURE_FIELDS = frozenset({"answered", "percent", "origin", "destination", "quarter"})
"""``answered``: how many answered that question (at least k); ``percent``: a whole number."""
CLOSING_FIELDS = frozenset({"k"})


def measures() -> tuple[str, ...]:
    """What a figure may be: ``fee_paid``, or the "yes" share of a yes/no question."""
    return (FEE_PAID, *questionnaire.current().indicators)


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` fields of ``text``; ValueError when its braces do not pair up."""
    names = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"write placeholders as {{name}}, not {{{name}}}")
        names.add(name)
    return frozenset(names)


def _check_fields(text: str, allowed: frozenset[str]) -> str:
    try:
        found = placeholders(text)
    except ValueError as error:
        raise ValueError(f"{error} (a brace on its own is written {{{{ or }}}})") from None
    unknown = sorted(found - allowed)
    if unknown:
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use "
                         + ", ".join(f"{{{name}}}" for name in sorted(allowed)))
    return text


def _figure_text(text: str) -> str:
    if not text.strip():
        raise ValueError("an empty sentence")
    return _check_fields(text, FIGURE_FIELDS)


class ReportbackFigure(_Strict):
    """One figure of the message and its guide in each destination."""

    measure: str
    guides: dict[CountryCode, Slug] = Field(min_length=1)
    """Destination -> the id of its article on this problem (``crosscheck``-ed)."""

    @field_validator("measure")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in measures():
            raise ValueError(f"unknown measure '{value}'; use one of: {', '.join(measures())}")
        return value


class ReportbackFigures(_Strict):
    """``figures.yaml``: ``figures: [...]``, each measure once."""

    figures: list[ReportbackFigure] = Field(min_length=1)

    @model_validator(mode="after")
    def _once(self) -> Self:
        seen = [figure.measure for figure in self.figures]
        twice = sorted({measure for measure in seen if seen.count(measure) > 1})
        if twice:
            raise ValueError(f"measure '{twice[0]}' is listed twice")
        return self


class ReportbackWords(_Strict):
    """``<locale>.yaml``: the words of one language."""

    review_needed: bool
    intro: str = Field(min_length=1)
    figures: dict[str, Annotated[str, AfterValidator(_figure_text)]] = Field(min_length=1)
    """Measure -> its sentence (every measure of ``figures.yaml``)."""
    closing: str = ""

    @field_validator("intro")
    @classmethod
    def _intro(cls, value: str) -> str:
        return _check_fields(value, INTRO_FIELDS)

    @field_validator("closing")
    @classmethod
    def _closing(cls, value: str) -> str:
        return _check_fields(value, CLOSING_FIELDS)


@dataclass(frozen=True)
class Reportback:
    """The loaded report-back content: its figures, and the words by locale."""

    figures: tuple[ReportbackFigure, ...]
    words: Mapping[str, ReportbackWords] = field(default_factory=dict)

    def words_for(self, locale: str, default: str) -> tuple[str, ReportbackWords] | None:
        """The words of ``locale``, else of ``default``, with the locale they are in."""
        for code in (locale, default):
            found = self.words.get(code)
            if found is not None:
                return code, found
        return None
