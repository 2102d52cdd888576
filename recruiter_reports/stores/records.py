"""Plain records the store port returns for ratings: consent, stored reports, outcomes.

None of them carries a pseudonym: what leaves the store for the chat, the
portal or a moderator names no one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from recruiter_reports.reports import Report

__all__ = [
    "Breakdown",
    "CommentStatus",
    "Consent",
    "SavedReport",
    "StoredReport",
    "quarter_cell",
]

Breakdown = Literal["destination", "year", "destination_quarter"]
"""How a recruiter's summary can be split for the portal (cells are disjoint).

``destination_quarter`` cells are keyed ``"QA|2026Q3"`` (``"|2026Q3"`` when the
destination was not said): the finest cells, from which every figure over a
period is built (see ``bot.web.portal.periods``)."""


def quarter_cell(destination: str | None, quarter: str) -> str:
    """The key of a ``destination_quarter`` cell."""
    return f"{destination or NOT_SAID}|{quarter}"

NOT_SAID = ""
"""The breakdown cell of reports whose reporter preferred not to name the destination."""


class CommentStatus(StrEnum):
    """Where a scrubbed comment is in moderation; only moderators ever read it."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    """Rejected comments keep the status but lose their text."""


@dataclass(frozen=True, slots=True)
class Consent:
    """The consent a person gave to rating: the text version they saw, and when.

    ``first_given_at`` survives a newer version being accepted: it is how long
    the person has been rating, which the burst rule needs.
    """

    version: str
    given_at: dt.datetime
    first_given_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A report as kept, with an opaque id for moderators (never the reporter's pseudonym).

    ``held`` reports are not counted in any summary until a moderator accepts them.
    """

    id: str
    report: Report
    held: bool
    comment_status: CommentStatus | None


@dataclass(frozen=True, slots=True)
class SavedReport:
    """What ``save_report`` did: whether it replaced the person's earlier report, and its id."""

    id: str
    replaced: bool
    held: bool
