"""Instants as whole microseconds since the epoch: integers compare exactly in every database
and lose nothing, unlike BSON dates or floats."""

from __future__ import annotations

import datetime as dt

__all__ = ["maybe_micros", "maybe_moment", "micros", "moment"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def micros(at: dt.datetime) -> int:
    """Whole microseconds since the epoch; a naive time is taken to be UTC."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return (aware - _EPOCH) // dt.timedelta(microseconds=1)


def moment(value: int) -> dt.datetime:
    """The UTC instant ``micros`` gave ``value`` for."""
    return _EPOCH + dt.timedelta(microseconds=int(value))


def maybe_micros(at: dt.datetime | None) -> int | None:
    return None if at is None else micros(at)


def maybe_moment(value: int | None) -> dt.datetime | None:
    return None if value is None else moment(value)
