"""When check-ins fall due, and how promise against reality is counted."""

from __future__ import annotations

import datetime as dt

import pytest

from followups import CheckinAnswers
from followups.promise import JOB_FIELD, WAGE_FIELD, promise_reality
from followups.schedule import arrival, checkin_jobs, months_ahead

AGREED = dt.datetime(2026, 12, 14, 17, 30, tzinfo=dt.UTC)


def test_a_future_month_counts_from_its_first_day() -> None:
    jobs = checkin_jobs("p", "2027-02", AGREED)
    assert [(j.ref, j.due_at) for j in jobs] == [
        ("30", dt.datetime(2027, 3, 3, 9, tzinfo=dt.UTC)),
        ("90", dt.datetime(2027, 5, 2, 9, tzinfo=dt.UTC)),
    ]


def test_the_current_month_counts_from_the_day_of_agreeing() -> None:
    assert arrival("2026-12", AGREED) == AGREED
    assert checkin_jobs("p", "2026-12", AGREED)[0].due_at == dt.datetime(
        2027, 1, 13, 9, tzinfo=dt.UTC)


def test_a_bad_month_is_refused() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        arrival("2026-13", AGREED)


def test_months_ahead_crosses_the_year() -> None:
    assert months_ahead(AGREED, 3) == ("2026-12", "2027-01", "2027-02")


def answer(person: str, job: bool | None, wage: bool | None, *, reported: bool = True,
           round_: str = "30", day: int = 1) -> CheckinAnswers:
    return CheckinAnswers(person, "A", round_, AGREED + dt.timedelta(days=day),
                          {JOB_FIELD: job, WAGE_FIELD: wage}, reported)


def test_promise_reality_counts_people_by_their_latest_check_in() -> None:
    figure = promise_reality([
        answer("a", True, True), answer("a", False, True, round_="90", day=60),
        answer("b", True, False), answer("c", True, True),
        answer("d", None, None),  # answered neither: not counted
        answer("e", False, False, reported=False),  # no earlier report: not linked
    ])
    assert (figure.reporters, figure.different) == (3, 2)
