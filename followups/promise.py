"""Promise against reality: how many found the job or the wage different after arrival.

From the check-ins of people who had rated the agency before (``reported``):
a person "found it different" when their latest check-in says the job is not
the one promised or the wage was not paid in full and on time. Counted per
person (distinct reporters), so answering two check-ins counts once. Whether
the figure may be shown is decided by disclosure control, like every figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from followups.models import CheckinAnswers

__all__ = ["JOB_FIELD", "WAGE_FIELD", "PromiseReality", "promise_reality"]

JOB_FIELD = "job_now_as_promised"
WAGE_FIELD = "wage_paid_in_full"


@dataclass(frozen=True, slots=True)
class PromiseReality:
    reporters: int
    """Distinct people whose check-in answered the job or the wage question."""
    different: int
    """Of them, how many found the job or the wage different from what was promised."""


def promise_reality(answers: Iterable[CheckinAnswers]) -> PromiseReality:
    latest: dict[str, CheckinAnswers] = {}
    for answer in answers:
        if not answer.reported:
            continue
        job, wage = answer.answers.get(JOB_FIELD), answer.answers.get(WAGE_FIELD)
        if job is None and wage is None:
            continue
        known = latest.get(answer.pseudonym)
        if known is None or (answer.at, answer.round) > (known.at, known.round):
            latest[answer.pseudonym] = answer
    different = sum(
        1 for answer in latest.values()
        if answer.answers.get(JOB_FIELD) is False or answer.answers.get(WAGE_FIELD) is False
    )
    return PromiseReality(len(latest), different)
