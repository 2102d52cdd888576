"""Figures over time: every period, quarter and year built from what the agency page shows.

Two periods a quarter apart, or a period and the agency's total, could be
subtracted to single out a few reports, unless they are made of the same
protected cells. So the finest cells are an agency's reports by destination
and quarter, and:

- a destination's quarter cells are disclosed as a breakdown of that
  destination's cell (complementary suppression), and only for a destination
  the agency's breakdown by destination shows; a figure the destination cell
  withholds is withheld from its quarters too;
- a period (a quarter, a year, ``since``..``until``), with or without a
  destination, adds up only the shown figures of the cells it covers
  (``visible_part``), and that sum goes through ``disclose`` again.

Any difference between two published figures is then a union of cells that
are withheld together with at least ``k`` reporters, the same argument as the
sector overview's (``bot.web.portal.data``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recruiter_reports import questionnaire
from recruiter_reports.disclosure import Disclosed, disclose_breakdown
from recruiter_reports.quarters import Period, Quarter
from recruiter_reports.summaries import Summary, YesNo, sum_of

__all__ = ["Cells", "add", "visible_cells", "visible_part"]


@dataclass(frozen=True, slots=True)
class Cells:
    """An agency's shown (destination, quarter) cells, each reduced to its shown figures."""

    recruiter_id: str
    cells: Mapping[tuple[str, Quarter], Summary]

    def quarters(self) -> list[Quarter]:
        return sorted({quarter for _, quarter in self.cells})

    def window(
        self, period: Period | None, destination: str | None = None, *, year: int | None = None
    ) -> Summary:
        """The sum of the cells in ``period`` (all when None), of one destination or all,
        of one year or all."""
        total = Summary(recruiter_id=self.recruiter_id)
        for (code, quarter), cell in self.cells.items():
            if destination is not None and code != destination:
                continue
            if year is not None and quarter.year != year:
                continue
            if period is None or period.holds(quarter):
                total = add(total, cell, self.recruiter_id)
        return total

    def fee_bands(
        self, period: Period | None, destination: str | None = None
    ) -> dict[str, dict[str, int]]:
        """The window's fee answers by destination (for the share above the legal limit)."""
        found: dict[str, dict[str, int]] = {}
        for (code, quarter), cell in self.cells.items():
            if destination is not None and code != destination:
                continue
            if period is None or period.holds(quarter):
                bands = found.setdefault(code, {})
                for band, count in cell.fee_bands.items():
                    bands[band] = bands.get(band, 0) + count
        return found


def visible_cells(
    recruiter_id: str,
    fine: Mapping[str, Summary],
    destinations: Mapping[str, Summary],
    shown: Mapping[str, Disclosed],
    k: int,
    bands: Sequence[str],
) -> Cells:
    """The shown parts of an agency's ``destination_quarter`` cells (``"QA|2026Q3"``).

    ``destinations`` and ``shown`` are the agency's cells by destination, as
    counted and as disclosed.
    """
    by_destination: dict[str, dict[Quarter, Summary]] = {}
    for key, cell in fine.items():
        code, _, quarter = key.partition("|")
        by_destination.setdefault(code, {})[Quarter.parse(quarter)] = cell
    visible: dict[tuple[str, Quarter], Summary] = {}
    for code, quarters in by_destination.items():
        whole, disclosed = destinations.get(code), shown.get(code)
        if whole is None or disclosed is None or not disclosed.shown:
            continue
        named = {str(quarter): cell for quarter, cell in quarters.items()}
        cells = disclose_breakdown(named, whole, k, bands)
        for quarter, cell in quarters.items():
            figure = cells[str(quarter)]
            if figure.shown:
                visible[(code, quarter)] = visible_part(visible_part(cell, figure), disclosed)
    return Cells(recruiter_id, visible)


def visible_part(summary: Summary, shown: Disclosed) -> Summary:
    """The counts behind what ``shown`` displays: withheld figures contribute nothing."""
    indicators = {
        name: summary.indicators.get(name, YesNo())
        if shown.indicators.get(name) is not None and shown.indicators[name].withheld is None
        else YesNo()
        for name in questionnaire.current().indicators
    }
    keep_recommend = shown.recommend is not None and shown.recommend.withheld is None
    keep_fee = shown.fee is not None and shown.fee.withheld is None
    return Summary(
        recruiter_id=summary.recruiter_id,
        reporters=summary.reporters,
        indicators=indicators,
        fee_bands=dict(summary.fee_bands) if keep_fee else {},
        recommend_sum=summary.recommend_sum if keep_recommend else 0,
        recommend_count=summary.recommend_count if keep_recommend else 0,
    )


def add(left: Summary, right: Summary, label: str) -> Summary:
    """Counts of two disjoint groups together (a corridor of agencies, a run of quarters)."""
    return sum_of((left, right), label)
