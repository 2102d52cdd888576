"""Typed names for ``SQLiteStore``: the ``names`` table beside the reports (see ``names_port``).

A merge rewrites the moved reports (their recruiter id lives in the row and in
its answers) and rebuilds both agencies' summary rows from their reports, all
in one transaction with the record that sends the old spelling to its target.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from recruiter_reports.names import NameKind, NameRecord, NameStatus, moved, records_of
from recruiter_reports.registry import is_pending_id
from recruiter_reports.reports import Report
from recruiter_reports.stores.sqlite_summaries import apply

__all__ = ["SQLiteNames", "add_names", "prune_names"]

T = TypeVar("T")

_COLUMNS = "kind, key, origin, text, status, maybe_person, target"


def add_names(db: sqlite3.Connection, report: Report) -> None:
    """The records a saved report brings, where they are new (in the caller's transaction)."""
    for record in records_of(report):
        db.execute(
            f"INSERT OR IGNORE INTO names ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
            (record.kind.value, record.key, record.origin, record.text, record.status.value,
             int(record.maybe_person), None),
        )  # fmt: skip


def prune_names(db: sqlite3.Connection) -> None:
    """Drop pending records no report names any more (after ``/forget``)."""
    db.execute(
        "DELETE FROM names WHERE status = 'pending' AND ("
        "(kind = 'agency' AND NOT EXISTS (SELECT 1 FROM reports WHERE recruiter_id = names.key))"
        " OR (kind = 'broker' AND NOT EXISTS "
        "(SELECT 1 FROM reports WHERE broker_key = names.key)))"
    )


def _record(row: tuple[Any, ...]) -> NameRecord:
    kind, key, origin, text, status, maybe_person, target = row
    return NameRecord(NameKind(kind), key, origin, text, NameStatus(status), bool(maybe_person),
                      target)  # fmt: skip


class SQLiteNames:
    """The names half of ``SQLiteStore`` (mixed in; see ``names_port``)."""

    if TYPE_CHECKING:

        async def run(self, work: Callable[[sqlite3.Connection], T]) -> T: ...

    async def name_records(
        self, kind: NameKind, *, origin: str | None = None, status: NameStatus | None = None
    ) -> list[NameRecord]:
        sql = f"SELECT {_COLUMNS} FROM names WHERE kind = ?"  # noqa: S608
        params: list[str] = [kind.value]
        if origin is not None:
            sql, params = sql + " AND origin = ?", [*params, origin]
        if status is not None:
            sql, params = sql + " AND status = ?", [*params, status.value]
        sql += " ORDER BY rowid"
        return await self.run(lambda db: [_record(row) for row in db.execute(sql, params)])

    async def name_record(self, kind: NameKind, key: str) -> NameRecord | None:
        def _load(db: sqlite3.Connection) -> NameRecord | None:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM names WHERE kind = ? AND key = ?",  # noqa: S608
                (kind.value, key),
            ).fetchone()
            return None if row is None else _record(row)

        return await self.run(_load)

    async def broker_counts(self, recruiter_id: str) -> dict[str, int]:
        def _count(db: sqlite3.Connection) -> dict[str, int]:
            rows = db.execute(
                "SELECT broker_key, COUNT(*) FROM reports WHERE recruiter_id = ? AND held = 0 "
                "AND broker_key IS NOT NULL GROUP BY broker_key",
                (recruiter_id,),
            )
            return {key: int(count) for key, count in rows}

        return await self.run(_count)

    async def moderate_name(
        self, kind: NameKind, key: str, approve: bool, text: str | None = None
    ) -> bool:
        if approve:
            sql = "UPDATE names SET status = 'approved', text = coalesce(?, text) "
            params: tuple[Any, ...] = (text or None, kind.value, key)
        else:
            sql, params = "UPDATE names SET status = 'rejected', text = NULL ", (kind.value, key)
        sql += "WHERE kind = ? AND key = ? AND status IN ('pending', 'approved')"
        return await self.run(lambda db: db.execute(sql, params).rowcount == 1)

    async def merge_agency(self, pending_id: str, into_id: str) -> int:
        if not is_pending_id(pending_id) or pending_id == into_id:
            raise ValueError("only an unlisted agency can be merged, and not into itself")

        def _merge(db: sqlite3.Connection) -> int:
            from recruiter_reports.stores.sqlite_ratings import transaction

            with transaction(db):
                for rid in (pending_id, into_id):
                    db.execute("DELETE FROM summaries WHERE recruiter_id = ?", (rid,))
                rows = db.execute(
                    "SELECT id, pseudonym, answers, created_at FROM reports "
                    "WHERE recruiter_id = ?",
                    (pending_id,),
                ).fetchall()
                for report_id, pseudonym, answers, created in rows:
                    other = db.execute(
                        "SELECT id, created_at FROM reports WHERE pseudonym = ? "
                        "AND recruiter_id = ?",
                        (pseudonym, into_id),
                    ).fetchone()
                    if other is not None:
                        newer_kept = other[1] >= created
                        doomed = report_id if newer_kept else other[0]
                        db.execute("DELETE FROM reports WHERE id = ?", (doomed,))
                        if newer_kept:
                            continue
                    report = moved(Report.model_validate_json(answers), into_id)
                    db.execute(
                        "UPDATE reports SET recruiter_id = ?, answers = ? WHERE id = ?",
                        (into_id, report.model_dump_json(exclude={"comment"}), report_id),
                    )
                counted = db.execute(
                    "SELECT answers FROM reports WHERE recruiter_id = ? AND held = 0", (into_id,)
                ).fetchall()
                for (answers,) in counted:
                    apply(db, Report.model_validate_json(answers), +1)
                db.execute(
                    "INSERT INTO names (kind, key, origin, text, status, maybe_person, target) "
                    "VALUES ('agency', ?, ?, NULL, 'merged', 0, ?) ON CONFLICT (kind, key) "
                    "DO UPDATE SET status = 'merged', target = excluded.target",
                    (pending_id, pending_id[:2], into_id),
                )
                return len(rows)

        return await self.run(_merge)
