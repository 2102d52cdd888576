"""The port for typed names: unlisted agencies and brokers, their moderation, and merges.

Name records hold no pseudonym: a record is created (``NameStatus.PENDING``)
by ``save_report`` in the same write as the report that first brings the name
(``names.records_of``), and a pending record that no report names any more is
dropped when a person is forgotten or withdraws, so ``/forget`` leaves no
typed name of theirs waiting in the queue. Every adapter passes
tests/integration/stores/test_names_contract.py.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from recruiter_reports.names import NameKind, NameRecord, NameStatus

__all__ = ["NameReads", "NameStore"]


@runtime_checkable
class NameReads(Protocol):
    """What the chat and the portal read about names (never a write)."""

    async def name_records(
        self, kind: NameKind, *, origin: str | None = None, status: NameStatus | None = None
    ) -> list[NameRecord]:
        """Records of one kind (of one origin, in one status), oldest first."""

    async def name_record(self, kind: NameKind, key: str) -> NameRecord | None:
        """The record with this key (a pending recruiter id, or a broker key), or None."""

    async def broker_counts(self, recruiter_id: str) -> dict[str, int]:
        """Broker key -> distinct workers among the agency's *counted* reports who named it.

        Raw counts: only ``names.broker_chain`` may turn them into something shown.
        """


@runtime_checkable
class NameStore(NameReads, Protocol):
    """Moderating names, and moving an unlisted agency's reports to where they belong."""

    async def moderate_name(
        self, kind: NameKind, key: str, approve: bool, text: str | None = None
    ) -> bool:
        """Approve (with ``text`` as the spelling shown, when given) or reject a pending or
        approved name; False when there is no such record or it was merged away."""

    async def merge_agency(self, pending_id: str, into_id: str) -> int:
        """Move every report of the unlisted agency ``pending_id`` to ``into_id`` (another
        spelling of it, or its registry entry), all or nothing; returns how many moved.

        One report per person and agency still holds: a person who rated both keeps the
        newer rating. The summaries of both agencies are rebuilt in the same write, and
        the record of ``pending_id`` becomes ``MERGED`` with ``target = into_id``, so a
        worker typing that spelling again is sent to ``into_id``. Raises ValueError when
        ``pending_id`` is not an unlisted agency's id or equals ``into_id``.
        """
