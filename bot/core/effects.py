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
from dataclasses import dataclass, field

from recruiter_reports.reports import Report

__all__ = [
    "AddCaseMessage",
    "CaseText",
    "CloseCase",
    "Effect",
    "Forget",
    "GiveConsent",
    "OpenCase",
    "SaveCheckin",
    "ScheduleFollowups",
    "SetCaseContact",
    "StopFollowups",
    "SubmitReport",
    "WithdrawConsent",
]


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
    ``reporter_since`` is when the person first consented; ``publish`` is ``k``
    when the rating's cell (agency, destination, quarter) is due for a new publication,
    so its new counts are published if the rule still holds once the rating is stored
    (``recruiter_reports.publication``).
    """

    report: Report
    held: bool
    reporter_since: dt.datetime
    publish: int | None = None


@dataclass(frozen=True, slots=True)
class Forget(Effect):
    """Erase everything linked to the person; the runner saves no state after it."""


@dataclass(frozen=True, slots=True)
class CaseText:
    """What the person sent into a case: text, or a voice note's channel reference.

    Held in memory only: the applier seals it before anything is stored, and
    ``repr`` never shows it (an effect may end up in a log line).
    """

    message_id: str
    at: dt.datetime
    text: str = field(default="", repr=False)
    voice_ref: str | None = field(default=None, repr=False)
    """The channel's reference to a voice note (a Telegram file id, a WhatsApp media id)."""


@dataclass(frozen=True, slots=True)
class OpenCase(Effect):
    """Open a case for ``partner_id`` with the person's first message, under the consent
    ``consent_version`` given at ``consent_at``. The runner seals the message and the
    address a reply goes back to (the channel and its raw user id, which only it knows)."""

    case_id: str
    partner_id: str
    at: dt.datetime
    consent_version: str
    consent_at: dt.datetime
    locale: str
    country: str | None
    urgent: bool
    danger: str | None
    first: CaseText


@dataclass(frozen=True, slots=True)
class AddCaseMessage(Effect):
    """Another message from the person into their open case."""

    case_id: str
    message: CaseText


@dataclass(frozen=True, slots=True)
class SetCaseContact(Effect):
    """The person asked to be contacted outside the chat, at ``contact`` (sealed when stored)."""

    case_id: str
    at: dt.datetime
    contact: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class CloseCase(Effect):
    """The person closed their case; ``withdrawn``: they took back their consent for it."""

    case_id: str
    at: dt.datetime
    withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class ScheduleFollowups(Effect):
    """The person agreed (consent ``consent_version`` at ``at``) to check-ins about
    ``recruiter_id`` 30 and 90 days after arriving (``stage``, ``month``: see
    ``followups.models``). The runner seals the reply address, which only it knows."""

    recruiter_id: str
    origin: str | None
    stage: str
    month: str
    consent_version: str
    at: dt.datetime
    locale: str
    destination: str | None = None
    """Where they work or will work: with ``origin``, their report-back corridor."""


@dataclass(frozen=True, slots=True)
class StopFollowups(Effect):
    """``/stop``: no more check-ins; the sealed address goes with them."""


@dataclass(frozen=True, slots=True)
class SaveCheckin(Effect):
    """One check-in's answers (question field -> True/False, 1-5, None), linked to the
    earlier report about the agency: ``reported`` (there was one) and ``promised`` (what it
    said of the job and salary)."""

    recruiter_id: str
    round: str
    at: dt.datetime
    answers: tuple[tuple[str, bool | int | None], ...]
    reported: bool
    promised: bool | None
    destination: str | None = None
