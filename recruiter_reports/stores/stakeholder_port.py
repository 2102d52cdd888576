"""The port for stakeholder accounts, their audit log and their portal sessions.

Kept apart from the workers' data ports (``port``) because its users differ: only
the portal, the API and the ``stakeholders`` command touch it. Portal session
ids are stored as SHA-256 digests, so a copy of the database holds no usable
session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from recruiter_reports.audit import AuditEntry
from recruiter_reports.stakeholders import Account
from recruiter_reports.stores.port import Store
from recruiter_reports.stores.replies_port import ReplyStore

__all__ = ["PortalSession", "StakeholderStore", "stakeholder_store_for"]


@dataclass(frozen=True, slots=True)
class PortalSession:
    """A logged-in browser. ``id_hash`` is the digest of the cookie value, never the value."""

    id_hash: str
    account_id: str
    csrf_token: str
    created_at: dt.datetime
    last_seen: dt.datetime


@runtime_checkable
class StakeholderStore(ReplyStore, Protocol):
    """Accounts, the append-only audit log, portal sessions, and agencies' replies."""

    async def add_account(self, account: Account) -> None: ...

    async def account(self, account_id: str) -> Account | None: ...

    async def account_by_key_id(self, key_id: str) -> Account | None: ...

    async def accounts(self) -> list[Account]:
        """Every account, oldest first, revoked ones included."""

    async def revoke(self, account_id: str, at: dt.datetime) -> bool:
        """Mark the account revoked and end its portal sessions; False when unknown."""

    async def append_audit(self, entry: AuditEntry) -> None:
        """Append one entry; there is deliberately no way to change or remove one."""

    async def audit_entries(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """Newest first."""

    async def save_portal_session(self, session: PortalSession) -> None: ...

    async def portal_session(self, id_hash: str) -> PortalSession | None: ...

    async def touch_portal_session(self, id_hash: str, at: dt.datetime) -> None: ...

    async def delete_portal_session(self, id_hash: str) -> None: ...

    async def delete_portal_sessions_before(self, cutoff: dt.datetime) -> None:
        """Drop sessions last seen before ``cutoff`` (housekeeping)."""

    async def add_login_failure(
        self, source: str, at: dt.datetime, keep_until: dt.datetime
    ) -> None:
        """Record a failed login from ``source`` (a digest, never an address or a key).

        Kept in the store, not in a worker's memory, so every worker throttles the
        same guesser; dropped after ``keep_until``.
        """

    async def login_failures(self, source: str, since: dt.datetime) -> int:
        """Failed logins recorded from ``source`` at or after ``since``."""


def stakeholder_store_for(store: Store) -> StakeholderStore:
    """The stakeholder store beside ``store`` (same SQLite file, MongoDB database or memory).

    Each adapter knows its own (``Store.stakeholders``); a store without one (a
    test double, say) raises NotImplementedError.
    """
    stakeholders = getattr(store, "stakeholders", None)
    if stakeholders is None:
        raise NotImplementedError(
            f"stakeholder accounts are not available on {type(store).__name__}"
        )
    found: StakeholderStore = stakeholders()
    return found
