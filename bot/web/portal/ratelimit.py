"""Failed-login throttling: a few wrong keys per client address and per key id, then 429.

Kept in the process's memory: a key has 256 bits, so throttling only has to
stop noise and slow a guesser down, and a restart forgetting it is harmless.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable

__all__ = ["LoginLimiter"]

_MAX_TRACKED = 10_000
"""Distinct sources remembered at once; the oldest are dropped first."""


class LoginLimiter:
    """Counts failures per source (``"ip:..."``, ``"key:..."``) in a sliding window."""

    def __init__(
        self, limit: int, window: dt.timedelta, now: Callable[[], dt.datetime]
    ) -> None:
        self._limit = limit
        self._window = window
        self._now = now
        self._failures: dict[str, deque[dt.datetime]] = {}

    def blocked(self, *sources: str) -> bool:
        """True when any source has failed ``limit`` times within the window."""
        return any(len(self._recent(source)) >= self._limit for source in sources)

    def fail(self, *sources: str) -> None:
        for source in sources:
            self._recent(source).append(self._now())
        while len(self._failures) > _MAX_TRACKED:
            del self._failures[next(iter(self._failures))]

    def _recent(self, source: str) -> deque[dt.datetime]:
        times = self._failures.setdefault(source, deque())
        cutoff = self._now() - self._window
        while times and times[0] <= cutoff:
            times.popleft()
        return times
