"""The agency list as filtered and sorted: one function for the portal page, exports and API.

Filtering and sorting read only disclosed figures: an agency whose figure is
withheld never matches a "at least N%" filter and sorts last, so neither
tells anything about the withheld value.
"""

from __future__ import annotations

from bot.web.portal.data import AgencyRow, PortalData
from bot.web.portal.query import ABOVE_LIMIT, ListQuery
from bot.web.portal.scope import Refused, listing_origins, require
from recruiter_reports.stakeholders import Account, Permission, can, sees_country

__all__ = ["agency_rows", "figure"]


async def agency_rows(
    data: PortalData, account: Account, query: ListQuery, *, quarters: bool = False
) -> list[AgencyRow]:
    """The rows the account may see for ``query``, filtered and sorted (or Refused).

    ``quarters`` adds each row's figures by quarter (the exports), for a role that may
    see breakdowns.
    """
    require(account, Permission.SUMMARIES)
    origins = listing_origins(account, data.origins, query.origin, query.destination)
    if query.destination is not None and not can(account, Permission.BREAKDOWNS):
        # A destination filter shows each agency's cell for that destination: a breakdown
        # the agency page withholds from this role, unless the account sees those agencies
        # only through that destination (then the cell is all it sees of them anyway).
        if any(sees_country(account, origin) for origin in origins):
            raise Refused(
                f"your role ({account.role.value}) does not include figures by destination; "
                "leave the destination out to see each agency's total"
            )
    quarters = quarters and can(account, Permission.BREAKDOWNS)
    rows = await data.agencies(origins, query.destination, query.q, query.status, query.period,
                               quarters=quarters)  # fmt: skip
    if query.min_above_limit is not None:
        rows = [r for r in rows if _at_least(figure(r, ABOVE_LIMIT), query.min_above_limit)]
    if query.min_passport_kept is not None:
        rows = [r for r in rows if _at_least(figure(r, "passport_kept"), query.min_passport_kept)]
    return _sorted(rows, query.sort)


def figure(row: AgencyRow, key: str) -> float | None:
    """The disclosed value a row sorts or filters by (None when withheld)."""
    if key == "reporters":
        return row.disclosed.reporters
    if key == ABOVE_LIMIT:
        return row.fees.above
    found = row.disclosed.indicators.get(key)
    return None if found is None else found.share


def _at_least(value: float | None, percent: int) -> bool:
    return value is not None and round(value * 100) >= percent


def _sorted(rows: list[AgencyRow], sort: str) -> list[AgencyRow]:
    if sort == "name":
        return sorted(rows, key=lambda row: row.agency.name.casefold())

    def key(row: AgencyRow) -> tuple[bool, float, str]:
        value = figure(row, sort)
        # Withheld values last; the highest first.
        return (value is None, -(value or 0), row.agency.name.casefold())

    return sorted(rows, key=key)
