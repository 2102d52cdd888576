"""When check-ins are due: 30 and 90 days after arrival.

A person who has not left yet gives the month they plan to leave; a person
who has just arrived, the month they arrived. Arrival is taken as the first
day of that month, or the moment they agreed if that is later (someone who
arrived "this month" is not asked a week later about a month at work). The
check-ins go out at 09:00 UTC of their day, a time most of the corridors are awake.
"""

from __future__ import annotations

import datetime as dt
import re

from followups.models import Job, JobKind

__all__ = ["ROUNDS", "arrival", "checkin_jobs", "job_id", "month_of", "months_ahead"]

ROUNDS: tuple[int, ...] = (30, 90)
"""Days after arrival of each check-in."""

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_SEND_HOUR = 9


def month_of(at: dt.datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"


def months_ahead(at: dt.datetime, count: int) -> tuple[str, ...]:
    """``count`` months from the month of ``at`` on, as ``YYYY-MM``."""
    year, month = at.year, at.month
    found: list[str] = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)


def arrival(month: str, agreed_at: dt.datetime) -> dt.datetime:
    """The day arrival is counted from (see the module docstring)."""
    found = _MONTH.fullmatch(month)
    if found is None:
        raise ValueError(f"not a month YYYY-MM: {month!r}")
    first = dt.datetime(int(found[1]), int(found[2]), 1, _SEND_HOUR, tzinfo=dt.UTC)
    return max(first, agreed_at)


def job_id(person: str, kind: JobKind, ref: str) -> str:
    """One id per person, kind and round: queueing the same check-in twice keeps one."""
    return f"{kind.value}:{ref}:{person}"


def checkin_jobs(person: str, month: str, agreed_at: dt.datetime) -> tuple[Job, ...]:
    """The person's check-ins, due 30 and 90 days after arrival at the sending hour."""
    start = arrival(month, agreed_at)
    jobs = []
    for days in ROUNDS:
        day = (start + dt.timedelta(days=days)).date()
        due = dt.datetime(day.year, day.month, day.day, _SEND_HOUR, tzinfo=dt.UTC)
        jobs.append(Job(job_id(person, JobKind.CHECKIN, str(days)), person, JobKind.CHECKIN,
                        str(days), due))
    return tuple(jobs)
