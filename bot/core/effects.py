"""What a turn asks the world to change: typed effects, applied by the runner.

The engine never writes. A screen that must change something beyond the
conversation state (consent, a rating, erasing a person) emits an effect with
``Ctx.emit``; the runner applies the turn's effects and its new state in one
unit of work, so a turn happens whole or not at all.

Every effect is a frozen dataclass deriving from ``Effect``, so the applier
dispatches on its type and new ones (``OpenCase``, ``ScheduleCheckIn``) are a
new class here plus one applier where the stores are known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from recruiter_reports.reports import Report

__all__ = ["Effect", "Forget", "GiveConsent", "SubmitReport", "WithdrawConsent"]


@dataclass(frozen=True, slots=True)
class Effect:
    """The base of every effect: a change the turn asks for, about the person of the turn."""


@dataclass(frozen=True, slots=True)
class GiveConsent(Effect):
    """The person accepted consent text ``version`` at ``at`` (UTC)."""

    version: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class WithdrawConsent(Effect):
    """The person took their consent back: it and the ratings given under it go."""


@dataclass(frozen=True, slots=True)
class SubmitReport(Effect):
    """Store the person's rating (already scrubbed and checked by the ratings rules).

    ``held`` keeps it out of the totals until a moderator accepts it;
    ``reporter_since`` is when the person first consented; ``publish``: with it the
    agency has grown by ``k`` reporters since its last publication, so its new
    counts are published (``recruiter_reports.publication``).
    """

    report: Report
    held: bool
    reporter_since: dt.datetime
    publish: bool = False


@dataclass(frozen=True, slots=True)
class Forget(Effect):
    """Erase everything linked to the person; the runner saves no state after it."""
