"""Closed cases are erased ``CASE_RETENTION_DAYS`` after closing: the sweep and its loop.

Several workers may run the sweep at once: erasing is one idempotent delete
by closing date, so a second sweep finds nothing left and nothing breaks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from casework.port import CaseStore, CasesUnavailable

__all__ = ["retention_loop", "sweep_closed_cases"]

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


async def sweep_closed_cases(store: CaseStore, now: dt.datetime, retention_days: int) -> int:
    """Erase every case closed at least ``retention_days`` before ``now``; how many."""
    return await store.erase_closed_before(now - dt.timedelta(days=retention_days))


async def retention_loop(
    store: CaseStore,
    clock: Clock,
    retention_days: int,
    *,
    every: dt.timedelta = dt.timedelta(hours=1),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Sweep now and then every ``every`` until cancelled; an outage waits for the next round."""
    while True:
        try:
            erased = await sweep_closed_cases(store, clock(), retention_days)
        except CasesUnavailable as error:
            log.warning("case retention sweep postponed: %s", type(error).__name__)
        else:
            if erased:
                log.info("case retention: erased %d closed cases", erased)
        await sleep(every.total_seconds())
