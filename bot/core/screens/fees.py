"""Fee bands of an origin country as words: "Less than KES 10,000", "I paid nothing".

The bands come from the origin's ``country.yaml`` (``fee_bands``, upper bound
exclusive); amounts are written with the currency code by Babel in the
person's locale, which is what receipts and adverts show.
"""

from __future__ import annotations

from babel.numbers import format_currency

from bot.core.context import Ctx
from recruiter_reports.reports import NO_FEE


def band_ids(ctx: Ctx, origin: str) -> list[str]:
    """The origin's band ids, lowest first (empty when the country has none)."""
    country = ctx.content.country(origin)
    return [band.id for band in country.fee_bands] if country else []


def band_label(ctx: Ctx, origin: str, band_id: str) -> str:
    """Words for one band; an unknown id is shown as it is rather than hidden."""
    country = ctx.content.country(origin)
    if band_id == NO_FEE:
        return ctx.t("I paid nothing")
    if country is None:
        return band_id
    low = 0
    for band in country.fee_bands:
        if band.id == band_id:
            return _range(ctx, country.currency, low, band.max)
        low = band.max if band.max is not None else low
    return band_id


def _range(ctx: Ctx, currency: str, low: int, high: int | None) -> str:
    if high is None:
        return ctx.t("{amount} or more", amount=_money(ctx, currency, low))
    if low <= 1:
        return ctx.t("Less than {amount}", amount=_money(ctx, currency, high))
    return ctx.t(
        "{low} to {high}", low=_money(ctx, currency, low), high=_money(ctx, currency, high - 1)
    )


def _money(ctx: Ctx, currency: str, amount: int) -> str:
    text = format_currency(
        amount, currency, format="¤¤ #,##0", locale=ctx.locale, currency_digits=False
    )
    return ctx.t.isolate(text)
