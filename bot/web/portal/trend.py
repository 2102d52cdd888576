"""The trend by quarter on an agency page: passports kept and fees above the legal limit.

Each point is a quarter's figure as ``bot.web.portal.periods`` builds it (the
shown parts of that quarter's cells, disclosed again), so a point is either a
share of at least ``k`` workers or a gap with the reason in the table beside
the chart.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from bot.i18n import Translator
from bot.web.portal.charts import Series, line_chart
from bot.web.portal.fee_law import FeeLaw
from bot.web.portal.present import percent
from recruiter_reports.disclosure import Disclosed

__all__ = ["trend"]


def trend(
    t: Translator, by_quarter: Mapping[str, Disclosed], fees: Mapping[str, FeeLaw]
) -> Markup:
    """The SVG line chart of the agency's quarters, oldest first."""
    quarters = sorted(by_quarter)
    passport: list[float | None] = []
    above: list[float | None] = []
    for quarter in quarters:
        cell = by_quarter[quarter]
        figure = cell.indicators.get("passport_kept") if cell.shown else None
        passport.append(figure.share if figure is not None else None)
        law = fees.get(quarter)
        above.append(law.above if law is not None else None)
    series = [
        Series(t("Passport kept"), "passport", passport),
        Series(t("Paid above the legal limit"), "above-limit", above),
    ]
    desc = "; ".join(
        f"{quarter}: {line.label} "
        f"{percent(value) if value is not None else t('not shown')}"
        for line in series for quarter, value in zip(quarters, line.values, strict=True)
    )  # fmt: skip
    return line_chart("trend", t("By quarter"), quarters, series, desc)
