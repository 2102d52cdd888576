"""The case store port: what the chat, the caseworkers' portal and the retention sweep need.

Every adapter (``memory``, ``sqlite``, ``mongodb``) implements ``CaseStore``
and passes one contract suite (tests/integration/casework). Bodies, contact
handles, reply addresses and notes arrive sealed and are stored as they are:
no method takes readable text, so an adapter cannot store it by mistake.
Writes are idempotent by id, so a retried turn writes once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from casework.models import Case, CaseMessage, CaseNote, CaseState, ClosedBy

__all__ = [
    "CaseClosed",
    "CaseNotFound",
    "CaseStore",
    "CasesUnavailable",
    "InvalidTransition",
]


class CasesUnavailable(Exception):
    """The database cannot be reached or answered too slowly; the caller asks to retry."""


class CaseNotFound(LookupError):
    """No case with that id (never opened, or already erased)."""


class CaseClosed(Exception):
    """The case is closed (or the person withdrew): it takes no more messages."""


class InvalidTransition(ValueError):
    """A state change that would move a case backwards."""


@runtime_checkable
class CaseStore(Protocol):
    """Cases, keyed by case id; the person only by pseudonym."""

    async def open(self) -> None:
        """Connect and create or migrate the schema; idempotent."""

    async def close(self) -> None: ...

    # -- the chat ---------------------------------------------------------------------------

    async def open_case(self, case: Case) -> Case:
        """Store a new case; opening an id that exists returns the stored case unchanged."""

    async def get(self, case_id: str) -> Case | None:
        """The case, messages and notes in order, or None."""

    async def cases_of(self, pseudonym: str, *, open_only: bool = True) -> list[Case]:
        """The person's cases, oldest first (``/mydata``, answers going into an open case)."""

    async def add_message(self, case_id: str, message: CaseMessage) -> Case:
        """Append a message (``CaseNotFound``, ``CaseClosed``); the same id twice adds one."""

    async def set_state(
        self, case_id: str, state: CaseState, at: dt.datetime, *, by: ClosedBy | None = None
    ) -> Case:
        """Move the case forward (``InvalidTransition`` backwards); closing records who and when."""

    async def erase_person(self, pseudonym: str, at: dt.datetime) -> int:
        """``/forget``: every case of the person keeps only a "withdrew" marker; how many."""

    # -- the caseworkers' portal -------------------------------------------------------------

    async def list_for_partner(
        self,
        partner_id: str,
        *,
        states: Collection[CaseState] | None = None,
        limit: int = 100,
    ) -> list[Case]:
        """The partner's cases, urgent first, then oldest first; ``states`` filters."""

    async def add_note(self, case_id: str, note: CaseNote) -> Case:
        """Append a caseworker's note; the same id twice adds one."""

    async def mark_read(self, case_id: str, at: dt.datetime) -> tuple[str, ...]:
        """Mark the person's unread messages read at ``at``; the ids newly read."""

    async def mark_delivered(self, case_id: str, message_id: str, at: dt.datetime) -> bool:
        """Record that a caseworker's reply reached the chat; False if unknown or already done."""

    # -- retention ---------------------------------------------------------------------------

    async def erase_closed_before(self, cutoff: dt.datetime) -> int:
        """Delete every case closed at or before ``cutoff``; how many (0 when run again)."""
