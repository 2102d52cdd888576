"""Unlisted agencies and brokers as the portal shows them: only what a moderator approved.

An agency that is not in the registry is shown under the name a moderator
approved, marked "not in the official list"; before that (or once its name
was rejected) it has a neutral placeholder, never the text a worker typed. A
spelling merged into another agency, or linked to its registry entry, is shown
as that agency. Brokers appear only through ``names.broker_chain``: approved,
and named by at least ``k`` different workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from recruiter_reports.matching import NameIndex
from recruiter_reports.names import Broker, NameKind, NameStatus, broker_chain
from recruiter_reports.registry import NAME_CUTOFF, LicenceStatus
from recruiter_reports.stores.names_port import NameReads

__all__ = ["PLACEHOLDER", "UnlistedName", "broker_links", "matching_unlisted", "unlisted_name"]

PLACEHOLDER = "Unlisted agency, name awaiting review"
"""Shown for an unlisted agency whose typed name no moderator approved (English, like ids)."""

_MERGE_HOPS = 8
_SEARCH_LIMIT = 50


@dataclass(frozen=True, slots=True)
class UnlistedName:
    """Where an unlisted id now lives (itself, or what it was merged into) and its name."""

    id: str
    name: str
    status: LicenceStatus


async def unlisted_name(names: NameReads, recruiter_id: str) -> UnlistedName:
    """The name to show for an unlisted agency id, following merges."""
    current = recruiter_id
    for _ in range(_MERGE_HOPS):
        record = await names.name_record(NameKind.AGENCY, current)
        if record is None:
            break
        if record.status is NameStatus.MERGED and record.target:
            current = record.target
            if not current[3:].startswith("pending-"):
                return UnlistedName(current, "", LicenceStatus.VALID)  # a registry entry
            continue
        if record.status is NameStatus.APPROVED and record.text:
            return UnlistedName(current, record.text, LicenceStatus.NOT_LISTED)
        break
    return UnlistedName(current, PLACEHOLDER, LicenceStatus.NOT_LISTED)


async def matching_unlisted(names: NameReads, origin: str, query: str) -> list[str]:
    """Ids of the approved unlisted agencies of ``origin`` whose name matches ``query``."""
    records = [
        record
        for record in await names.name_records(
            NameKind.AGENCY, origin=origin, status=NameStatus.APPROVED
        )
        if record.text
    ]
    index = NameIndex((n, str(record.text)) for n, record in enumerate(records))
    return [records[n].key for n, _ in index.search(query, _SEARCH_LIMIT, NAME_CUTOFF)]


async def broker_links(names: NameReads, recruiter_id: str, k: int) -> list[Broker]:
    """The broker chain behind an agency (see ``names.broker_chain``)."""
    counts = await names.broker_counts(recruiter_id)
    if not any(count >= k for count in counts.values()):
        return []
    approved = await names.name_records(NameKind.BROKER, status=NameStatus.APPROVED)
    return broker_chain(counts, approved, k)
