"""The follow-up store port: enrolments, the durable job queue, check-in answers.

Every adapter (``memory``, ``sqlite``, ``mongodb``) implements ``FollowupStore``
and passes one contract suite (tests/integration/followup_store).

The queue works like the case outbox (``casework.outbox``): ``claim`` leases
due jobs to one worker (``owner``) until ``lease_until``; another worker sees
them only once the lease ran out (the first one died), so a job is sent by one
worker at a time and a crash loses none. A job ends with ``done`` (removed) or
``retry`` (due again later, attempts + 1). A job *waiting* for the person
(WhatsApp's window was closed; a template asked them to write) is due again
when ``wake`` says they wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from followups.models import CheckinAnswers, Enrolment, Job, JobStatus, Round

__all__ = ["FollowupStore", "FollowupsUnavailable"]


class FollowupsUnavailable(Exception):
    """The database cannot be reached or answered too slowly; the caller retries later."""


@runtime_checkable
class FollowupStore(Protocol):
    async def open(self) -> None:
        """Connect and create the tables or indexes; idempotent."""

    async def close(self) -> None: ...

    # -- the person --------------------------------------------------------------------------

    async def enrol(self, enrolment: Enrolment, jobs: Sequence[Job]) -> None:
        """Keep ``enrolment`` (replacing the person's earlier one) and make ``jobs`` the
        person's check-ins (their earlier check-ins go). A report-back round already
        queued for them stays, and so does ``last_round`` (what they received): agreeing
        again, for another agency, must not lose this quarter's message nor bring an
        earlier one twice. Run twice, it leaves the same."""

    async def enrolment(self, pseudonym: str) -> Enrolment | None: ...

    async def jobs_of(self, pseudonym: str) -> list[Job]:
        """The person's queued jobs, soonest first (``/mydata``)."""

    async def stop(self, pseudonym: str) -> int:
        """``/stop``: the enrolment (with the sealed address) and every queued job go; the
        answers already given stay (they are anonymous figures). How many jobs went."""

    async def forget(self, pseudonym: str) -> None:
        """``/forget``: as ``stop``, and the person's answers go too."""

    async def enrolments(self) -> list[Enrolment]:
        """Every enrolment, by pseudonym (who a report-back round would reach)."""

    async def mark_reported(self, pseudonym: str, round_id: str) -> None:
        """The person received report-back round ``round_id`` (``Enrolment.last_round``);
        nothing when they are not enrolled (any more)."""

    # -- the queue ---------------------------------------------------------------------------

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50
    ) -> list[Job]:
        """Lease the due jobs, soonest first: ``due_at <= now``, not ``WAITING``, no lease
        running at ``now``. The returned jobs carry the new lease."""

    async def done(self, job_id: str, owner: str) -> bool:
        """Remove a sent job, if ``owner`` still holds its lease."""

    async def retry(
        self, job_id: str, owner: str, *, due_at: dt.datetime, status: JobStatus, detail: str
    ) -> bool:
        """Record a failed try (attempts + 1), when it is due again and why; ends the lease."""

    async def wake(self, person: str, at: dt.datetime) -> int:
        """The person wrote at ``at``: their waiting jobs are due now; how many."""

    # -- report-back rounds ------------------------------------------------------------------

    async def approve_round(self, approved: Round, jobs: Sequence[Job]) -> bool:
        """Keep the approved round and add ``jobs`` to the queue, leaving any job already
        queued as it is. False, with nothing queued, when the round was approved already;
        an approval interrupted before every job was queued is finished (True)."""

    async def round(self, round_id: str) -> Round | None: ...

    # -- answers -----------------------------------------------------------------------------

    async def save_answers(self, answers: CheckinAnswers) -> None:
        """Keep a check-in's answers (replacing the same person's for that agency and round)."""

    async def answers_for(self, recruiter_id: str) -> list[CheckinAnswers]:
        """Every kept check-in about the agency (for promise against reality)."""

    async def answers_of(self, pseudonym: str) -> list[CheckinAnswers]:
        """The person's kept check-ins (``/mydata``)."""

    # -- publication -------------------------------------------------------------------------

    async def published(self, key: str) -> tuple[int, int] | None:
        """The last published (reporters, different) of a figure (an agency, a scope)."""

    async def publish(self, key: str, reporters: int, different: int) -> None:
        """Keep a new publication of the figure, unless one with as many reporters is kept."""
