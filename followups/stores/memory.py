"""The follow-up store in the process's memory (tests, ``memory://``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from followups.models import CheckinAnswers, Enrolment, Job, JobKind, JobStatus, Round, claimable

__all__ = ["MemoryFollowups"]


class MemoryFollowups:
    """Implements ``FollowupStore`` in dicts of frozen values."""

    def __init__(self) -> None:
        self._people: dict[str, Enrolment] = {}
        self._jobs: dict[str, Job] = {}
        self._answers: dict[tuple[str, str, str], CheckinAnswers] = {}
        self._published: dict[str, tuple[int, int]] = {}
        self._rounds: dict[str, Round] = {}

    async def open(self) -> None:
        """Nothing to connect to."""

    async def close(self) -> None:
        """Keeps everything, like closing a database file."""

    async def enrol(self, enrolment: Enrolment, jobs: Sequence[Job]) -> None:
        before = self._people.get(enrolment.pseudonym)
        if before is not None and enrolment.last_round is None:
            enrolment = dataclasses.replace(enrolment, last_round=before.last_round)
        self._people[enrolment.pseudonym] = enrolment
        self._drop_jobs(enrolment.pseudonym, JobKind.CHECKIN)
        for job in jobs:
            self._jobs[job.id] = job

    async def enrolment(self, pseudonym: str) -> Enrolment | None:
        return self._people.get(pseudonym)

    async def jobs_of(self, pseudonym: str) -> list[Job]:
        return sorted((job for job in self._jobs.values() if job.person == pseudonym),
                      key=lambda job: (job.due_at, job.id))

    async def stop(self, pseudonym: str) -> int:
        self._people.pop(pseudonym, None)
        return self._drop_jobs(pseudonym)

    async def forget(self, pseudonym: str) -> None:
        await self.stop(pseudonym)
        for key in [key for key in self._answers if key[0] == pseudonym]:
            del self._answers[key]

    async def enrolments(self) -> list[Enrolment]:
        return [self._people[key] for key in sorted(self._people)]

    async def mark_reported(self, pseudonym: str, round_id: str) -> None:
        found = self._people.get(pseudonym)
        if found is not None:
            self._people[pseudonym] = dataclasses.replace(found, last_round=round_id)

    async def approve_round(self, approved: Round, jobs: Sequence[Job]) -> bool:
        if approved.id in self._rounds:
            return False
        self._rounds[approved.id] = dataclasses.replace(approved, queued=True)
        for job in jobs:
            self._jobs.setdefault(job.id, job)
        return True

    async def round(self, round_id: str) -> Round | None:
        return self._rounds.get(round_id)

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50
    ) -> list[Job]:
        due = sorted((job for job in self._jobs.values() if claimable(job, now)),
                     key=lambda job: (job.due_at, job.id))[: max(0, limit)]
        leased = []
        for job in due:
            taken = dataclasses.replace(job, lease_until=lease_until, owner=owner)
            self._jobs[job.id] = taken
            leased.append(taken)
        return leased

    async def done(self, job_id: str, owner: str) -> bool:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            return False
        del self._jobs[job_id]
        return True

    async def retry(
        self, job_id: str, owner: str, *, due_at: dt.datetime, status: JobStatus, detail: str
    ) -> bool:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            return False
        self._jobs[job_id] = dataclasses.replace(
            job, due_at=due_at, status=JobStatus(status), detail=detail[:300],
            attempts=job.attempts + 1, lease_until=None, owner="")
        return True

    async def wake(self, person: str, at: dt.datetime) -> int:
        woken = 0
        for job in list(self._jobs.values()):
            if job.person == person and job.status is JobStatus.WAITING:
                self._jobs[job.id] = dataclasses.replace(
                    job, status=JobStatus.PENDING, due_at=at, seen_at=at)
                woken += 1
        return woken

    async def save_answers(self, answers: CheckinAnswers) -> None:
        self._answers[(answers.pseudonym, answers.recruiter_id, answers.round)] = answers

    async def answers_for(self, recruiter_id: str) -> list[CheckinAnswers]:
        return [a for a in self._answers.values() if a.recruiter_id == recruiter_id]

    async def answers_of(self, pseudonym: str) -> list[CheckinAnswers]:
        return sorted((a for a in self._answers.values() if a.pseudonym == pseudonym),
                      key=lambda a: a.at)

    async def published(self, key: str) -> tuple[int, int] | None:
        return self._published.get(key)

    async def publish(self, key: str, reporters: int, different: int) -> None:
        kept = self._published.get(key)
        if kept is None or kept[0] < reporters:
            self._published[key] = (reporters, different)

    def _drop_jobs(self, person: str, kind: JobKind | None = None) -> int:
        gone = [job_id for job_id, job in self._jobs.items()
                if job.person == person and kind in (None, job.kind)]
        for job_id in gone:
            del self._jobs[job_id]
        return len(gone)
