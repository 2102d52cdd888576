"""Consent and ratings for ``SQLiteStore``: reports and their summaries in one file.

Summaries live in their own table (``sqlite_summaries``), one row per recruiter
and one per breakdown cell (by destination, by year), updated with
``Summary.add`` / ``Summary.remove`` inside the same transaction as the report
they follow, so they cannot drift and a summary read is one indexed row
whatever the number of reports. ``recompute_summaries`` rebuilds them with a
plain GROUP BY over the reports (a repair, and the benchmark's baseline).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from recruiter_reports.clock import as_utc, epoch
from recruiter_reports.names import report_broker_key
from recruiter_reports.reports import Report
from recruiter_reports.stores.records import (
    Breakdown,
    CommentStatus,
    Consent,
    SavedReport,
    StoredReport,
)
from recruiter_reports.stores.sqlite_names import add_names, prune_names
from recruiter_reports.stores.sqlite_overview import KeptOverviews
from recruiter_reports.stores.sqlite_publications import (
    KeptPublications,
    kept_snapshot,
    published_rows,
)
from recruiter_reports.stores.sqlite_summaries import (
    ALL,
    CELL_SQL,
    QUARTER_CELL_SQL,
    SUMMARY_COLUMNS,
    aggregate,
    apply,
    summary_of,
    unsummarize_reports_of,
    write,
)
from recruiter_reports.summaries import Summary

__all__ = ["SQLiteRatings"]

T = TypeVar("T")

_REPORT_COLUMNS = "id, answers, comment, held, comment_status"


class SQLiteRatings:
    """The ratings half of ``SQLiteStore`` (mixed in; see ``port.Store`` for the contract)."""

    _overviews: KeptOverviews
    _publications: KeptPublications

    if TYPE_CHECKING:

        async def run(self, work: Callable[[sqlite3.Connection], T]) -> T: ...

    async def save_consent(self, pseudonym: str, version: str, at: dt.datetime) -> None:
        when = epoch(at)

        def _save(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO consents (pseudonym, version, given_at, first_given_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (pseudonym) DO UPDATE "
                "SET version = excluded.version, given_at = excluded.given_at",
                (pseudonym, version, when, when),
            )

        await self.run(_save)

    async def consent(self, pseudonym: str) -> Consent | None:
        def _load(db: sqlite3.Connection) -> Consent | None:
            row = db.execute(
                "SELECT version, given_at, first_given_at FROM consents WHERE pseudonym = ?",
                (pseudonym,),
            ).fetchone()
            return None if row is None else Consent(row[0], _time(row[1]), _time(row[2]))

        return await self.run(_load)

    async def withdraw_consent(self, pseudonym: str) -> None:
        def _withdraw(db: sqlite3.Connection) -> None:
            with _transaction(db):
                unsummarize_reports_of(db, pseudonym)
                db.execute("DELETE FROM reports WHERE pseudonym = ?", (pseudonym,))
                db.execute("DELETE FROM consents WHERE pseudonym = ?", (pseudonym,))
                prune_names(db)

        await self.run(_withdraw)

    async def save_report(
        self, pseudonym: str, report: Report, *, held: bool = False, reporter_since: dt.datetime
    ) -> SavedReport:
        answers = report.model_dump_json(exclude={"comment"})
        status = CommentStatus.PENDING.value if report.comment else None
        created, since = epoch(report.created_at), epoch(reporter_since)

        def _save(db: sqlite3.Connection) -> SavedReport:
            with _transaction(db):
                old = db.execute(
                    "SELECT id, answers, held, first_at FROM reports "
                    "WHERE pseudonym = ? AND recruiter_id = ?",
                    (pseudonym, report.recruiter_id),
                ).fetchone()
                first_at = created
                if old is not None:
                    if not old[2]:
                        apply(db, Report.model_validate_json(old[1]), -1)
                    db.execute("DELETE FROM reports WHERE id = ?", (old[0],))
                    first_at = old[3]
                cursor = db.execute(
                    "INSERT INTO reports (pseudonym, recruiter_id, origin, answers, comment, "
                    "comment_status, held, created_at, first_at, reporter_since, broker_key) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (pseudonym, report.recruiter_id, report.origin, answers, report.comment,
                     status, int(held), created, first_at, since, report_broker_key(report)),
                )  # fmt: skip
                add_names(db, report)
                if not held:
                    apply(db, report, +1)
                return SavedReport(str(cursor.lastrowid), replaced=old is not None, held=held)

        return await self.run(_save)

    async def reports_of(self, pseudonym: str) -> list[StoredReport]:
        def _load(db: sqlite3.Connection) -> list[StoredReport]:
            rows = db.execute(
                f"SELECT {_REPORT_COLUMNS} FROM reports WHERE pseudonym = ? "  # noqa: S608
                "ORDER BY created_at, id",
                (pseudonym,),
            ).fetchall()
            return [_stored(row) for row in rows]

        return await self.run(_load)

    async def summary(self, recruiter_id: str) -> Summary:
        def _load(db: sqlite3.Connection) -> Summary:
            row = db.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM summaries "  # noqa: S608
                "WHERE recruiter_id = ? AND dim = ? AND value = ''",
                (recruiter_id, ALL),
            ).fetchone()
            return Summary(recruiter_id=recruiter_id) if row is None else summary_of(row)

        return await self.run(_load)

    async def summaries(
        self, *, origin: str | None = None, destination: str | None = None
    ) -> dict[str, Summary]:
        """Kept in the process and refreshed from the rows changed since (``sqlite_overview``)."""
        dim, value = ("destination", destination) if destination else (ALL, "")
        return await self.run(lambda db: self._overviews.read(db, dim, value, origin or None))

    async def breakdown(self, recruiter_id: str, by: Breakdown) -> dict[str, Summary]:
        if by == "destination_quarter":
            return await self.run(
                lambda db: {
                    key: summary
                    for key, _, summary in aggregate(db, QUARTER_CELL_SQL, recruiter_id)
                }
            )

        def _load(db: sqlite3.Connection) -> dict[str, Summary]:
            rows = db.execute(
                f"SELECT value, {SUMMARY_COLUMNS} FROM summaries "  # noqa: S608
                "WHERE recruiter_id = ? AND dim = ? ORDER BY value",
                (recruiter_id, by),
            ).fetchall()
            return {row[0]: summary_of(row[1:]) for row in rows}

        return await self.run(_load)

    async def published(self, groups: Sequence[str]) -> dict[str, Summary]:
        wanted = list(dict.fromkeys(groups))
        return await self.run(lambda db: published_rows(db, wanted))

    async def published_under(self, prefix: str) -> dict[str, Summary]:
        """A range of the primary key; an origin's wide ranges are kept in the process and
        refreshed from the rows changed since (``sqlite_publications``)."""
        return await self.run(lambda db: self._publications.read(db, prefix))

    async def publish(self, summaries: Mapping[str, Summary], at: dt.datetime) -> None:
        when = epoch(at)
        rows = [(group, summary.model_dump_json(), when) for group, summary in summaries.items()]
        for (_, body, _), summary in zip(rows, summaries.values(), strict=True):
            kept_snapshot(body, summary)

        def _write(db: sqlite3.Connection) -> None:
            alone = not db.in_transaction  # else a turn's, which may still roll back
            with _transaction(db):
                before = self._publications.newest(db)  # the write lock is held: no one else
                db.executemany(
                    "INSERT OR REPLACE INTO publications (group_key, summary, published_at) "
                    "VALUES (?, ?, ?)",
                    rows,
                )
                after = self._publications.newest(db)
            if alone:
                self._publications.wrote(before, after, summaries)

        await self.run(_write)

    async def recompute_summaries(self) -> None:
        def _recompute(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.execute("DELETE FROM summaries")
                for dim, value_sql in CELL_SQL.items():
                    for row in aggregate(db, value_sql):
                        write(db, dim, row[0], row[1], row[2])

        await self.run(_recompute)

    async def new_reports_since(self, pseudonym: str, since: dt.datetime) -> int:
        return await self._count(
            "SELECT COUNT(*) FROM reports WHERE pseudonym = ? AND first_at >= ?",
            (pseudonym, epoch(since)),
        )

    async def recent_reports_from_new_reporters(
        self, recruiter_id: str, since: dt.datetime, reporters_since: dt.datetime
    ) -> int:
        return await self._count(
            "SELECT COUNT(*) FROM reports WHERE recruiter_id = ? AND created_at >= ? "
            "AND reporter_since >= ?",
            (recruiter_id, epoch(since), epoch(reporters_since)),
        )

    async def held_reports(self, limit: int = 100) -> list[StoredReport]:
        return await self._list("held = 1", limit)

    async def accept_held(self, report_id: str) -> bool:
        def _accept(db: sqlite3.Connection) -> bool:
            with _transaction(db):
                row = db.execute(
                    "SELECT answers FROM reports WHERE id = ? AND held = 1", (_id(report_id),)
                ).fetchone()
                if row is None:
                    return False
                db.execute("UPDATE reports SET held = 0 WHERE id = ?", (_id(report_id),))
                apply(db, Report.model_validate_json(row[0]), +1)
                return True

        return await self.run(_accept)

    async def discard_held(self, report_id: str) -> bool:
        def _discard(db: sqlite3.Connection) -> bool:
            cursor = db.execute("DELETE FROM reports WHERE id = ? AND held = 1", (_id(report_id),))
            return cursor.rowcount == 1

        return await self.run(_discard)

    async def pending_comments(self, limit: int = 100) -> list[StoredReport]:
        return await self._list("comment_status = 'pending'", limit)

    async def moderate_comments(self, report_ids: Sequence[str], approve: bool) -> int:
        ids = [(_id(report_id),) for report_id in report_ids]
        if approve:
            sql = "UPDATE reports SET comment_status = 'approved' WHERE id = ? "
        else:
            sql = "UPDATE reports SET comment_status = 'rejected', comment = NULL WHERE id = ? "
        sql += "AND comment_status = 'pending'"

        def _moderate(db: sqlite3.Connection) -> int:
            with _transaction(db):
                return sum(db.execute(sql, params).rowcount for params in ids)

        return await self.run(_moderate)

    async def _count(self, sql: str, params: tuple[Any, ...]) -> int:
        return await self.run(lambda db: int(db.execute(sql, params).fetchone()[0]))

    async def _list(self, condition: str, limit: int) -> list[StoredReport]:
        sql = f"SELECT {_REPORT_COLUMNS} FROM reports WHERE {condition} ORDER BY id LIMIT ?"  # noqa: S608
        return await self.run(lambda db: [_stored(row) for row in db.execute(sql, (limit,))])


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """All or nothing; inside a turn's unit of work, a savepoint of its transaction."""
    if db.in_transaction:
        db.execute("SAVEPOINT work")
        try:
            yield
            db.execute("RELEASE work")
        except BaseException:
            db.execute("ROLLBACK TO work")
            db.execute("RELEASE work")
            raise
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


transaction = _transaction
"""The same, for the other halves of the store (names)."""


def _stored(row: Sequence[Any]) -> StoredReport:
    report_id, answers, comment, held, status = row
    report = Report.model_validate_json(answers).model_copy(update={"comment": comment})
    return StoredReport(
        str(report_id), report, bool(held), CommentStatus(status) if status else None
    )


def _id(report_id: str) -> int:
    return int(report_id) if report_id.isdigit() else -1


def _time(seconds: float) -> dt.datetime:
    return as_utc(dt.datetime.fromtimestamp(seconds, dt.UTC))
