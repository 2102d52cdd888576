"""The follow-up store in the store's SQLite file, on a connection and thread of its own.

Beside the other tables (same file, ``STORE_URL``): the enrolments and answers
as JSON documents with the columns they are looked up by, the queue as plain
columns. ``claim`` is one ``BEGIN IMMEDIATE`` transaction that picks the due
jobs and leases them, so two workers (two processes on one file) never lease
the same job. SQLite failures become ``FollowupsUnavailable``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from followups.models import CheckinAnswers, Enrolment, Job, JobKind, JobStatus, Round
from followups.port import FollowupsUnavailable
from followups.stores._codec import (
    answers_doc,
    enrolment_doc,
    from_answers,
    from_enrolment,
    from_job,
    from_round,
    job_doc,
    round_doc,
)
from storekit.sqlite_thread import SQLiteThread, immediate
from storekit.times import micros

__all__ = ["SQLiteFollowups"]

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS followup_people (
        pseudonym TEXT PRIMARY KEY,
        document TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS followup_jobs (
        id TEXT PRIMARY KEY,
        person TEXT NOT NULL,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        detail TEXT NOT NULL,
        seen_at INTEGER,
        lease_until INTEGER,
        owner TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS followup_jobs_by_due ON followup_jobs (due_at, id)",
    "CREATE INDEX IF NOT EXISTS followup_jobs_by_person ON followup_jobs (person)",
    """CREATE TABLE IF NOT EXISTS followup_answers (
        pseudonym TEXT NOT NULL,
        recruiter_id TEXT NOT NULL,
        round TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (pseudonym, recruiter_id, round)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS followup_answers_by_agency ON followup_answers (recruiter_id)",
    """CREATE TABLE IF NOT EXISTS followup_published (
        key TEXT PRIMARY KEY,
        reporters INTEGER NOT NULL,
        different INTEGER NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS followup_rounds (
        id TEXT PRIMARY KEY,
        document TEXT NOT NULL
    ) WITHOUT ROWID""",
)
_COLUMNS = ("id", "person", "kind", "ref", "due_at", "status", "attempts", "detail", "seen_at",
            "lease_until", "owner")
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM followup_jobs"  # noqa: S608 (constants)
_CLAIMABLE = ("status IN ('pending', 'stuck') AND due_at <= :now "
              "AND (lease_until IS NULL OR lease_until <= :now)")


