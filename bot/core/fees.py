"""Fee bands of an origin country and what the law says of them: the one place for both.

The bands come from the origin's ``country.yaml`` (``fee_bands``, upper bound
exclusive), so a band is an amount range in the origin's currency. Everything
that words a band, gives its amounts, or compares it with the law goes through
here: the chat's answer buttons and thank-you screen, the portal's pages, the
CSV and JSON exports and the API. A band then reads the same to a worker and
to an official, and "above the legal limit" means the same everywhere.

The legal limit for a report is the strictest rule we hold a source for: the
destination forbidding every recruitment fee (``fee_rule.kind: none``) makes
it zero; so does the origin forbidding it; an origin cap (``kind: cap``, in the
origin's currency, exactly the cap being legal) is that cap. A destination's
cap would be in its own currency and is not converted: the bot never claims
what it cannot know. With no sourced rule the limit is unknown, and a band is
never called legal or illegal against it. A band whose range holds the limit
(some of it legal, some not) "straddles" it: it is reported as such, never
guessed to one side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from babel.numbers import format_currency

from bot.content import Country
from bot.content.models import FeeRuleKind
from bot.i18n import Translator
from recruiter_reports.reports import NO_FEE

__all__ = [
    "BandRange",
    "FeeTally",
    "Legality",
    "band_ids",
    "band_label",
    "band_range",
    "fee_against_the_law",
    "legal_limit",
    "legality",
    "tally",
]


@dataclass(frozen=True, slots=True)
class BandRange:
    """One band as amounts in the origin's currency: ``low`` to ``high`` inclusive.

    ``high`` is None for the open top band ("200,000 or more").
    """

    id: str
    currency: str
    low: int
    high: int | None


class Legality(StrEnum):
    """Where a band lies against the legal limit."""

    WITHIN = "within"
    """Every amount in the band is allowed."""
    ABOVE = "above"
    """Every amount in the band is more than the law allows."""
    STRADDLES = "straddles"
    """The band holds both allowed amounts and amounts above the limit."""
    UNKNOWN = "unknown"
    """No sourced rule, or a band id the origin does not define."""


def band_ids(country: Country | None) -> list[str]:
    """The origin's band ids, lowest first (empty when the country has none)."""
    return [band.id for band in country.fee_bands] if country else []


def band_range(country: Country | None, band_id: str) -> BandRange | None:
    """The amounts a band stands for; None for a band the origin does not define."""
    if country is None:
        return None
    if band_id == NO_FEE and all(band.id != NO_FEE for band in country.fee_bands):
        return BandRange(NO_FEE, country.currency, 0, 0)
    low = 0
    for band in country.fee_bands:
        if band.id == band_id:
            high = None if band.max is None else band.max - 1
            return BandRange(band.id, country.currency, low, high)
        low = band.max if band.max is not None else low
    return None


def band_label(
    country: Country | None, band_id: str, t: Translator, *, compact: bool = False
) -> str:
    """Words for one band; an unknown id is shown as it is rather than hidden.

    ``compact`` names the currency once ("KES 100,000–199,999"), so the
    answer buttons fit a WhatsApp row (24 characters) without being cut.
    """
    if band_id == NO_FEE:
        return t("I paid nothing")
    found = band_range(country, band_id)
    if country is None or found is None:
        return band_id
    rule = country.fee_rule
    cap = rule.cap if rule is not None and rule.kind == FeeRuleKind.CAP else None
    return _range(t, country.currency, found.low, found.high, cap, compact=compact)


def legal_limit(origin: Country | None, destination: Country | None) -> int | None:
    """The most a worker may be charged, in the origin's currency; None when unknown."""
    for country in (destination, origin):
        rule = country.fee_rule if country is not None else None
        if rule is not None and rule.kind == FeeRuleKind.NONE:
            return 0
    rule = origin.fee_rule if origin is not None else None
    if rule is not None and rule.kind == FeeRuleKind.CAP:
        return rule.cap
    return None


def legality(band: BandRange | None, limit: int | None) -> Legality:
    """Whether the amounts of ``band`` are within, above or across ``limit``."""
    if band is None or limit is None:
        return Legality.UNKNOWN
    if band.high is not None and band.high <= limit:
        return Legality.WITHIN
    if band.low > limit:
        return Legality.ABOVE
    return Legality.STRADDLES


def fee_against_the_law(band_id: object, origin: Country | None, dest: Country | None) -> bool:
    """True only when the law is sure to be broken by the band paid (the chat's help)."""
    if not isinstance(band_id, str) or band_id == NO_FEE:
        return False
    limit = legal_limit(origin, dest)
    return legality(band_range(origin, band_id), limit) is Legality.ABOVE


@dataclass(frozen=True, slots=True)
class FeeTally:
    """How many of those who said what they paid lie where against the legal limit."""

    answered: int = 0
    above: int = 0
    straddles: int = 0
    unknown: int = 0


def tally(
    origin: Country | None,
    bands_by_destination: Mapping[str, Mapping[str, int]],
    countries: Mapping[str, Country],
) -> FeeTally:
    """Fee answers (destination code or ``""`` -> band -> reporters) against each one's limit."""
    answered = above = straddles = unknown = 0
    for code, bands in bands_by_destination.items():
        limit = legal_limit(origin, countries.get(code) if code else None)
        for band_id, count in bands.items():
            answered += count
            # Nothing paid is within any law, known or not.
            place = (
                Legality.WITHIN if band_id == NO_FEE
                else legality(band_range(origin, band_id), limit)
            )  # fmt: skip
            above += count if place is Legality.ABOVE else 0
            straddles += count if place is Legality.STRADDLES else 0
            unknown += count if place is Legality.UNKNOWN else 0
    return FeeTally(answered, above, straddles, unknown)


def _range(
    t: Translator,
    currency: str,
    low: int,
    high: int | None,
    cap: int | None,
    *,
    compact: bool = False,
) -> str:
    if high is None:
        return t("{amount} or more", amount=_money(t, currency, low))
    if low <= 1 and cap is not None and high == cap:
        # The band that ends at the legal cap says so: paying exactly the cap is legal.
        return t("Up to {amount}", amount=_money(t, currency, cap))
    if low <= 1:
        return t("Less than {amount}", amount=_money(t, currency, high + 1))
    if compact:
        # TRANSLATORS: a fee range on an answer button, 24 characters at most in all:
        # "KES 100,000–199,999" (the currency is named once).
        return t("{low}–{high}", low=_money(t, currency, low), high=t.isolate(t.number(high)))
    return t("{low} to {high}", low=_money(t, currency, low), high=_money(t, currency, high))


def _money(t: Translator, currency: str, amount: int) -> str:
    text = format_currency(
        amount, currency, format="¤¤ #,##0", locale=t.locale, currency_digits=False
    )
    return t.isolate(text)
