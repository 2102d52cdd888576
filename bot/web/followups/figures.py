"""Promise against reality on the portal's agency page, under disclosure control.

The share of workers who rated an agency before leaving and then, in a check-in
after arrival, found the job or the wage different from what was promised
(``followups.promise``). Like every figure derived from reports, it is shown
only when at least ``MIN_REPORTERS`` distinct people make it up, as a whole
percent (``recruiter_reports.disclosure.rounded_share``), and below that
nothing is shown, not even how many answered. And, as for the ratings
(``recruiter_reports.publication``), what is shown is the last publication, which is
refreshed only once ``k`` more people have answered: two figures one check-in apart
would tell that check-in's answer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from followups import FollowupStore, FollowupsUnavailable
from followups.promise import promise_reality
from recruiter_reports.disclosure import Withheld, check_k, rounded_share
from recruiter_reports.publication import due_after

__all__ = [
    "PROMISES", "PROMISE_COLUMNS", "PromiseFigure", "PromiseFigures", "promise_cells",
    "promise_json",
]


@dataclass(frozen=True, slots=True)
class PromiseFigure:
    shown: bool
    reporters: int | None = None
    """Only when shown: below ``k`` no count is ever given."""
    share: float | None = None
    unavailable: bool = False
    """The follow-up store did not answer: the page says so instead of failing."""

    @property
    def withheld(self) -> Withheld | None:
        """Why nothing is shown, when the store answered: too few people (below ``k``)."""
        return None if self.shown or self.unavailable else Withheld.TOO_FEW_REPORTERS


class PromiseFigures:
    """Reads the check-ins of an agency and discloses promise against reality."""

    def __init__(self, store: FollowupStore, k: int) -> None:
        self._store = store
        self._k = check_k(k)

    async def figure(self, recruiter_id: str,
                     destinations: Collection[str] | None = None) -> PromiseFigure:
        """``destinations``: the account sees only check-ins of people who went there
        (None: all of the agency's)."""
        try:
            answers = await self._store.answers_for(recruiter_id)
        except FollowupsUnavailable:
            return PromiseFigure(False, unavailable=True)
        if destinations is not None:
            answers = [a for a in answers if a.destination in destinations]
        counted = promise_reality(answers)
        if counted.reporters < self._k:
            return PromiseFigure(False)
        key = recruiter_id if destinations is None else \
            recruiter_id + "|" + ",".join(sorted(destinations))
        try:
            last = await self._store.published(key)
            if due_after(counted.reporters, None if last is None else last[0], self._k):
                await self._store.publish(key, counted.reporters, counted.different)
                last = (counted.reporters, counted.different)
        except FollowupsUnavailable:
            return PromiseFigure(False, unavailable=True)
        assert last is not None
        reporters, different = last
        return PromiseFigure(True, reporters, rounded_share(different, reporters))


PROMISES = web.AppKey("followup_promises", PromiseFigures)
"""Set on the main app when follow-ups are on; the portal reads it through ``config_dict``."""


PROMISE_COLUMNS = ("promise_reporters", "promise_different_share", "promise_withheld")
"""The export's columns for promise against reality (empty: not shown, or not counted)."""


def promise_json(figure: PromiseFigure | None) -> dict[str, Any] | None:
    """The API's and the JSON export's view; None when it is not counted here (follow-ups
    off, or an export of one destination). Below ``k`` both numbers are null."""
    if figure is None:
        return None
    return {
        "shown": figure.shown, "reporters": figure.reporters,
        "different_share": figure.share,
        "withheld": None if figure.withheld is None else figure.withheld.value,
        "unavailable": figure.unavailable,
    }


def promise_cells(figure: PromiseFigure | None) -> list[str]:
    """The CSV export's cells under ``PROMISE_COLUMNS``."""
    if figure is None:
        return ["", "", ""]
    reason = "unavailable" if figure.unavailable else \
        (figure.withheld.value if figure.withheld is not None else "")
    return [
        "" if figure.reporters is None else str(figure.reporters),
        "" if figure.share is None else str(figure.share),
        reason,
    ]
