"""The port for agencies' replies: one record per agency, kept beside the stakeholder accounts.

The decisions (a new draft, a moderator's verdict) are ``recruiter_reports.replies``;
an adapter only keeps and finds records. The chat reads approved replies through
``ReplyReads`` alone.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from recruiter_reports.replies import PublicReply, ReplyRecord, ReplyStatus

__all__ = ["ReplyReads", "ReplyStore"]


@runtime_checkable
class ReplyReads(Protocol):
    """Approved replies, for every reader of an agency's figures."""

    async def public_reply(self, recruiter_id: str) -> PublicReply | None: ...

    async def public_replies(self) -> dict[str, PublicReply]:
        """Every approved reply by agency id (few: one per agency that answered)."""


@runtime_checkable
class ReplyStore(ReplyReads, Protocol):
    """Replies as the portal writes and moderates them."""

    async def reply_record(self, recruiter_id: str) -> ReplyRecord | None: ...

    async def save_reply_record(self, record: ReplyRecord) -> None:
        """Insert or replace the agency's one record."""

    async def reply_records(self, status: ReplyStatus | None = None) -> list[ReplyRecord]:
        """Records (of one draft status), oldest draft first."""
