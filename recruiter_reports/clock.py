"""The one UTC clock, and the time helpers every store shares.

Every part (engine, channels, portal, stores) takes a ``Clock`` and defaults
to ``utc_now``, so the whole process agrees on what "now" and "expired" mean
and tests move time with one fake clock instead of sleeping. It lives in the
domain so that the domain, the engine and the channels may all import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
"""Returns the current time; injected so tests can move time without sleeping."""


def utc_now() -> dt.datetime:
    """The default clock: an aware datetime in UTC."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already, as the port promises."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def epoch(moment: dt.datetime) -> float:
    """Seconds since the epoch: a number both adapters can compare without time-zone doubt.

    An aware datetime knows its instant whatever its zone; a naive one is UTC (``as_utc``).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def is_expired(expires_at: float, now: dt.datetime) -> bool:
    """A record is gone from the moment its expiry is reached, not one tick later."""
    return expires_at <= epoch(now)
