"""Cases in the process's memory: the engine's tests and ``memory://`` use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from casework import rules
from casework.models import Case, CaseState
from casework.port import CaseNotFound
from casework.stores._updating import Change, R, UpdatingStore

__all__ = ["MemoryCaseStore"]


class MemoryCaseStore(UpdatingStore):
    """Implements ``CaseStore`` in a dict; cases are frozen, so nothing is shared mutably."""

    def __init__(self) -> None:
        self._cases: dict[str, Case] = {}

    async def open(self) -> None:
        """Nothing to connect to."""

    async def close(self) -> None:
        """Keeps the data, like closing a database file."""

    async def open_case(self, case: Case) -> Case:
        return self._cases.setdefault(case.id, case)

    async def get(self, case_id: str) -> Case | None:
        return self._cases.get(case_id)

    async def cases_of(self, pseudonym: str, *, open_only: bool = True) -> list[Case]:
        found = [
            case
            for case in self._cases.values()
            if case.pseudonym == pseudonym
            and pseudonym
            and not (open_only and case.state is CaseState.CLOSED)
        ]
        return sorted(found, key=lambda case: (case.created_at, case.id))

    async def erase_person(self, pseudonym: str, at: dt.datetime) -> int:
        mine = [case for case in self._cases.values() if pseudonym and case.pseudonym == pseudonym]
        for case in mine:
            self._cases[case.id] = rules.erase_person(case, at)
        return len(mine)

    async def list_for_partner(
        self,
        partner_id: str,
        *,
        states: Collection[CaseState] | None = None,
        limit: int = 100,
    ) -> list[Case]:
        found = [
            case
            for case in self._cases.values()
            if case.partner_id == partner_id and (states is None or case.state in states)
        ]
        found.sort(key=lambda case: (not case.urgent, case.created_at, case.id))
        return found[:limit]

    async def erase_closed_before(self, cutoff: dt.datetime) -> int:
        old = [
            case.id
            for case in self._cases.values()
            if case.state is CaseState.CLOSED
            and case.closed_at is not None
            and case.closed_at <= cutoff
        ]
        for case_id in old:
            del self._cases[case_id]
        return len(old)

    async def _update(self, case_id: str, change: Change[R]) -> R:
        # No await between reading and writing: atomic on the event loop.
        case = self._cases.get(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        updated, result = change(case)
        self._cases[case_id] = updated
        return result
