"""Failed-login throttling per (client address, key id) and per key id, then 429.

Only well-formed keys count: a request without one cannot be a guess at any
account, so noise from an address (or from everyone behind one proxy) never
locks out the right key. A key id is throttled for its own sake too, with a
higher limit, so a guesser spread over many addresses is slowed as well.

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
    """Counts failures per source in a sliding window; notes what was already audited."""

    def __init__(
        self,
        store: StakeholderStore,
        limit: int,
        window: dt.timedelta,
        now: Callable[[], dt.datetime],
        key_limit: int | None = None,
    ) -> None:
        self._store = store
        self._limit = limit
        self._key_limit = key_limit if key_limit is not None else 5 * limit
        self._window = window
        self._now = now

    async def blocked(self, address: str, key_id: str) -> bool:
        """True when this address or the key id as a whole failed too often in the window."""
        since = self._now() - self._window
        pair = await self._store.login_failures(_pair(address, key_id), since)
        if pair >= self._limit:
            return True
        return await self._store.login_failures(_key(key_id), since) >= self._key_limit

    async def fail(self, address: str, key_id: str) -> None:
        now = self._now()
        for source in (_pair(address, key_id), _key(key_id)):
            await self._store.add_login_failure(source, now, now + self._window)

    async def first_in_window(self, what: str, address: str, key_id: str | None = None) -> bool:
        """True the first time ``what`` happens for this source in a window (audit it then).

        Throttled and malformed attempts are audited once per window and source, not
        once per request: 300 requests must not write 300 rows.
        """
        source = _digest(f"{what}:{address}:{key_id or ''}")
        now = self._now()
        if await self._store.login_failures(source, now - self._window) > 0:
            return False
        await self._store.add_login_failure(source, now, now + self._window)
        return True


def _pair(address: str, key_id: str) -> str:
    return _digest(f"ip+key:{address}:{key_id}")


def _key(key_id: str) -> str:
    return _digest(f"key:{key_id}")


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:32]