class SQLiteFollowups:
    """Implements ``FollowupStore`` on a local SQLite file (shared with the other stores)."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        self._db = SQLiteThread(path, _SCHEMA, FollowupsUnavailable, name="sqlite-followups",
                                busy_timeout_ms=busy_timeout_ms)

    @property
    def path(self) -> Path:
        return self._db.path

    async def open(self) -> None:
        await self._db.open()

    async def close(self) -> None:
        await self._db.close()

    async def enrol(self, enrolment: Enrolment, jobs: Sequence[Job]) -> None:
        document = json.dumps(enrolment_doc(enrolment, binary=False))
        rows = [_row(job) for job in jobs]

        def _enrol(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO followup_people (pseudonym, document) VALUES (?, ?) "
                "ON CONFLICT (pseudonym) DO UPDATE SET document = json_set(excluded.document, "
                "'$.last_round', coalesce(json_extract(excluded.document, '$.last_round'), "
                "json_extract(followup_people.document, '$.last_round')))",
                (enrolment.pseudonym, document))
            db.execute("DELETE FROM followup_jobs WHERE person = ? AND kind = ?",
                       (enrolment.pseudonym, JobKind.CHECKIN.value))
            db.executemany(
                f"INSERT INTO followup_jobs ({', '.join(_COLUMNS)}) VALUES "  # noqa: S608
                f"({', '.join('?' * len(_COLUMNS))})", rows)

        await self._db.run(lambda db: immediate(db, _enrol))

    async def enrolment(self, pseudonym: str) -> Enrolment | None:
        row = await self._db.run(lambda db: db.execute(
            "SELECT document FROM followup_people WHERE pseudonym = ?", (pseudonym,)).fetchone())
        return None if row is None else from_enrolment(json.loads(row[0]))

    async def jobs_of(self, pseudonym: str) -> list[Job]:
        rows = await self._db.run(lambda db: db.execute(
            f"{_SELECT} WHERE person = ? ORDER BY due_at, id", (pseudonym,)).fetchall())
        return [_job(row) for row in rows]

    async def stop(self, pseudonym: str) -> int:
        def _stop(db: sqlite3.Connection) -> int:
            db.execute("DELETE FROM followup_people WHERE pseudonym = ?", (pseudonym,))
            return int(db.execute("DELETE FROM followup_jobs WHERE person = ?",
                                  (pseudonym,)).rowcount)

        return await self._db.run(lambda db: immediate(db, _stop))

    async def forget(self, pseudonym: str) -> None:
        def _forget(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM followup_people WHERE pseudonym = ?", (pseudonym,))
            db.execute("DELETE FROM followup_jobs WHERE person = ?", (pseudonym,))
            db.execute("DELETE FROM followup_answers WHERE pseudonym = ?", (pseudonym,))

        await self._db.run(lambda db: immediate(db, _forget))

    async def enrolments(self) -> list[Enrolment]:
        rows = await self._db.run(lambda db: db.execute(
            "SELECT document FROM followup_people ORDER BY pseudonym").fetchall())
        return [from_enrolment(json.loads(row[0])) for row in rows]

    async def mark_reported(self, pseudonym: str, round_id: str) -> None:
        await self._db.run(lambda db: db.execute(
            "UPDATE followup_people SET document = json_set(document, '$.last_round', ?) "
            "WHERE pseudonym = ?", (round_id, pseudonym)))

    async def approve_round(self, approved: Round, jobs: Sequence[Job]) -> bool:
        """One transaction: the round and its jobs are kept together, or neither."""
        document = json.dumps(round_doc(approved))
        rows = [_row(job) for job in jobs]

        def _approve(db: sqlite3.Connection) -> bool:
            if db.execute("INSERT INTO followup_rounds (id, document) VALUES (?, ?) "
                          "ON CONFLICT (id) DO NOTHING", (approved.id, document)).rowcount != 1:
                return False
            db.executemany(
                f"INSERT INTO followup_jobs ({', '.join(_COLUMNS)}) VALUES "  # noqa: S608
                f"({', '.join('?' * len(_COLUMNS))}) ON CONFLICT (id) DO NOTHING", rows)
            return True

        return await self._db.run(lambda db: immediate(db, _approve))

    async def round(self, round_id: str) -> Round | None:
        row = await self._db.run(lambda db: db.execute(
            "SELECT document FROM followup_rounds WHERE id = ?", (round_id,)).fetchone())
        return None if row is None else from_round(json.loads(row[0]))

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50
    ) -> list[Job]:
        params = {"now": micros(now), "lease": micros(lease_until), "owner": owner,
                  "limit": int(limit)}

        def _claim(db: sqlite3.Connection) -> list[Job]:
            ids = [row[0] for row in db.execute(
                f"SELECT id FROM followup_jobs WHERE {_CLAIMABLE} "  # noqa: S608
                "ORDER BY due_at, id LIMIT :limit", params).fetchall()]
            rows = []
            for job_id in ids:
                db.execute("UPDATE followup_jobs SET lease_until = :lease, owner = :owner "
                           "WHERE id = :id", {**params, "id": job_id})
                rows.append(db.execute(f"{_SELECT} WHERE id = ?", (job_id,)).fetchone())
            return [_job(row) for row in rows]

        return await self._db.run(lambda db: immediate(db, _claim))

    async def done(self, job_id: str, owner: str) -> bool:
        return await self._db.run(lambda db: db.execute(
            "DELETE FROM followup_jobs WHERE id = ? AND owner = ?", (job_id, owner),
        ).rowcount == 1)

    async def retry(
        self, job_id: str, owner: str, *, due_at: dt.datetime, status: JobStatus, detail: str
    ) -> bool:
        values = (micros(due_at), JobStatus(status).value, detail[:300], job_id, owner)
        return await self._db.run(lambda db: db.execute(
            "UPDATE followup_jobs SET due_at = ?, status = ?, detail = ?, "
            "attempts = attempts + 1, lease_until = NULL, owner = '' WHERE id = ? AND owner = ?",
            values).rowcount == 1)

    async def wake(self, person: str, at: dt.datetime) -> int:
        when = micros(at)
        return await self._db.run(lambda db: int(db.execute(
            "UPDATE followup_jobs SET status = 'pending', due_at = ?, seen_at = ? "
            "WHERE person = ? AND status = 'waiting'", (when, when, person)).rowcount))

    async def save_answers(self, answers: CheckinAnswers) -> None:
        document = json.dumps(answers_doc(answers))
        await self._db.run(lambda db: db.execute(
            "INSERT INTO followup_answers (pseudonym, recruiter_id, round, document) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (pseudonym, recruiter_id, round) "
            "DO UPDATE SET document = excluded.document",
            (answers.pseudonym, answers.recruiter_id, answers.round, document)))

    async def answers_for(self, recruiter_id: str) -> list[CheckinAnswers]:
        rows = await self._db.run(lambda db: db.execute(
            "SELECT document FROM followup_answers WHERE recruiter_id = ?",
            (recruiter_id,)).fetchall())
        return [from_answers(json.loads(row[0])) for row in rows]

    async def answers_of(self, pseudonym: str) -> list[CheckinAnswers]:
        rows = await self._db.run(lambda db: db.execute(
            "SELECT document FROM followup_answers WHERE pseudonym = ?",
            (pseudonym,)).fetchall())
        return sorted((from_answers(json.loads(row[0])) for row in rows), key=lambda a: a.at)

    async def published(self, key: str) -> tuple[int, int] | None:
        row = await self._db.run(lambda db: db.execute(
            "SELECT reporters, different FROM followup_published WHERE key = ?",
            (key,)).fetchone())
        return None if row is None else (int(row[0]), int(row[1]))

    async def publish(self, key: str, reporters: int, different: int) -> None:
        await self._db.run(lambda db: db.execute(
            "INSERT INTO followup_published (key, reporters, different) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET reporters = excluded.reporters, "
            "different = excluded.different WHERE excluded.reporters > reporters",
            (key, int(reporters), int(different))))


def _row(job: Job) -> tuple[Any, ...]:
    document = job_doc(job)
    return tuple(document[name] for name in _COLUMNS)


def _job(row: Any) -> Job:
    return from_job(dict(zip(_COLUMNS, row, strict=True)))
