"""The quarterly report-back: who gets a round, and its jobs in the queue.

Once a quarter an admin approves a round (``Round``): per corridor (origin ->
destination) and language, the message with what workers of that corridor
reported that quarter. Approving queues one job per person who agreed to it
(``REPORTBACK_CONSENTS``) and whose corridor has a message; the job's id is
the same however often the round is queued (``schedule.job_id``), and
``Enrolment.last_round`` keeps a person who received it from receiving it again.
People who said ``/stop`` or ``/forget`` have no enrolment, so they get nothing.

This module decides nothing about wording or disclosure: the bot builds the
messages (from the content tree and the disclosed figures) and hands them in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

from followups.models import REPORTBACK_CONSENTS, Enrolment, Job, JobKind, RoundMessage
from followups.schedule import job_id

__all__ = ["corridor_of", "digest", "eligible", "message_key", "reportback_jobs"]


def message_key(origin: str, destination: str, locale: str) -> str:
    """The key of one corridor and language in ``Round.messages``: ``KE>QA|sw``."""
    return f"{origin.upper()}>{destination.upper()}|{locale}"


def corridor_of(enrolment: Enrolment) -> tuple[str, str] | None:
    """The person's (origin, destination), or None when either is unknown."""
    if not enrolment.origin or not enrolment.destination:
        return None
    return enrolment.origin.upper(), enrolment.destination.upper()


def eligible(enrolment: Enrolment, round_id: str) -> bool:
    """Agreed to report-back, has a corridor, has not received this round."""
    return (enrolment.consent_version in REPORTBACK_CONSENTS
            and corridor_of(enrolment) is not None
            and enrolment.last_round != round_id)


def reportback_jobs(
    people: Iterable[Enrolment], round_id: str, messages: Mapping[str, RoundMessage],
    due_at: dt.datetime,
) -> list[Job]:
    """One job per eligible person whose corridor and language have a message."""
    jobs = []
    for person in people:
        corridor = corridor_of(person)
        if not eligible(person, round_id) or corridor is None:
            continue
        if message_key(*corridor, person.locale) not in messages:
            continue
        jobs.append(Job(job_id(person.pseudonym, JobKind.REPORTBACK, round_id),
                        person.pseudonym, JobKind.REPORTBACK, round_id, due_at))
    return jobs


def digest(round_id: str, messages: Mapping[str, RoundMessage]) -> str:
    """A short hash of a round's messages: the approval names what the admin saw, and is
    refused if the messages changed in between (content edited, figures republished)."""
    canonical = json.dumps(
        [round_id, sorted((key, m.text, [list(g) for g in m.guides])
                          for key, m in messages.items())],
        ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
