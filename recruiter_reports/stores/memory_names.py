"""Typed names for ``MemoryStore``: a dict of records beside the reports (see ``names_port``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from recruiter_reports.names import (
    NameKind,
    NameRecord,
    NameStatus,
    moved,
    records_of,
    report_broker_key,
)
from recruiter_reports.registry import is_pending_id
from recruiter_reports.reports import Report

if TYPE_CHECKING:
    from recruiter_reports.stores.memory_ratings import _Row

__all__ = ["MemoryNames", "add_names", "prune_names"]

Names = dict[tuple[NameKind, str], NameRecord]


def add_names(names: Names, report: Report) -> None:
    """The records a saved report brings, where they are new."""
    for record in records_of(report):
        names.setdefault((record.kind, record.key), record)


def prune_names(names: Names, reports: Iterable[Report]) -> None:
    """Drop pending records that no report names any more (after ``/forget``)."""
    left = list(reports)
    agencies = {report.recruiter_id for report in left}
    brokers = {report_broker_key(report) for report in left}
    for (kind, key), record in list(names.items()):
        if record.status is not NameStatus.PENDING:
            continue
        if (kind is NameKind.AGENCY and key not in agencies) or (
            kind is NameKind.BROKER and key not in brokers
        ):
            del names[(kind, key)]


class MemoryNames:
    """The names half of ``MemoryStore`` (mixed in beside ``MemoryRatings``)."""

    if TYPE_CHECKING:
        _names: Names
        _reports: dict[int, _Row]

        async def _wait_for_turns(self) -> None: ...

    async def name_records(
        self, kind: NameKind, *, origin: str | None = None, status: NameStatus | None = None
    ) -> list[NameRecord]:
        return [
            record
            for (found, _), record in self._names.items()
            if found is kind
            and (origin is None or record.origin == origin)
            and (status is None or record.status is status)
        ]

    async def name_record(self, kind: NameKind, key: str) -> NameRecord | None:
        return self._names.get((kind, key))

    async def broker_counts(self, recruiter_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._reports.values():
            key = report_broker_key(row.report)
            if row.report.recruiter_id == recruiter_id and not row.held and key:
                counts[key] = counts.get(key, 0) + 1
        return counts

    async def moderate_name(
        self, kind: NameKind, key: str, approve: bool, text: str | None = None
    ) -> bool:
        await self._wait_for_turns()
        record = self._names.get((kind, key))
        if record is None or record.status not in (NameStatus.PENDING, NameStatus.APPROVED):
            return False
        if approve:
            change = {"status": NameStatus.APPROVED, "text": text or record.text}
        else:
            change = {"status": NameStatus.REJECTED, "text": None}
        self._names[(kind, key)] = dataclasses.replace(record, **change)  # type: ignore[arg-type]
        return True

    async def merge_agency(self, pending_id: str, into_id: str) -> int:
        if not is_pending_id(pending_id) or pending_id == into_id:
            raise ValueError("only an unlisted agency can be merged, and not into itself")
        await self._wait_for_turns()
        rows = [r for r in self._reports.values() if r.report.recruiter_id == pending_id]
        for row in rows:
            other = next(
                (o for o in self._reports.values()
                 if o.pseudonym == row.pseudonym and o.report.recruiter_id == into_id),
                None,
            )  # fmt: skip
            if other is not None:
                if other.report.created_at >= row.report.created_at:
                    del self._reports[row.id]
                    continue
                del self._reports[other.id]
            row.report = moved(row.report, into_id)
        old = self._names.get((NameKind.AGENCY, pending_id))
        origin = old.origin if old else pending_id[:2]
        self._names[(NameKind.AGENCY, pending_id)] = NameRecord(
            NameKind.AGENCY, pending_id, origin, old.text if old else None, NameStatus.MERGED,
            old.maybe_person if old else False, into_id,
        )  # fmt: skip
        return len(rows)
