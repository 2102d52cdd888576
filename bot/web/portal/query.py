"""Reading the filters of a list, a chart or an export: one parser for the portal and the API.

A value that cannot be understood is refused with ``BadQuery`` naming the
accepted forms (the portal answers 400 in text, the API 400 in JSON); it is
never silently ignored, so an official never reads an unfiltered figure as a
filtered one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from recruiter_reports import questionnaire
from recruiter_reports.quarters import Period, parse_period
from recruiter_reports.registry import LicenceStatus

__all__ = ["ABOVE_LIMIT", "BadQuery", "ListQuery", "country", "list_query", "period", "sorts"]

ABOVE_LIMIT = "above_limit"
"""Sort key: share of those who said what they paid whose band is above the legal limit."""


class BadQuery(ValueError):
    """A filter value that cannot be understood; the message says what is accepted."""


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The agency list's filters and order, as given."""

    origin: str | None = None
    destination: str | None = None
    q: str | None = None
    status: str | None = None
    sort: str = "name"
    min_above_limit: int | None = None
    """Whole percent: keep agencies whose share above the legal limit is at least this."""
    min_passport_kept: int | None = None
    """Whole percent: keep agencies whose share of passports kept is at least this."""
    period: Period | None = None

    def as_filters(self) -> dict[str, str]:
        """The filters as the form and the exports echo them."""
        period = self.period
        return {
            "origin": self.origin or "", "destination": self.destination or "",
            "q": self.q or "", "status": self.status or "", "sort": self.sort,
            "min_above_limit": _text(self.min_above_limit),
            "min_passport_kept": _text(self.min_passport_kept),
            "since": str(period.first) if period and period.first else "",
            "until": str(period.last) if period and period.last else "",
        }  # fmt: skip


def sorts() -> tuple[str, ...]:
    """What the agency list can be sorted by: name, reporters, any indicator, above the limit."""
    return ("name", "reporters", *questionnaire.current().indicators, ABOVE_LIMIT)


def country(query: Mapping[str, str], name: str) -> str | None:
    value = query.get(name, "").strip().upper()
    if not value:
        return None
    if len(value) != 2 or not value.isalpha():
        raise BadQuery(f"{name} must be a two-letter country code")
    return value


def period(query: Mapping[str, str]) -> Period | None:
    """The ``since``/``until``/``quarter`` filter (whole quarters), or None."""
    try:
        return parse_period(query.get("since"), query.get("until"), query.get("quarter"))
    except ValueError as error:
        raise BadQuery(str(error)) from None


def list_query(query: Mapping[str, str]) -> ListQuery:
    """Every filter of the agency list, or BadQuery for the first value not understood."""
    status = query.get("status", "").strip() or None
    if status is not None and status not in {s.value for s in LicenceStatus}:
        known = ", ".join(s.value for s in LicenceStatus)
        raise BadQuery(f"unknown licence status; one of {known}")
    sort = query.get("sort", "").strip() or "name"
    if sort not in sorts():
        raise BadQuery(f"sort must be one of {', '.join(sorts())}")
    return ListQuery(
        origin=country(query, "origin"), destination=country(query, "destination"),
        q=query.get("q", "").strip()[:100] or None, status=status, sort=sort,
        min_above_limit=_percent(query, "min_above_limit"),
        min_passport_kept=_percent(query, "min_passport_kept"),
        period=period(query),
    )  # fmt: skip


def _percent(query: Mapping[str, str], name: str) -> int | None:
    value = query.get(name, "").strip().rstrip("%")
    if not value:
        return None
    if not value.isdigit() or int(value) > 100:
        raise BadQuery(f"{name} must be a whole percent from 0 to 100")
    return int(value)


def _text(value: int | None) -> str:
    return "" if value is None else str(value)
