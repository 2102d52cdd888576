"""Summaries are derived from reports and stay equal to them under incremental upkeep."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from ratings_strategies import RECRUITER, report, reports

from recruiter_reports import questionnaire
from recruiter_reports.reports import INDICATORS, Report
from recruiter_reports.summaries import Summary, YesNo, summarize


def test_summarize_counts_answers_and_ignores_prefer_not_to_say() -> None:
    summary = summarize(
        [
            report(passport_kept=True, fee_band="50k-150k", recommend=1),
            report(passport_kept=True, fee_band="none", recommend=4),
            report(passport_kept=False, job_as_promised=True),
            report(),
        ]
    )
    assert summary.reporters == 4
    assert summary.indicators["passport_kept"] == YesNo(yes=2, no=1)
    assert summary.indicators["job_as_promised"] == YesNo(yes=1, no=0)
    assert summary.indicators["orientation"].answered == 0
    assert summary.fee_bands == {"50k-150k": 1, "none": 1}
    assert summary.fee_answered == 2
    assert (summary.recommend_sum, summary.recommend_count) == (5, 2)


def test_summarize_needs_one_recruiter() -> None:
    assert summarize([], RECRUITER) == Summary(recruiter_id=RECRUITER)
    with pytest.raises(ValueError, match="one recruiter"):
        summarize([])
    with pytest.raises(ValueError, match="one recruiter"):
        summarize([report(), report(recruiter_id="KE-OTHER")])


@given(st.lists(reports(), max_size=30), st.data())
def test_add_and_remove_keep_the_summary_equal_to_summarize(
    items: list[Report], data: st.DataObject
) -> None:
    summary = Summary(recruiter_id=RECRUITER)
    for item in items:
        summary = summary.add(item)
    assert summary == summarize(items, RECRUITER)
    kept = list(items)
    for index in data.draw(st.lists(st.integers(0, 29), max_size=10)):
        if index < len(kept):
            summary = summary.remove(kept.pop(index))
    assert summary == summarize(kept, RECRUITER)


def test_a_replaced_rating_moves_every_count() -> None:
    first = report(passport_kept=True, fee_band="over-150k", recommend=1)
    second = report(passport_kept=False, fee_band="none", recommend=5)
    summary = summarize([first, report(passport_kept=True)])
    assert summary.remove(first).add(second) == summarize([second, report(passport_kept=True)])


def test_removing_what_was_never_counted_is_refused() -> None:
    summary = summarize([report(passport_kept=False)])
    with pytest.raises(ValueError):
        summary.remove(report(passport_kept=True))
    with pytest.raises(ValueError):
        summary.remove(report(fee_band="none"))
    with pytest.raises(ValueError):
        summary.add(report(recruiter_id="KE-OTHER"))


def test_reports_validate_answers_and_time() -> None:
    with pytest.raises(ValidationError):
        report(recommend=6)
    with pytest.raises(ValidationError):
        report(comment="x" * 501)
    with pytest.raises(ValidationError):
        report(created_at=dt.datetime(2025, 1, 1))  # no time zone: ambiguous
    local = dt.datetime(2025, 1, 1, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert report(created_at=local).created_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert report(comment="   ").comment is None
    assert set(INDICATORS) == set(summarize([report()]).indicators)


def test_a_trusted_summary_is_the_validated_one_and_as_frozen() -> None:
    names = questionnaire.current().indicators
    values = {
        "recruiter_id": "KE-X-1", "reporters": 4, "fee_bands": {"none": 1, "b2": 2},
        "indicators": {name: YesNo(yes=1, no=2) for name in names},
        "recommend_sum": 7, "recommend_count": 2,
    }  # fmt: skip
    trusted = Summary.trusted(**values)  # type: ignore[arg-type]
    checked = Summary(**values)  # type: ignore[arg-type]
    assert trusted == checked
    assert trusted.model_dump() == checked.model_dump()
    assert trusted.model_fields_set == checked.model_fields_set
    assert trusted.fee_answered == 3
    with pytest.raises(ValidationError):
        trusted.reporters = 5  # type: ignore[misc]
