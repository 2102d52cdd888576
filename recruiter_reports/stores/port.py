"""The store port: what the bot and the ratings domain need from storage.

Every adapter (in-memory, SQLite, MongoDB) implements this one protocol and
passes one contract suite (tests/integration/stores/test_store_contract.py). Keys are
keyed pseudonyms (see ``recruiter_reports.pseudonyms``); no method takes a raw
channel user id, so an adapter cannot store one by mistake.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, runtime_checkable


class StoreUnavailable(Exception):
    """The database cannot be reached or answered too slowly; callers tell the user to retry."""


@runtime_checkable
class Store(Protocol):
    """Storage of conversation state and preferences (ratings extend it)."""

    async def open(self) -> None:
        """Connect and create or migrate the schema; idempotent."""

    async def close(self) -> None: ...

    async def ping(self) -> bool:
        """True when the store answers (for ``/readyz``)."""

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None:
        """The saved conversation state, or None when there is none or it expired."""

    async def save_session(
        self, pseudonym: str, state: dict[str, Any], expires_at: dt.datetime
    ) -> None:
        """Replace the conversation state; it is dropped after ``expires_at`` (UTC)."""

    async def first_delivery(self, key: str, expires_at: dt.datetime) -> bool:
        """Record an inbound delivery id (e.g. ``"telegram:<update_id>"``).

        True the first time a key is seen, False for a repeat, so channels that
        deliver at least once handle each message once.
        """

    async def forget(self, pseudonym: str) -> None:
        """Erase everything linked to the pseudonym (``/forget``)."""
