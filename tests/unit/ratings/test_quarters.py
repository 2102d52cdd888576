"""Quarters step forward and back across the turn of a year."""

from __future__ import annotations

from recruiter_reports.quarters import Quarter


def test_the_quarter_before_and_after_cross_the_year() -> None:
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 3).previous() == Quarter(2026, 2)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    for number in range(1, 5):
        assert Quarter(2026, number).next().previous() == Quarter(2026, number)
