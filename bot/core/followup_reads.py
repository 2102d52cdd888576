"""What the engine may read about a person's follow-ups: a narrow port (the follow-up
store fulfils it). The engine never writes; it emits ``ScheduleFollowups``, ``StopFollowups``
and ``SaveCheckin``, which the runner applies."""

from __future__ import annotations

from typing import Protocol

from followups import CheckinAnswers, Enrolment, Job

__all__ = ["FollowupReads"]


class FollowupReads(Protocol):
    async def enrolment(self, pseudonym: str) -> Enrolment | None: ...

    async def jobs_of(self, pseudonym: str) -> list[Job]: ...

    async def answers_of(self, pseudonym: str) -> list[CheckinAnswers]: ...
