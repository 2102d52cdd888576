"""Build a store from ``STORE_URL``, so the composition root never names an adapter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from recruiter_reports.stores.memory import MemoryStore
from recruiter_reports.stores.port import Store
from recruiter_reports.stores.sqlite import SQLiteStore

__all__ = ["open_store"]

_ACCEPTED = "sqlite:///PATH, memory://, mongodb://, mongodb+srv://"


def open_store(url: str, *, now: Callable[[], dt.datetime] | None = None) -> Store:
    """The store ``url`` names, not yet opened: the caller awaits ``open()``.

    ``sqlite:///var/bot.sqlite3`` is relative to the working directory,
    ``sqlite:////srv/bot/bot.sqlite3`` is absolute. ``now`` replaces the clock
    (tests); by default each adapter uses the current UTC time.
    """
    scheme, separator, rest = url.partition("://")
    scheme = scheme.lower()
    if not separator:
        raise ValueError(f"STORE_URL {url!r} has no scheme; accepted: {_ACCEPTED}")
    if scheme == "sqlite":
        return _sqlite(url, rest, now)
    if scheme == "memory":
        return MemoryStore() if now is None else MemoryStore(now)
    if scheme in ("mongodb", "mongodb+srv"):
        # Imported here so SQLite-only installs never load the driver.
        from recruiter_reports.stores.mongodb import MongoDBStore

        return MongoDBStore(url) if now is None else MongoDBStore(url, now)
    raise ValueError(f"STORE_URL scheme {scheme!r} is not supported; accepted: {_ACCEPTED}")


def _sqlite(url: str, rest: str, now: Callable[[], dt.datetime] | None) -> Store:
    # After "sqlite://" comes an empty host, then "/" and the path: "sqlite:///rel/path"
    # leaves "rel/path" and "sqlite:////abs/path" leaves "/abs/path", as in SQLAlchemy.
    if not rest.startswith("/") or rest == "/":
        raise ValueError(
            f"STORE_URL {url!r} must look like sqlite:///relative/path or sqlite:////absolute/path"
        )
    path = Path(rest[1:])
    return SQLiteStore(path) if now is None else SQLiteStore(path, now)
