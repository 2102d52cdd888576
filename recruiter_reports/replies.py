"""An agency's right of reply: one public answer beside its figures, moderated and dated.

An agency account (``Role.AGENCY``, bound to one registry entry) writes its
reply in the portal. What it writes waits for a moderator; until one approves
it, the reply shown (if any) is the one approved before. Only an approved text
is ever shown, with the date it was written, in the portal, the API, the
exports and the chat's check screen. The text is scrubbed like a comment
(phone numbers, e-mails, ID numbers) so an agency cannot use its reply to
expose a worker, and every edit is also kept in the audit log.

The decisions live here as pure functions over ``ReplyRecord``; the stores
only keep the one record per agency (``stores.replies_port``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from recruiter_reports.scrub import scrub

__all__ = ["REPLY_MAX", "PublicReply", "ReplyRecord", "ReplyStatus", "moderated", "written"]

REPLY_MAX = 1000
"""Characters a reply may have: a paragraph or two beside the figures, not a brochure."""


class ReplyStatus(StrEnum):
    """Where the latest text the agency wrote stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class PublicReply:
    """What readers see: the approved text and when the agency wrote it."""

    recruiter_id: str
    text: str
    written_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReplyRecord:
    """One agency's reply: its latest draft (and its status) and the text shown now."""

    recruiter_id: str
    account_id: str
    draft: str
    drafted_at: dt.datetime
    status: ReplyStatus
    public: str | None = None
    public_at: dt.datetime | None = None

    @property
    def shown(self) -> PublicReply | None:
        if self.public is None or self.public_at is None:
            return None
        return PublicReply(self.recruiter_id, self.public, self.public_at)


def written(
    previous: ReplyRecord | None, recruiter_id: str, account_id: str, text: str, at: dt.datetime
) -> ReplyRecord:
    """The record after the agency writes ``text``: a pending draft; what is shown stays.

    ValueError (with a sentence for the writer) for an empty or too long text.
    """
    cleaned = scrub(" ".join(text.split())).text.strip()
    if not cleaned:
        raise ValueError("The reply is empty.")
    if len(cleaned) > REPLY_MAX:
        raise ValueError(f"The reply is {len(cleaned)} characters long; at most {REPLY_MAX}.")
    if previous is None:
        return ReplyRecord(recruiter_id, account_id, cleaned, at, ReplyStatus.PENDING)
    return dataclasses.replace(
        previous, account_id=account_id, draft=cleaned, drafted_at=at, status=ReplyStatus.PENDING
    )


def moderated(record: ReplyRecord, approve: bool) -> ReplyRecord | None:
    """The record after a moderator's decision on its pending draft; None when none pends."""
    if record.status is not ReplyStatus.PENDING:
        return None
    if not approve:
        return dataclasses.replace(record, status=ReplyStatus.REJECTED)
    return dataclasses.replace(
        record, status=ReplyStatus.APPROVED, public=record.draft, public_at=record.drafted_at
    )
