"""Consented check-ins at 30 and 90 days after arrival, and their durable delivery queue.

- ``models``: enrolments (sealed reply address only), jobs, check-in answers;
- ``schedule``: when check-ins are due;
- ``port``: the ``FollowupStore`` protocol; ``stores``: memory, SQLite, MongoDB adapters;
- ``promise``: promise against reality per agency, from the check-ins.

This package never imports ``bot`` nor another domain: it receives sealed bytes and
plain answers, and the bot's layers decide wording, sealing and disclosure.
"""

from followups.models import (
    CONSENT_VERSION,
    CheckinAnswers,
    Enrolment,
    Job,
    JobKind,
    JobStatus,
    Sealer,
    Stage,
    address_context,
)
from followups.port import FollowupStore, FollowupsUnavailable

__all__ = [
    "CONSENT_VERSION",
    "CheckinAnswers",
    "Enrolment",
    "FollowupStore",
    "FollowupsUnavailable",
    "Job",
    "JobKind",
    "JobStatus",
    "Sealer",
    "Stage",
    "address_context",
]
