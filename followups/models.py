"""What the follow-ups keep: an enrolment per person, queued jobs, check-in answers.

Only what is needed to reach the person again and to make the answers count:

- ``Enrolment``: the pseudonym, the consent (version, time), the reply address
  *sealed* (``casework.sealing`` through the ``Sealer`` protocol; this package
  never sees it open), whether the person had left yet and the month they
  leave or arrived, the agency, their language.
- ``Job``: one message due at a time (a check-in 30 or 90 days after arrival):
  no text and no address, so the queue can be inspected without revealing anything.
- ``CheckinAnswers``: the answers of one check-in, linked to the agency of the
  person's earlier report and to what that report said of the job.
- ``Round`` and ``RoundMessage``: a quarter's report-back as an admin approved it, the
  words per corridor and language (aggregate figures only, never anyone's answers).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "CONSENT_VERSION",
    "CheckinAnswers",
    "Enrolment",
    "Job",
    "JobKind",
    "JobStatus",
    "Round",
    "RoundMessage",
    "Sealer",
    "Stage",
    "address_context",
]

CONSENT_VERSION = "followups-2026-12-rb"
"""The version of the words a person agrees to (``bot.core.screens.followups``): change it
when the words change, so each enrolment says which text it was given under."""

REPORTBACK_CONSENTS = frozenset({CONSENT_VERSION})
"""Consent versions whose words announced the quarterly report-back: only people who
agreed under one of them get it (``followups-2026-12`` spoke of check-ins only)."""


class Sealer(Protocol):
    """What sealing needs to offer here (``casework.sealing.Sealer`` fits it)."""

    def seal(self, plaintext: bytes, *, context: bytes = b"") -> bytes: ...

    def open(self, sealed: bytes, *, context: bytes = b"") -> bytes: ...


def address_context(pseudonym: str) -> bytes:
    """Binds a sealed reply address to the person it belongs to (copied elsewhere, it no
    longer opens)."""
    return b"followups:address:" + pseudonym.encode("ascii", "replace")


class Stage(enum.StrEnum):
    """Where the person was when they agreed."""

    BEFORE = "before"
    """Not left yet: ``month`` is the planned departure (arrival is taken as that month)."""
    ARRIVED = "arrived"
    """Just arrived: ``month`` is the month of arrival."""


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A person who asked to be asked again later (one per pseudonym; again replaces it)."""

    pseudonym: str
    consent_version: str
    consented_at: dt.datetime
    address: bytes = field(repr=False)
    """The sealed reply address (channel and raw user id), bound to ``address_context``."""
    stage: Stage
    month: str
    """``YYYY-MM``: planned departure (``BEFORE``) or arrival (``ARRIVED``)."""
    recruiter_id: str
    locale: str
    origin: str | None = None
    neutral: bool = False
    """Announce check-ins in neutral words ("You have a new message")."""
    destination: str | None = None
    """Where the person works or will work (their earlier report, else what they chose in
    the chat): with ``origin``, the corridor whose report-back they get."""
    last_round: str | None = None
    """The report-back round (a quarter, ``2026Q4``) last delivered to the person, so a
    round queued again never reaches them twice."""


class JobKind(enum.StrEnum):
    CHECKIN = "checkin"
    """A check-in; ``ref`` is its round ("30" or "90": days after arrival)."""
    REPORTBACK = "reportback"
    """A quarter's report-back; ``ref`` is the approved round (a quarter, ``2026Q4``)."""


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    """Due at ``due_at``: never tried, or tried and failing for a passing reason."""
    WAITING = "waiting"
    """Announced by a template (WhatsApp's window was closed): sent when the person writes."""
    STUCK = "stuck"
    """Refused in a way only an operator can fix (no template configured): tried again
    now and then."""


@dataclass(frozen=True, slots=True)
class Job:
    """One message to send when due. ``id`` is unique: queueing it twice keeps one."""

    id: str
    person: str
    kind: JobKind
    ref: str
    due_at: dt.datetime
    status: JobStatus = JobStatus.PENDING
    attempts: int = 0
    detail: str = ""
    """Why it is not sent yet, in an operator's words (never a message or an address)."""
    seen_at: dt.datetime | None = None
    """When the person last wrote, as ``wake`` heard it (opens WhatsApp's window)."""
    lease_until: dt.datetime | None = None
    owner: str = ""


def claimable(job: Job, now: dt.datetime) -> bool:
    """Due, not waiting for the person, not leased at ``now``."""
    return (
        job.status in {JobStatus.PENDING, JobStatus.STUCK}
        and job.due_at <= now
        and (job.lease_until is None or job.lease_until <= now)
    )


@dataclass(frozen=True, slots=True)
class CheckinAnswers:
    """One check-in's answers (one per person, agency and round; answering again replaces).

    ``answers`` maps a check-in question's field (``recruiter_reports.questionnaire``,
    ``Asked.CHECK_IN``) to True/False (yes/no), 1-5 (stars) or None (prefer not to say).
    ``reported`` is True when the person had rated this agency before (the link to the
    earlier report); ``promised`` is what that report said of the job and salary
    (True: as promised, False: not, None: not said).
    """

    pseudonym: str
    recruiter_id: str
    round: str
    at: dt.datetime
    answers: Mapping[str, bool | int | None]
    reported: bool = False
    promised: bool | None = None
    destination: str | None = None
    """Where the person went to work, as their earlier report said (officials scoped to a
    destination see only the check-ins of people who went there)."""


@dataclass(frozen=True, slots=True)
class RoundMessage:
    """The words one corridor and language get: ``guides`` are (article id, button label)."""

    text: str
    guides: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Round:
    """A quarter's report-back as approved: exactly the messages the admin saw.

    ``messages`` is keyed by ``reportback.message_key`` (origin, destination, locale).
    ``queued`` turns True once every job of the round is in the queue (a MongoDB
    approval interrupted half-way is finished by approving again).
    """

    id: str
    approved_at: dt.datetime
    approved_by: str
    """The portal account that approved it (a stakeholder, never a worker)."""
    messages: Mapping[str, RoundMessage]
    digest: str
    """What the admin previewed, hashed (``reportback.digest``)."""
    queued: bool = True
