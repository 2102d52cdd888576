"""Stakeholder accounts, audit log and portal sessions in the bot's SQLite file.

Runs on the ``SQLiteStore``'s own thread and connection (``SQLiteStore.run``),
so one file and one writer serve workers and stakeholders alike. The tables
come from the migration "stakeholder accounts, audit log, portal sessions" in
``sqlite_schema``; the audit table has triggers that refuse UPDATE and DELETE.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.clock import as_utc, epoch
from recruiter_reports.replies import PublicReply, ReplyRecord, ReplyStatus
from recruiter_reports.stakeholders import Account, Role
from recruiter_reports.stores.sqlite import SQLiteStore
from recruiter_reports.stores.stakeholder_port import PortalSession

__all__ = ["SQLiteStakeholderStore"]

_ACCOUNT_COLUMNS = (
    "id, name, role, countries, key_id, key_hash, created_at, revoked_at, partner, agency"
)


class SQLiteStakeholderStore:
    """Implements ``StakeholderStore`` beside an open ``SQLiteStore``."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    async def add_account(self, account: Account) -> None:
        row = (
            account.id,
            account.name,
            account.role.value,
            ",".join(sorted(account.countries)),
            account.key_id,
            account.key_hash,
            epoch(account.created_at),
            None if account.revoked_at is None else epoch(account.revoked_at),
            account.partner,
            account.agency,
        )

        def _add(db: sqlite3.Connection) -> None:
            try:
                db.execute(
                    f"INSERT INTO stakeholder_accounts ({_ACCOUNT_COLUMNS}) "  # noqa: S608
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            except sqlite3.IntegrityError as error:
                raise ValueError("an account with this id or key id exists") from error

        await self._store.run(_add)

    async def account(self, account_id: str) -> Account | None:
        return await self._one("id", account_id)

    async def account_by_key_id(self, key_id: str) -> Account | None:
        return await self._one("key_id", key_id)

    async def accounts(self) -> list[Account]:
        rows = await self._store.run(
            lambda db: db.execute(
                f"SELECT {_ACCOUNT_COLUMNS} FROM stakeholder_accounts "  # noqa: S608
                "ORDER BY created_at, id"
            ).fetchall()
        )
        return [_account(row) for row in rows]

    async def revoke(self, account_id: str, at: dt.datetime) -> bool:
        when = epoch(at)

        def _revoke(db: sqlite3.Connection) -> bool:
            db.execute("BEGIN IMMEDIATE")
            try:
                found = db.execute(
                    "UPDATE stakeholder_accounts SET revoked_at = COALESCE(revoked_at, ?) "
                    "WHERE id = ?",
                    (when, account_id),
                ).rowcount
                db.execute("DELETE FROM portal_sessions WHERE account_id = ?", (account_id,))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return found == 1

        return await self._store.run(_revoke)

    async def append_audit(self, entry: AuditEntry) -> None:
        row = (epoch(entry.at), entry.account_id, entry.action.value, entry.target)
        await self._store.run(
            lambda db: db.execute(
                "INSERT INTO stakeholder_audit (at, account_id, action, target) "
                "VALUES (?, ?, ?, ?)",
                row,
            )
        )

    async def audit_entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        rows = await self._store.run(
            lambda db: db.execute(
                "SELECT at, account_id, action, target FROM stakeholder_audit "
                "ORDER BY seq DESC LIMIT ? OFFSET ?",
                (int(limit), int(offset)),
            ).fetchall()
        )
        return [
            AuditEntry(_moment(at), account_id, AuditAction(action), target)
            for at, account_id, action, target in rows
        ]

    async def save_portal_session(self, session: PortalSession) -> None:
        row = (
            session.id_hash,
            session.account_id,
            session.csrf_token,
            epoch(session.created_at),
            epoch(session.last_seen),
        )
        await self._store.run(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO portal_sessions "
                "(id_hash, account_id, csrf_token, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
                row,
            )
        )

    async def portal_session(self, id_hash: str) -> PortalSession | None:
        row = await self._store.run(
            lambda db: db.execute(
                "SELECT id_hash, account_id, csrf_token, created_at, last_seen "
                "FROM portal_sessions WHERE id_hash = ?",
                (id_hash,),
            ).fetchone()
        )
        if row is None:
            return None
        return PortalSession(row[0], row[1], row[2], _moment(row[3]), _moment(row[4]))

    async def touch_portal_session(self, id_hash: str, at: dt.datetime) -> None:
        when = epoch(at)
        await self._store.run(
            lambda db: db.execute(
                "UPDATE portal_sessions SET last_seen = ? WHERE id_hash = ?", (when, id_hash)
            )
        )

    async def delete_portal_session(self, id_hash: str) -> None:
        await self._store.run(
            lambda db: db.execute("DELETE FROM portal_sessions WHERE id_hash = ?", (id_hash,))
        )

    async def delete_portal_sessions_before(self, cutoff: dt.datetime) -> None:
        when = epoch(cutoff)
        await self._store.run(
            lambda db: db.execute("DELETE FROM portal_sessions WHERE last_seen < ?", (when,))
        )

    async def add_login_failure(
        self, source: str, at: dt.datetime, keep_until: dt.datetime
    ) -> None:
        now, until = epoch(at), epoch(keep_until)

        def _add(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM login_failures WHERE keep_until < ?", (now,))
            db.execute(
                "INSERT INTO login_failures (source, at, keep_until) VALUES (?, ?, ?)",
                (source, now, until),
            )

        await self._store.run(_add)

    async def login_failures(self, source: str, since: dt.datetime) -> int:
        start = epoch(since)
        row = await self._store.run(
            lambda db: db.execute(
                "SELECT count(*) FROM login_failures WHERE source = ? AND at >= ?",
                (source, start),
            ).fetchone()
        )
        return int(row[0])

    async def _one(self, column: str, value: str) -> Account | None:
        row = await self._store.run(
            lambda db: db.execute(
                # ``column`` is one of two literals above, never input.
                f"SELECT {_ACCOUNT_COLUMNS} FROM stakeholder_accounts "  # noqa: S608
                f"WHERE {column} = ?",
                (value,),
            ).fetchone()
        )
        return None if row is None else _account(row)

    async def reply_record(self, recruiter_id: str) -> ReplyRecord | None:
        def _read(db: sqlite3.Connection) -> tuple[object, ...] | None:
            found: tuple[object, ...] | None = db.execute(
                f"SELECT {_REPLY_COLUMNS} FROM agency_replies WHERE recruiter_id = ?",  # noqa: S608
                (recruiter_id,),
            ).fetchone()
            return found

        row = await self._store.run(_read)
        return None if row is None else _reply(row)

    async def save_reply_record(self, record: ReplyRecord) -> None:
        row = (
            record.recruiter_id, record.account_id, record.draft, epoch(record.drafted_at),
            record.status.value, record.public,
            None if record.public_at is None else epoch(record.public_at),
        )  # fmt: skip

        def _save(db: sqlite3.Connection) -> None:
            db.execute(
                f"INSERT OR REPLACE INTO agency_replies ({_REPLY_COLUMNS}) "  # noqa: S608
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )

        await self._store.run(_save)

    async def reply_records(self, status: ReplyStatus | None = None) -> list[ReplyRecord]:
        def _read(db: sqlite3.Connection) -> list[tuple[object, ...]]:
            where, args = ("WHERE status = ?", (status.value,)) if status else ("", ())
            return db.execute(
                f"SELECT {_REPLY_COLUMNS} FROM agency_replies {where} "  # noqa: S608
                "ORDER BY drafted_at, recruiter_id",
                args,
            ).fetchall()

        return [_reply(row) for row in await self._store.run(_read)]

    async def public_reply(self, recruiter_id: str) -> PublicReply | None:
        record = await self.reply_record(recruiter_id)
        return None if record is None else record.shown

    async def public_replies(self) -> dict[str, PublicReply]:
        def _read(db: sqlite3.Connection) -> list[tuple[object, ...]]:
            return db.execute(
                f"SELECT {_REPLY_COLUMNS} FROM agency_replies "  # noqa: S608
                "WHERE public IS NOT NULL"
            ).fetchall()

        shown = (_reply(row).shown for row in await self._store.run(_read))
        return {reply.recruiter_id: reply for reply in shown if reply is not None}


_REPLY_COLUMNS = "recruiter_id, account_id, draft, drafted_at, status, public, public_at"


def _reply(row: tuple[object, ...]) -> ReplyRecord:
    recruiter_id, account_id, draft, drafted_at, status, public, public_at = row
    return ReplyRecord(
        recruiter_id=str(recruiter_id),
        account_id=str(account_id),
        draft=str(draft),
        drafted_at=_moment(float(drafted_at)),  # type: ignore[arg-type]
        status=ReplyStatus(str(status)),
        public=None if public is None else str(public),
        public_at=None if public_at is None else _moment(float(public_at)),  # type: ignore[arg-type]
    )


def _moment(value: float) -> dt.datetime:
    return as_utc(dt.datetime.fromtimestamp(value, dt.UTC))


def _account(row: tuple[object, ...]) -> Account:
    ident, name, role, countries, key_id, key_hash, created_at, revoked_at, partner, agency = row
    return Account(
        id=str(ident),
        name=str(name),
        role=Role(str(role)),
        countries=frozenset(code for code in str(countries).split(",") if code),
        key_id=str(key_id),
        key_hash=str(key_hash),
        created_at=_moment(float(created_at)),  # type: ignore[arg-type]
        revoked_at=None if revoked_at is None else _moment(float(revoked_at)),  # type: ignore[arg-type]
        partner=None if partner is None else str(partner),
        agency=None if agency is None else str(agency),
    )
