"""Unlisted agencies as readers see them: approved names found by search, merges followed.

One place for both rules, read by the chat (``ratings.Ratings``) and the portal:

- only a name a moderator approved is searchable (``search``);
- an unlisted id merged into another spelling, or linked to its registry entry,
  lives on as its target (``follow``), so reports, links and typed spellings all
  reach the same agency.
"""

from __future__ import annotations

from recruiter_reports.matching import NameIndex
from recruiter_reports.names import NameKind, NameRecord, NameStatus
from recruiter_reports.registry import NAME_CUTOFF, is_pending_id
from recruiter_reports.stores.names_port import NameReads

__all__ = ["follow", "search"]

_MERGE_HOPS = 8
"""Merges followed at most (a spelling merged into one that was linked later...)."""


async def follow(names: NameReads, recruiter_id: str) -> tuple[str, NameRecord | None]:
    """The id an agency's reports now live under, and that id's name record (None for a
    registry entry, or an unlisted id no one typed a name for)."""
    current = recruiter_id
    for _ in range(_MERGE_HOPS):
        if not is_pending_id(current):
            return current, None
        record = await names.name_record(NameKind.AGENCY, current)
        if record is None or record.status is not NameStatus.MERGED or not record.target:
            return current, record
        current = record.target
    return current, await names.name_record(NameKind.AGENCY, current)


async def search(names: NameReads, origin: str, query: str, limit: int) -> list[NameRecord]:
    """Approved unlisted agencies of ``origin`` whose name matches ``query``, best first."""
    records = [
        record
        for record in await names.name_records(
            NameKind.AGENCY, origin=origin.upper(), status=NameStatus.APPROVED
        )
        if record.text
    ]
    index = NameIndex((n, str(record.text)) for n, record in enumerate(records))
    return [records[n] for n, _ in index.search(query, limit, NAME_CUTOFF)]
