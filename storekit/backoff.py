"""How long a delivery that failed for a passing reason waits before it is tried again."""

from __future__ import annotations

import datetime as dt

__all__ = ["backoff"]


def backoff(attempts: int, *, first: dt.timedelta = dt.timedelta(seconds=10),
            most: dt.timedelta = dt.timedelta(hours=1)) -> dt.timedelta:
    """The wait after ``attempts`` failed tries: ``first``, doubled each time, at most ``most``
    (10 s, 20 s, 40 s... up to an hour by default)."""
    wait: dt.timedelta = first * 2 ** max(0, attempts - 1)
    return min(most, wait)
