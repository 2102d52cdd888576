"""The one fake clock of the tests: it stands still until the test moves it.

Every store, engine and portal test injects it where production injects
``recruiter_reports.clock.utc_now``, so expiry, leases and dates are tested
without sleeping and without a test depending on the day it runs.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["START", "FakeClock"]

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
"""Where a clock starts unless a test says otherwise: a Monday morning, UTC."""


class FakeClock:
    """Returns ``now`` (aware, UTC) when called; ``advance`` moves it forward."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move on by ``dt.timedelta(**delta)``: ``clock.advance(hours=25)``."""
        self.now += dt.timedelta(**delta)
