"""Promise against reality on the portal's agency page, under disclosure control.

The share of workers who rated an agency before leaving and then, in a check-in
after arrival, found the job or the wage different from what was promised
(``followups.promise``). Like every figure derived from reports, it is shown
only when at least ``MIN_REPORTERS`` distinct people make it up, as a whole
percent (``recruiter_reports.disclosure.rounded_share``), and below that
nothing is shown, not even how many answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from followups import FollowupStore, FollowupsUnavailable
from followups.promise import promise_reality
from recruiter_reports.disclosure import check_k, rounded_share

__all__ = ["PROMISES", "PromiseFigure", "PromiseFigures"]


@dataclass(frozen=True, slots=True)
class PromiseFigure:
    shown: bool
    reporters: int | None = None
    """Only when shown: below ``k`` no count is ever given."""
    share: float | None = None
    unavailable: bool = False
    """The follow-up store did not answer: the page says so instead of failing."""


class PromiseFigures:
    """Reads the check-ins of an agency and discloses promise against reality."""

    def __init__(self, store: FollowupStore, k: int) -> None:
        self._store = store
        self._k = check_k(k)

    async def figure(self, recruiter_id: str) -> PromiseFigure:
        try:
            answers = await self._store.answers_for(recruiter_id)
        except FollowupsUnavailable:
            return PromiseFigure(False, unavailable=True)
        counted = promise_reality(answers)
        if counted.reporters < self._k:
            return PromiseFigure(False)
        return PromiseFigure(True, counted.reporters,
                             rounded_share(counted.different, counted.reporters))


PROMISES = web.AppKey("followup_promises", PromiseFigures)
"""Set on the main app when follow-ups are on; the portal reads it through ``config_dict``."""
