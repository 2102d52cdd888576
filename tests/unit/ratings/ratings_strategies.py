"""Hypothesis strategies for reports, shared by the summary and disclosure tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from recruiter_reports.reports import Report

WHEN = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
RECRUITER = "KE-EX-KE-0001"
BANDS = ("none", "under-50k", "50k-150k", "over-150k")

_answer = st.sampled_from([True, False, None])


@st.composite
def reports(draw: st.DrawFn, destination: str | None = None) -> Report:
    """A report with any mix of answers, "prefer not to say" included."""
    return Report(
        recruiter_id=RECRUITER,
        origin="KE",
        destination=destination or draw(st.sampled_from(["QA", "SA", "AE", None])),
        fee_band=draw(st.sampled_from([*BANDS, None])),
        receipt_full_amount=draw(_answer),
        job_as_promised=draw(_answer),
        contract_substituted=draw(_answer),
        passport_kept=draw(_answer),
        orientation=draw(_answer),
        recommend=draw(st.one_of(st.none(), st.integers(1, 5))),
        created_at=WHEN,
    )


def report(**answers: object) -> Report:
    """A hand-made report: only the answers a test cares about."""
    fields: dict[str, object] = {"recruiter_id": RECRUITER, "origin": "KE", "created_at": WHEN}
    fields.update(answers)
    return Report.model_validate(fields)
