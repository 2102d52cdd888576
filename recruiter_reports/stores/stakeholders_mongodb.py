"""Stakeholder accounts, audit log and portal sessions in the bot's MongoDB database.

Uses the open ``MongoDBStore``'s client and database, so workers and
stakeholders share one deployment; the indexes come from ``mongodb_schema``
and are created when the store opens. Outages become ``StoreUnavailable``
exactly as for workers' data (``mongodb_errors``).

The audit log is append-only in code: this class inserts and reads entries and
has no way to change or remove one. MongoDB has no triggers to refuse an
update, so give the bot's database user a custom role with only ``find``,
``insert`` and ``createIndex`` on the ``stakeholder_audit`` collection (never
``update``, ``remove`` or ``dropCollection``); then not even a compromised
worker can rewrite history. Each entry's ``_id`` is the next number of a
counter in ``meta``, so entries keep the order they were appended in across
workers (ObjectIds from different machines do not sort strictly).

Times are BSON dates, kept to the millisecond.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from recruiter_reports.audit import AuditAction, AuditEntry
from recruiter_reports.clock import as_utc, utc_now
from recruiter_reports.replies import PublicReply, ReplyRecord, ReplyStatus
from recruiter_reports.stakeholders import Account, Role
from recruiter_reports.stores.mongodb import MongoDBStore
from recruiter_reports.stores.mongodb_errors import unavailable_on_failure
from recruiter_reports.stores.mongodb_schema import (
    AGENCY_REPLIES,
    LOGIN_FAILURES,
    META,
    PORTAL_SESSIONS,
    STAKEHOLDER_ACCOUNTS,
    STAKEHOLDER_AUDIT,
)
from recruiter_reports.stores.stakeholder_port import PortalSession

__all__ = ["DEFAULT_SESSION_LIFETIME", "MongoDBStakeholderStore"]

Document = dict[str, Any]

DEFAULT_SESSION_LIFETIME = dt.timedelta(hours=8)
"""When the TTL monitor deletes a portal session, counted from its login.

