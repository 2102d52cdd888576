"""Fees in money and against the law, for the portal, the exports and the API.

The arithmetic of bands and limits is ``bot.core.fees``; this module turns a
group's fee answers into what may be shown of them: the typical band as an
amount range in the origin's currency, the rules of the origin and of the
destinations with their sources, and the share of those who said what they
paid whose whole band lies above the legal limit. A band holding the limit
(partly legal, partly not) is counted apart as "straddles", and answers with
no sourced limit apart as "unknown": neither is guessed to one side.

These shares are derived from the same fee answers as the typical band, so
they are shown exactly when disclosure shows the fee figure of the group
(at least ``k`` answered, complementary suppression in breakdowns), and
withheld, with the same reason, when it does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.content import Country
from bot.content.models import FeeRuleKind
from bot.core.fees import BandRange, FeeTally, band_range, tally
from recruiter_reports.disclosure import Disclosed, Withheld, rounded_share

__all__ = ["FeeLaw", "LegalRule", "fee_law", "fee_law_of", "rules"]


@dataclass(frozen=True, slots=True)
class LegalRule:
    """What one country's law lets an agency charge a worker, and where that is written."""

    country: str
    kind: FeeRuleKind
    cap: int | None
    currency: str
    text: Mapping[str, str]
    source_title: str
    source_url: str | None
    source_date: str | None
    confidence: str

    def words(self, locale: str) -> str:
        return self.text.get(locale) or self.text.get("en") or next(iter(self.text.values()), "")


@dataclass(frozen=True, slots=True)
class FeeLaw:
    """A group's fees: the typical band's amounts and the shares against the legal limit.

    Every share is None when withheld (``withheld`` says why) or, for the band,
    when nobody paid anything.
    """

    band: BandRange | None = None
    answered: int | None = None
    above: float | None = None
    straddles: float | None = None
    unknown: float | None = None
    withheld: Withheld | None = None


def rules(countries: Iterable[Country | None]) -> list[LegalRule]:
    """The fee rules of these countries (origin first, then destinations), each with its source."""
    found: list[LegalRule] = []
    seen: set[str] = set()
    for country in countries:
        if country is None or country.fee_rule is None or country.code in seen:
            continue
        seen.add(country.code)
        rule, source = country.fee_rule, country.fee_rule.source
        date = source.date
        found.append(LegalRule(
            country=country.code, kind=rule.kind, cap=rule.cap, currency=country.currency,
            text=dict(rule.text), source_title=source.title,
            source_url=str(source.url) if source.url else None,
            source_date=date.isoformat() if isinstance(date, dt.date) else _text(date),
            confidence=str(rule.confidence),
        ))  # fmt: skip
    return found


def fee_law(
    disclosed: Disclosed,
    origin: Country | None,
    bands_by_destination: Mapping[str, Mapping[str, int]],
    countries: Mapping[str, Country],
) -> FeeLaw:
    """What may be shown of a group's fees, given its fee answers split by destination.

    ``bands_by_destination`` must be the group's own answers (destination code,
    or ``""`` when not said, -> band -> reporters); it is read only when the
    disclosed fee figure is shown.
    """
    counted = tally(origin, bands_by_destination, countries)
    return fee_law_of(disclosed, origin, counted)


def fee_law_of(disclosed: Disclosed, origin: Country | None, counted: FeeTally) -> FeeLaw:
    """``fee_law`` from fee answers already counted against their limits (``tally``).

    The sector overview counts each origin's answers with its own bands and adds
    the tallies up; ``origin`` then only names the typical band's currency (None
    when the overview covers several origins, whose bands differ).
    """
    fee = disclosed.fee
    if not disclosed.shown or fee is None:
        return FeeLaw(withheld=disclosed.withheld or Withheld.TOO_FEW_REPORTERS)
    if fee.withheld is not None or not fee.answered:
        return FeeLaw(withheld=fee.withheld or Withheld.TOO_FEW_ANSWERS)
    answered = counted.answered or fee.answered
    return FeeLaw(
        band=band_range(origin, fee.band) if fee.band is not None else None,
        answered=fee.answered,
        above=rounded_share(counted.above, answered),
        straddles=rounded_share(counted.straddles, answered),
        unknown=rounded_share(counted.unknown, answered),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
