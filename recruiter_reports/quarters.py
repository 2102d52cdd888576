"""Calendar quarters: the unit of time in which figures are published and filtered.

Figures over time are kept by quarter (UTC), and a period asked for is a run
of whole quarters. Arbitrary dates are refused rather than rounded: two date
ranges a day apart could be subtracted to single out the reports of that day,
while quarters are cells that disclosure control protects like any breakdown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["ACCEPTED", "Period", "Quarter", "parse_period"]

ACCEPTED = (
    "a quarter like 2026Q3; since: the first day of a quarter (2026-07-01) or a quarter; "
    "until: the last day of a quarter (2026-09-30) or a quarter"
)
"""The accepted forms, as a bad request states them."""

_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """One calendar quarter, e.g. ``Quarter(2026, 3)`` is written ``2026Q3``."""

    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @classmethod
    def of(cls, moment: dt.datetime | dt.date) -> Quarter:
        """The quarter a moment falls in (a datetime is read in UTC)."""
        if isinstance(moment, dt.datetime):
            moment = moment.astimezone(dt.UTC).date()
        return cls(moment.year, (moment.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        found = _QUARTER.match(text.strip())
        if found is None:
            raise ValueError(f"{text!r} is not a quarter like 2026Q3")
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        following = self.next()
        return following.first_day - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


@dataclass(frozen=True, slots=True)
class Period:
    """A run of whole quarters, ``first`` to ``last`` inclusive; either end may be open."""

    first: Quarter | None = None
    last: Quarter | None = None

    def holds(self, quarter: Quarter) -> bool:
        return (self.first is None or quarter >= self.first) and (
            self.last is None or quarter <= self.last
        )

    def __str__(self) -> str:
        if self.first is not None and self.first == self.last:
            return str(self.first)
        return f"{self.first or '…'}–{self.last or '…'}"


def parse_period(since: str | None, until: str | None, quarter: str | None) -> Period | None:
    """The period of the ``since``/``until``/``quarter`` query values; None when none is given.

    Raises ValueError naming the value and the accepted forms (``ACCEPTED``).
    """
    since, until, quarter = (_blank(since), _blank(until), _blank(quarter))
    if quarter is not None:
        if since is not None or until is not None:
            raise ValueError(f"give quarter, or since and until, not both ({ACCEPTED})")
        one = _quarter("quarter", quarter)
        return Period(one, one)
    if since is None and until is None:
        return None
    first = None if since is None else _end("since", since, start=True)
    last = None if until is None else _end("until", until, start=False)
    if first is not None and last is not None and first > last:
        raise ValueError(f"since ({first}) is after until ({last})")
    return Period(first, last)


def _end(name: str, text: str, *, start: bool) -> Quarter:
    if not _DATE.match(text):
        return _quarter(name, text)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a date ({ACCEPTED})") from None
    found = Quarter.of(day)
    if day != (found.first_day if start else found.last_day):
        edge = found.first_day if start else found.last_day
        raise ValueError(
            f"{name}={text} is inside {found}: figures are kept by whole quarter, so use "
            f"{edge.isoformat()} or {found} ({ACCEPTED})"
        )
    return found


def _quarter(name: str, text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not understood ({ACCEPTED})") from None


def _blank(value: str | None) -> str | None:
    return None if value is None or not value.strip() else value.strip()
