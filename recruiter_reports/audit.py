"""The stakeholder audit log: who (an account, never a worker) did what, when, in UTC.

Entries are only ever appended; no code path edits or deletes one, and the
SQLite table refuses UPDATE and DELETE with a trigger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["AuditAction", "AuditEntry"]


class AuditAction(StrEnum):
    """The kinds of event the issue asks to record."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    PAGE_VIEW = "page_view"
    API_CALL = "api_call"
    EXPORT = "export"
    DENIED = "denied"
    MODERATION = "moderation"
    ACCOUNT_ADDED = "account_added"
    ACCOUNT_REVOKED = "account_revoked"
    SEED_DEMO = "seed_demo"
    CASE_LIST = "case_list"
    CASE_VIEW = "case_view"
    CASE_REPLY = "case_reply"
    CASE_NOTE = "case_note"
    CASE_STATE = "case_state"
    REPORT_BACK = "report_back"
    """An admin approved (or tried to approve) a quarter's report-back round."""
    REPLY_EDIT = "reply_edit"
    """An agency wrote or changed its reply; the entry keeps the text it wrote."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event. ``account_id`` is None when nobody could be identified (a failed login)."""

    at: dt.datetime
    account_id: str | None
    action: AuditAction
    target: str
    """What was acted on: a path with its query, an agency id, an account id."""
