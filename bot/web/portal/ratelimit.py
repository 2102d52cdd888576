"""Failed-login throttling: a few wrong keys per client address and per key id, then 429.

The failures are counted in the stakeholder store, so every worker throttles
the same guesser (in one worker's memory, N workers would allow N times the
attempts). A key has 256 bits, so throttling only has to stop noise and slow a
guesser down. Sources are stored as digests and dropped after the window: the
database holds no client address in the clear, and not for long (a digest of an
IPv4 address can be reversed by trying them all, so the short life matters).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from recruiter_reports.stores.stakeholder_port import StakeholderStore

__all__ = ["LoginLimiter"]


class LoginLimiter:
    """Counts failures per source (``"ip:..."``, ``"key:..."``) in a sliding window."""

    def __init__(
        self,
        store: StakeholderStore,
        limit: int,
        window: dt.timedelta,
        now: Callable[[], dt.datetime],
    ) -> None:
        self._store = store
        self._limit = limit
        self._window = window
        self._now = now

    async def blocked(self, *sources: str) -> bool:
        """True when any source has failed ``limit`` times within the window."""
        since = self._now() - self._window
        for source in sources:
            if await self._store.login_failures(_digest(source), since) >= self._limit:
                return True
        return False

    async def fail(self, *sources: str) -> None:
        now = self._now()
        for source in sources:
            await self._store.add_login_failure(_digest(source), now, now + self._window)


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:32]
