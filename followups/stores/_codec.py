"""Enrolments, jobs and answers as plain documents: what SQLite (as JSON) and MongoDB store.

Times are integer microseconds (``storekit.times``); the sealed address stays
bytes for MongoDB and becomes base64 text for SQLite's JSON (``binary``).
"""

from __future__ import annotations

import base64
from typing import Any

from followups.models import (
    CheckinAnswers,
    Enrolment,
    Job,
    JobKind,
    JobStatus,
    Round,
    RoundMessage,
    Stage,
)
from storekit.times import maybe_micros, maybe_moment, micros, moment

Document = dict[str, Any]

__all__ = [
    "answers_doc",
    "enrolment_doc",
    "from_answers",
    "from_enrolment",
    "from_job",
    "from_round",
    "job_doc",
    "round_doc",
]


def enrolment_doc(enrolment: Enrolment, *, binary: bool) -> Document:
    address: Any = enrolment.address
    if not binary:
        address = base64.b64encode(enrolment.address).decode("ascii")
    return {
        "pseudonym": enrolment.pseudonym, "consent_version": enrolment.consent_version,
        "consented_at": micros(enrolment.consented_at), "address": address,
        "stage": enrolment.stage.value, "month": enrolment.month,
        "recruiter_id": enrolment.recruiter_id, "locale": enrolment.locale,
        "origin": enrolment.origin, "neutral": enrolment.neutral,
        "destination": enrolment.destination, "last_round": enrolment.last_round,
    }


def from_enrolment(document: Document) -> Enrolment:
    address = document["address"]
    if isinstance(address, str):
        address = base64.b64decode(address)
    return Enrolment(
        pseudonym=document["pseudonym"], consent_version=document["consent_version"],
        consented_at=moment(document["consented_at"]), address=bytes(address),
        stage=Stage(document["stage"]), month=document["month"],
        recruiter_id=document["recruiter_id"], locale=document["locale"],
        origin=document.get("origin"), neutral=bool(document.get("neutral", False)),
        destination=document.get("destination"), last_round=document.get("last_round"),
    )


def job_doc(job: Job) -> Document:
    return {
        "id": job.id, "person": job.person, "kind": job.kind.value, "ref": job.ref,
        "due_at": micros(job.due_at), "status": job.status.value, "attempts": job.attempts,
        "detail": job.detail, "seen_at": maybe_micros(job.seen_at),
        "lease_until": maybe_micros(job.lease_until), "owner": job.owner,
    }


def from_job(document: Document) -> Job:
    return Job(
        id=document["id"], person=document["person"], kind=JobKind(document["kind"]),
        ref=document["ref"], due_at=moment(document["due_at"]),
        status=JobStatus(document["status"]), attempts=int(document["attempts"]),
        detail=document["detail"], seen_at=maybe_moment(document.get("seen_at")),
        lease_until=maybe_moment(document.get("lease_until")), owner=document["owner"],
    )


def answers_doc(answers: CheckinAnswers) -> Document:
    return {
        "pseudonym": answers.pseudonym, "recruiter_id": answers.recruiter_id,
        "round": answers.round, "at": micros(answers.at), "answers": dict(answers.answers),
        "reported": answers.reported, "promised": answers.promised,
        "destination": answers.destination,
    }


def from_answers(document: Document) -> CheckinAnswers:
    return CheckinAnswers(
        pseudonym=document["pseudonym"], recruiter_id=document["recruiter_id"],
        round=document["round"], at=moment(document["at"]),
        answers=dict(document["answers"]), reported=bool(document["reported"]),
        promised=document.get("promised"), destination=document.get("destination"),
    )


def round_doc(approved: Round) -> Document:
    return {
        "id": approved.id, "approved_at": micros(approved.approved_at),
        "approved_by": approved.approved_by, "digest": approved.digest,
        "queued": approved.queued,
        "messages": {key: {"text": m.text, "guides": [list(g) for g in m.guides]}
                     for key, m in approved.messages.items()},
    }


def from_round(document: Document) -> Round:
    return Round(
        id=document["id"], approved_at=moment(document["approved_at"]),
        approved_by=document["approved_by"], digest=document["digest"],
        queued=bool(document.get("queued", True)),
        messages={key: RoundMessage(m["text"], tuple((str(a), str(b)) for a, b in m["guides"]))
                  for key, m in document["messages"].items()},
    )
