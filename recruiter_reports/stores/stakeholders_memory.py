"""In-memory stakeholder store, for unit tests and ``memory://`` runs."""

from __future__ import annotations

import dataclasses
import datetime as dt

from recruiter_reports.audit import AuditEntry
from recruiter_reports.clock import as_utc
from recruiter_reports.replies import PublicReply, ReplyRecord, ReplyStatus
from recruiter_reports.stakeholders import Account
from recruiter_reports.stores.stakeholder_port import PortalSession

__all__ = ["MemoryStakeholderStore"]


class MemoryStakeholderStore:
    """Implements ``StakeholderStore`` with dicts and one append-only list."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._audit: list[AuditEntry] = []
        self._sessions: dict[str, PortalSession] = {}
        self._failures: list[tuple[str, dt.datetime, dt.datetime]] = []
        self._replies: dict[str, ReplyRecord] = {}

    async def reply_record(self, recruiter_id: str) -> ReplyRecord | None:
        return self._replies.get(recruiter_id)

    async def save_reply_record(self, record: ReplyRecord) -> None:
        self._replies[record.recruiter_id] = dataclasses.replace(
            record, drafted_at=as_utc(record.drafted_at),
            public_at=None if record.public_at is None else as_utc(record.public_at),
        )  # fmt: skip

    async def reply_records(self, status: ReplyStatus | None = None) -> list[ReplyRecord]:
        found = [r for r in self._replies.values() if status is None or r.status is status]
        return sorted(found, key=lambda record: (record.drafted_at, record.recruiter_id))

    async def public_reply(self, recruiter_id: str) -> PublicReply | None:
        record = self._replies.get(recruiter_id)
        return None if record is None else record.shown

    async def public_replies(self) -> dict[str, PublicReply]:
        shown = (record.shown for record in self._replies.values())
        return {reply.recruiter_id: reply for reply in shown if reply is not None}

    async def add_account(self, account: Account) -> None:
        if account.id in self._accounts or any(
            known.key_id == account.key_id for known in self._accounts.values()
        ):
            raise ValueError("an account with this id or key id exists")
        self._accounts[account.id] = account

    async def account(self, account_id: str) -> Account | None:
        return self._accounts.get(account_id)

    async def account_by_key_id(self, key_id: str) -> Account | None:
        return next((a for a in self._accounts.values() if a.key_id == key_id), None)

    async def accounts(self) -> list[Account]:
        return sorted(self._accounts.values(), key=lambda account: account.created_at)

    async def revoke(self, account_id: str, at: dt.datetime) -> bool:
        account = self._accounts.get(account_id)
        if account is None:
            return False
        if account.revoked_at is None:
            self._accounts[account_id] = dataclasses.replace(account, revoked_at=as_utc(at))
        for id_hash in [k for k, s in self._sessions.items() if s.account_id == account_id]:
            del self._sessions[id_hash]
        return True

    async def append_audit(self, entry: AuditEntry) -> None:
        self._audit.append(dataclasses.replace(entry, at=as_utc(entry.at)))

    async def audit_entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        newest_first = self._audit[::-1]
        return newest_first[offset : offset + limit]

    async def save_portal_session(self, session: PortalSession) -> None:
        self._sessions[session.id_hash] = session

    async def portal_session(self, id_hash: str) -> PortalSession | None:
        return self._sessions.get(id_hash)

    async def touch_portal_session(self, id_hash: str, at: dt.datetime) -> None:
        session = self._sessions.get(id_hash)
        if session is not None:
            self._sessions[id_hash] = dataclasses.replace(session, last_seen=as_utc(at))

    async def delete_portal_session(self, id_hash: str) -> None:
        self._sessions.pop(id_hash, None)

    async def delete_portal_sessions_before(self, cutoff: dt.datetime) -> None:
        limit = as_utc(cutoff)
        for id_hash in [k for k, s in self._sessions.items() if s.last_seen < limit]:
            del self._sessions[id_hash]

    async def add_login_failure(
        self, source: str, at: dt.datetime, keep_until: dt.datetime
    ) -> None:
        now = as_utc(at)
        self._failures = [f for f in self._failures if f[2] >= now]
        self._failures.append((source, now, as_utc(keep_until)))

    async def login_failures(self, source: str, since: dt.datetime) -> int:
        start = as_utc(since)
        return sum(1 for known, at, _ in self._failures if known == source and at >= start)
