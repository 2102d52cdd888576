"""Consent and ratings for ``MemoryStore``: plain dicts, summaries derived on every read.

Deriving each summary with ``summarize`` is slow for big data but cannot
drift, which is what the engine's unit tests need from a fake.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from recruiter_reports.clock import as_utc
from recruiter_reports.quarters import Quarter
from recruiter_reports.reports import Report
from recruiter_reports.stores.memory_names import Names, add_names, prune_names
from recruiter_reports.stores.records import (
    NOT_SAID,
    Breakdown,
    CommentStatus,
    Consent,
    SavedReport,
    StoredReport,
    quarter_cell,
)
from recruiter_reports.summaries import Summary, summarize

__all__ = ["MemoryRatings"]


@dataclass
class _Row:
    id: int
    pseudonym: str
    report: Report
    held: bool
    comment_status: CommentStatus | None
    first_at: dt.datetime
    reporter_since: dt.datetime

    def stored(self) -> StoredReport:
        return StoredReport(str(self.id), self.report, self.held, self.comment_status)


class MemoryRatings:
    """The ratings half of ``MemoryStore`` (mixed in; see ``port.Store`` for the contract)."""

    def __init__(self) -> None:
        self._consents: dict[str, Consent] = {}
        self._reports: dict[int, _Row] = {}
        self._published: dict[str, Summary] = {}
        self._names: Names = {}
        self._ids = itertools.count(1)
        self._work_lock = asyncio.Lock()
        self._owner: contextvars.ContextVar[bool] = contextvars.ContextVar(
            "memory-unit-of-work", default=False
        )

    async def _wait_for_turns(self) -> None:
        """A write waits while another coroutine's unit of work is open (it may roll back)."""
        if self._work_lock.locked() and not self._owner.get():
            async with self._work_lock:
                pass

    def _forget_ratings(self, pseudonym: str) -> None:
        self._consents.pop(pseudonym, None)
        for row in [r for r in self._reports.values() if r.pseudonym == pseudonym]:
            del self._reports[row.id]
        prune_names(self._names, (r.report for r in self._reports.values()))

    async def save_consent(self, pseudonym: str, version: str, at: dt.datetime) -> None:
        await self._wait_for_turns()
        earlier = self._consents.get(pseudonym)
        first = earlier.first_given_at if earlier else as_utc(at)
        self._consents[pseudonym] = Consent(version, as_utc(at), first)

    async def consent(self, pseudonym: str) -> Consent | None:
        return self._consents.get(pseudonym)

    async def withdraw_consent(self, pseudonym: str) -> None:
        await self._wait_for_turns()
        self._forget_ratings(pseudonym)

    async def save_report(
        self, pseudonym: str, report: Report, *, held: bool = False, reporter_since: dt.datetime
    ) -> SavedReport:
        await self._wait_for_turns()
        rid = report.recruiter_id
        old = self._row(lambda r: r.pseudonym == pseudonym and r.report.recruiter_id == rid)
        if old is not None:
            del self._reports[old.id]
        row = _Row(
            id=next(self._ids),
            pseudonym=pseudonym,
            report=report,
            held=held,
            comment_status=CommentStatus.PENDING if report.comment else None,
            first_at=old.first_at if old else report.created_at,
            reporter_since=as_utc(reporter_since),
        )
        self._reports[row.id] = row
        add_names(self._names, report)
        return SavedReport(str(row.id), replaced=old is not None, held=held)

    async def reports_of(self, pseudonym: str) -> list[StoredReport]:
        rows = [r for r in self._reports.values() if r.pseudonym == pseudonym]
        return [r.stored() for r in sorted(rows, key=lambda r: r.report.created_at)]

    async def summary(self, recruiter_id: str) -> Summary:
        return summarize(self._counted(recruiter_id), recruiter_id)

    async def summaries(
        self, *, origin: str | None = None, destination: str | None = None
    ) -> dict[str, Summary]:
        groups: dict[str, list[Report]] = {}
        for row in self._reports.values():
            report = row.report
            if row.held or (origin and report.origin != origin):
                continue
            if destination and report.destination != destination:
                continue
            groups.setdefault(report.recruiter_id, []).append(report)
        return {rid: summarize(reports, rid) for rid, reports in groups.items()}

    async def breakdown(self, recruiter_id: str, by: Breakdown) -> dict[str, Summary]:
        cells: dict[str, list[Report]] = {}
        for report in self._counted(recruiter_id):
            if by == "destination":
                key = report.destination or NOT_SAID
            elif by == "destination_quarter":
                key = quarter_cell(report.destination, str(Quarter.of(report.created_at)))
            else:
                key = str(report.created_at.year)
            cells.setdefault(key, []).append(report)
        return {key: summarize(reports, recruiter_id) for key, reports in cells.items()}

    async def recompute_summaries(self) -> None:
        """Nothing to rebuild: every summary is derived when it is read."""
        await self._wait_for_turns()

    async def published(self, groups: Sequence[str]) -> dict[str, Summary]:
        return {group: self._published[group] for group in groups if group in self._published}

    async def published_under(self, prefix: str) -> dict[str, Summary]:
        return {key: s for key, s in sorted(self._published.items()) if key.startswith(prefix)}

    async def publish(self, summaries: Mapping[str, Summary], at: dt.datetime) -> None:
        await self._wait_for_turns()
        self._published.update(summaries)

    async def new_reports_since(self, pseudonym: str, since: dt.datetime) -> int:
        cutoff = as_utc(since)
        return sum(
            1 for r in self._reports.values() if r.pseudonym == pseudonym and r.first_at >= cutoff
        )

    async def recent_reports_from_new_reporters(
        self, recruiter_id: str, since: dt.datetime, reporters_since: dt.datetime
    ) -> int:
        saved, joined = as_utc(since), as_utc(reporters_since)
        return sum(
            1
            for r in self._reports.values()
            if r.report.recruiter_id == recruiter_id
            and r.report.created_at >= saved
            and r.reporter_since >= joined
        )

    async def held_reports(self, limit: int = 100) -> list[StoredReport]:
        return [r.stored() for r in self._sorted(lambda r: r.held)[:limit]]

    async def accept_held(self, report_id: str) -> bool:
        await self._wait_for_turns()
        row = self._held(report_id)
        if row is not None:
            row.held = False
        return row is not None

    async def discard_held(self, report_id: str) -> bool:
        await self._wait_for_turns()
        row = self._held(report_id)
        if row is not None:
            del self._reports[row.id]
        return row is not None

    async def pending_comments(self, limit: int = 100) -> list[StoredReport]:
        pending = self._sorted(lambda r: r.comment_status is CommentStatus.PENDING)
        return [r.stored() for r in pending[:limit]]

    async def moderate_comments(self, report_ids: Sequence[str], approve: bool) -> int:
        await self._wait_for_turns()
        done = 0
        for report_id in report_ids:
            row = self._reports.get(int(report_id)) if report_id.isdigit() else None
            if row is None or row.comment_status is not CommentStatus.PENDING:
                continue
            if approve:
                row.comment_status = CommentStatus.APPROVED
            else:
                row.comment_status = CommentStatus.REJECTED
                row.report = replace_comment(row.report, None)
            done += 1
        return done

    def _counted(self, recruiter_id: str) -> list[Report]:
        return [
            r.report
            for r in self._reports.values()
            if r.report.recruiter_id == recruiter_id and not r.held
        ]

    def _row(self, wanted: Callable[[_Row], bool]) -> _Row | None:
        return next((r for r in self._reports.values() if wanted(r)), None)

    def _held(self, report_id: str) -> _Row | None:
        row = self._reports.get(int(report_id)) if report_id.isdigit() else None
        return row if row is not None and row.held else None

    def _sorted(self, wanted: Callable[[_Row], bool]) -> list[_Row]:
        return sorted((r for r in self._reports.values() if wanted(r)), key=lambda r: r.id)


def replace_comment(report: Report, comment: str | None) -> Report:
    """The same report with another comment (reports are frozen)."""
    return report.model_copy(update={"comment": comment})

