"""Fee bands of an origin country as words: "Less than KES 10,000", "I paid nothing".

The bands come from the origin's ``country.yaml`` (``fee_bands``, upper bound
exclusive); amounts are written with the currency code by Babel in the reader's
locale, which is what receipts and adverts show. The chat and the portal both
word bands here, so a band reads the same to a worker and to an official.
"""

from __future__ import annotations

from babel.numbers import format_currency

from bot.content import Country
from bot.content.models import FeeRuleKind
from bot.i18n import Translator
from recruiter_reports.reports import NO_FEE


def band_ids(country: Country | None) -> list[str]:
    """The origin's band ids, lowest first (empty when the country has none)."""
    return [band.id for band in country.fee_bands] if country else []


def band_label(
    country: Country | None, band_id: str, t: Translator, *, compact: bool = False
) -> str:
    """Words for one band; an unknown id is shown as it is rather than hidden.

    ``compact`` names the currency once ("KES 100,000–199,999"), so the
    answer buttons fit a WhatsApp row (24 characters) without being cut.
    """
    if band_id == NO_FEE:
        return t("I paid nothing")
    if country is None:
        return band_id
    rule = country.fee_rule
    cap = rule.cap if rule is not None and rule.kind == FeeRuleKind.CAP else None
    low = 0
    for band in country.fee_bands:
        if band.id == band_id:
            return _range(t, country.currency, low, band.max, cap, compact=compact)
        low = band.max if band.max is not None else low
    return band_id


def _range(
    t: Translator, currency: str, low: int, high: int | None, cap: int | None,
    *, compact: bool = False,
) -> str:
    if high is None:
        return t("{amount} or more", amount=_money(t, currency, low))
    if low <= 1 and cap is not None and high - 1 == cap:
        # The band that ends at the legal cap says so: paying exactly the cap is legal.
        return t("Up to {amount}", amount=_money(t, currency, cap))
    if low <= 1:
        return t("Less than {amount}", amount=_money(t, currency, high))
    if compact:
        # TRANSLATORS: a fee range on an answer button, 24 characters at most in all:
        # "KES 100,000–199,999" (the currency is named once).
        return t("{low}–{high}", low=_money(t, currency, low), high=t.isolate(t.number(high - 1)))
    return t("{low} to {high}", low=_money(t, currency, low), high=_money(t, currency, high - 1))


def _money(t: Translator, currency: str, amount: int) -> str:
    text = format_currency(
        amount, currency, format="¤¤ #,##0", locale=t.locale, currency_digits=False
    )
    return t.isolate(text)
