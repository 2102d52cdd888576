"""The write half every adapter shares: load a case, apply a rule, save it atomically.

An adapter supplies ``_update(case_id, change)``, which must run ``change`` on
the current case and store its result as one atomic step (a lock in memory, a
transaction in SQLite, a compare-and-swap on a version in MongoDB). The rules
themselves live in ``casework.rules``, so every adapter behaves alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from casework import rules
from casework.models import Case, CaseMessage, CaseNote, CaseState, ClosedBy

__all__ = ["Change", "UpdatingStore"]

R = TypeVar("R")
Change = Callable[[Case], tuple[Case, R]]


class UpdatingStore:
    """Implements the single-case writes of ``CaseStore`` on top of ``_update``."""

    async def _update(self, case_id: str, change: Change[R]) -> R:
        raise NotImplementedError

    async def add_message(self, case_id: str, message: CaseMessage) -> Case:
        def change(case: Case) -> tuple[Case, Case]:
            updated = rules.add_message(case, message)
            return updated, updated

        return await self._update(case_id, change)

    async def add_note(self, case_id: str, note: CaseNote) -> Case:
        def change(case: Case) -> tuple[Case, Case]:
            updated = rules.add_note(case, note)
            return updated, updated

        return await self._update(case_id, change)

    async def set_state(
        self, case_id: str, state: CaseState, at: dt.datetime, *, by: ClosedBy | None = None
    ) -> Case:
        def change(case: Case) -> tuple[Case, Case]:
            updated = rules.set_state(case, state, at, by)
            return updated, updated

        return await self._update(case_id, change)

    async def mark_read(self, case_id: str, at: dt.datetime) -> tuple[str, ...]:
        return await self._update(case_id, lambda case: rules.mark_read(case, at))

    async def mark_delivered(self, case_id: str, message_id: str, at: dt.datetime) -> bool:
        return await self._update(
            case_id, lambda case: rules.mark_delivered(case, message_id, at)
        )