The same as the portal's default ``absolute_timeout``. The portal checks its
own limits on every request; this only makes sure no session outlives it in
the database. A longer ``absolute_timeout`` needs a longer lifetime here.
"""

_AUDIT_COUNTER = "stakeholder_audit_seq"
"""The ``meta`` document whose ``$inc`` numbers audit entries."""


class MongoDBStakeholderStore:
    """Implements ``StakeholderStore`` beside an open ``MongoDBStore``."""

    def __init__(
        self, store: MongoDBStore, *, session_lifetime: dt.timedelta = DEFAULT_SESSION_LIFETIME
    ) -> None:
        self._store = store
        self._session_lifetime = session_lifetime

    async def add_account(self, account: Account) -> None:
        database = await self._database()
        async with unavailable_on_failure("adding a stakeholder account"):
            try:
                await database[STAKEHOLDER_ACCOUNTS].insert_one(_account_document(account))
            except DuplicateKeyError as error:
                raise ValueError("an account with this id or key id exists") from error

    async def account(self, account_id: str) -> Account | None:
        return await self._one({"_id": account_id})

    async def account_by_key_id(self, key_id: str) -> Account | None:
        return await self._one({"key_id": key_id})

    async def accounts(self) -> list[Account]:
        database = await self._database()
        async with unavailable_on_failure("listing stakeholder accounts"):
            cursor = database[STAKEHOLDER_ACCOUNTS].find({}, sort=[("created_at", 1), ("_id", 1)])
            found = await cursor.to_list()
        return [_account(document) for document in found]

    async def revoke(self, account_id: str, at: dt.datetime) -> bool:
        """Mark revoked (keeping the first time), then end its sessions; both idempotent.

        Not one transaction: should the second step fail, the portal still
        refuses those sessions, since it checks that the account is active on
        every request, and retrying the revocation deletes them.
        """
        database = await self._database()
        accounts = database[STAKEHOLDER_ACCOUNTS]
        async with unavailable_on_failure("revoking a stakeholder account"):
            await accounts.update_one(
                {"_id": account_id, "revoked_at": None}, {"$set": {"revoked_at": as_utc(at)}}
            )
            found = await accounts.count_documents({"_id": account_id}, limit=1)
            if not found:
                return False
            await database[PORTAL_SESSIONS].delete_many({"account_id": account_id})
        return True

    async def append_audit(self, entry: AuditEntry) -> None:
        """Number the entry from the shared counter, then insert it (a gap is harmless)."""
        database = await self._database()
        async with unavailable_on_failure("appending to the audit log"):
            counter = await database[META].find_one_and_update(
                {"_id": _AUDIT_COUNTER},
                {"$inc": {"value": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
            if counter is None:  # an upsert returning the new document always finds one
                raise RuntimeError("the audit counter was not returned")
            await database[STAKEHOLDER_AUDIT].insert_one(
                {
                    "_id": int(counter["value"]),
                    "at": as_utc(entry.at),
                    "account_id": entry.account_id,
                    "action": entry.action.value,
                    "target": entry.target,
                }
            )

    async def audit_entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        if limit <= 0:
            return []
        database = await self._database()
        async with unavailable_on_failure("reading the audit log"):
            cursor = database[STAKEHOLDER_AUDIT].find(
                {}, sort=[("_id", -1)], skip=max(int(offset), 0), limit=int(limit)
            )
            found = await cursor.to_list()
        return [
            AuditEntry(
                as_utc(document["at"]),
                document["account_id"],
                AuditAction(document["action"]),
                document["target"],
            )
            for document in found
        ]

    async def save_portal_session(self, session: PortalSession) -> None:
        """Saved at login; ``purge_at`` is on the wall clock, which the TTL monitor uses."""
        database = await self._database()
        document: Document = {
            "account_id": session.account_id,
            "csrf_token": session.csrf_token,
            "created_at": as_utc(session.created_at),
            "last_seen": as_utc(session.last_seen),
            "purge_at": utc_now() + self._session_lifetime,
        }
        async with unavailable_on_failure("saving a portal session"):
            await database[PORTAL_SESSIONS].replace_one(
                {"_id": session.id_hash}, document, upsert=True
            )

    async def portal_session(self, id_hash: str) -> PortalSession | None:
        database = await self._database()
        async with unavailable_on_failure("reading a portal session"):
            found = await database[PORTAL_SESSIONS].find_one({"_id": id_hash})
        if found is None:
            return None
        return PortalSession(
            found["_id"],
            found["account_id"],
            found["csrf_token"],
            as_utc(found["created_at"]),
            as_utc(found["last_seen"]),
        )

    async def touch_portal_session(self, id_hash: str, at: dt.datetime) -> None:
        database = await self._database()
        async with unavailable_on_failure("touching a portal session"):
            await database[PORTAL_SESSIONS].update_one(
                {"_id": id_hash}, {"$set": {"last_seen": as_utc(at)}}
            )

    async def delete_portal_session(self, id_hash: str) -> None:
        database = await self._database()
        async with unavailable_on_failure("ending a portal session"):
            await database[PORTAL_SESSIONS].delete_one({"_id": id_hash})

    async def delete_portal_sessions_before(self, cutoff: dt.datetime) -> None:
        database = await self._database()
        async with unavailable_on_failure("dropping idle portal sessions"):
            await database[PORTAL_SESSIONS].delete_many({"last_seen": {"$lt": as_utc(cutoff)}})

    async def add_login_failure(
        self, source: str, at: dt.datetime, keep_until: dt.datetime
    ) -> None:
        """``purge_at`` is as far ahead on the wall clock (which the TTL monitor uses) as
        ``keep_until`` is after ``at``."""
        database = await self._database()
        purge_at = utc_now() + (as_utc(keep_until) - as_utc(at))
        document: Document = {"source": source, "at": as_utc(at), "purge_at": purge_at}
        async with unavailable_on_failure("recording a failed login"):
            await database[LOGIN_FAILURES].insert_one(document)

    async def login_failures(self, source: str, since: dt.datetime) -> int:
        database = await self._database()
        async with unavailable_on_failure("counting failed logins"):
            return await database[LOGIN_FAILURES].count_documents(
                {"source": source, "at": {"$gte": as_utc(since)}}
            )

    async def reply_record(self, recruiter_id: str) -> ReplyRecord | None:
        database = await self._database()
        async with unavailable_on_failure("reading an agency's reply"):
            found = await database[AGENCY_REPLIES].find_one({"_id": recruiter_id})
        return None if found is None else _reply(found)

    async def save_reply_record(self, record: ReplyRecord) -> None:
        database = await self._database()
        document = {
            "account_id": record.account_id, "draft": record.draft,
            "drafted_at": as_utc(record.drafted_at), "status": record.status.value,
            "public": record.public,
            "public_at": None if record.public_at is None else as_utc(record.public_at),
        }  # fmt: skip
        async with unavailable_on_failure("saving an agency's reply"):
            await database[AGENCY_REPLIES].replace_one(
                {"_id": record.recruiter_id}, document, upsert=True
            )

    async def reply_records(self, status: ReplyStatus | None = None) -> list[ReplyRecord]:
        database = await self._database()
        query: Document = {} if status is None else {"status": status.value}
        async with unavailable_on_failure("listing agencies' replies"):
            cursor = database[AGENCY_REPLIES].find(query, sort=[("drafted_at", 1), ("_id", 1)])
            found = await cursor.to_list()
        return [_reply(document) for document in found]

    async def public_reply(self, recruiter_id: str) -> PublicReply | None:
        record = await self.reply_record(recruiter_id)
        return None if record is None else record.shown

    async def public_replies(self) -> dict[str, PublicReply]:
        database = await self._database()
        async with unavailable_on_failure("listing agencies' replies"):
            cursor = database[AGENCY_REPLIES].find({"public": {"$ne": None}})
            found = await cursor.to_list()
        shown = (_reply(document).shown for document in found)
        return {reply.recruiter_id: reply for reply in shown if reply is not None}

    async def _one(self, query: Document) -> Account | None:
        database = await self._database()
        async with unavailable_on_failure("reading a stakeholder account"):
            found = await database[STAKEHOLDER_ACCOUNTS].find_one(query)
        return None if found is None else _account(found)

    async def _database(self) -> AsyncDatabase[Document]:
        # The store's own readiness check: raises StoreUnavailable while it is closed or
        # unreachable, and finishes a set-up (indexes included) that failed at open.
        return await self._store._ready()


def _account_document(account: Account) -> Document:
    return {
        "_id": account.id,
        "name": account.name,
        "role": account.role.value,
        "countries": sorted(account.countries),
        "key_id": account.key_id,
        "key_hash": account.key_hash,
        "created_at": as_utc(account.created_at),
        "revoked_at": None if account.revoked_at is None else as_utc(account.revoked_at),
        "partner": account.partner,
        "agency": account.agency,
    }


def _account(document: Document) -> Account:
    revoked_at = document.get("revoked_at")
    return Account(
        id=str(document["_id"]),
        name=str(document["name"]),
        role=Role(str(document["role"])),
        countries=frozenset(str(code) for code in document["countries"]),
        key_id=str(document["key_id"]),
        key_hash=str(document["key_hash"]),
        created_at=as_utc(document["created_at"]),
        revoked_at=None if revoked_at is None else as_utc(revoked_at),
        partner=None if document.get("partner") is None else str(document["partner"]),
        agency=None if document.get("agency") is None else str(document["agency"]),
    )


def _reply(document: Document) -> ReplyRecord:
    public_at = document.get("public_at")
    return ReplyRecord(
        recruiter_id=str(document["_id"]),
        account_id=str(document["account_id"]),
        draft=str(document["draft"]),
        drafted_at=as_utc(document["drafted_at"]),
        status=ReplyStatus(str(document["status"])),
        public=None if document.get("public") is None else str(document["public"]),
        public_at=None if public_at is None else as_utc(public_at),
    )
