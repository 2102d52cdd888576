"""Unlisted agencies and brokers as the portal shows them: only what a moderator approved.

An agency that is not in the registry is shown under the name a moderator
approved, marked "not in the official list"; before that (or once its name
was rejected) it has a neutral placeholder, never the text a worker typed. A
spelling merged into another agency, or linked to its registry entry, is shown
as that agency. Brokers appear only through ``names.broker_chain``: approved,
and named by at least ``k`` different workers, counted as last published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from recruiter_reports.names import Broker, NameKind, NameStatus, broker_chain
from recruiter_reports.registry import LicenceStatus, is_pending_id
from recruiter_reports.stores.names_port import NameReads
from recruiter_reports.unlisted import follow, search

__all__ = ["PLACEHOLDER", "UnlistedName", "broker_links", "matching_unlisted", "unlisted_name"]

PLACEHOLDER = "Unlisted agency, name awaiting review"
"""Shown for an unlisted agency whose typed name no moderator approved (English, like ids)."""

_SEARCH_LIMIT = 50


@dataclass(frozen=True, slots=True)
class UnlistedName:
    """Where an unlisted id now lives (itself, or what it was merged into) and its name."""

    id: str
    name: str
    status: LicenceStatus


async def unlisted_name(names: NameReads, recruiter_id: str) -> UnlistedName:
    """The name to show for an unlisted agency id, following merges."""
    target, record = await follow(names, recruiter_id)
    if not is_pending_id(target):
        return UnlistedName(target, "", LicenceStatus.VALID)  # a registry entry
    if record is not None and record.status is NameStatus.APPROVED and record.text:
        return UnlistedName(target, record.text, LicenceStatus.NOT_LISTED)
    return UnlistedName(target, PLACEHOLDER, LicenceStatus.NOT_LISTED)


async def matching_unlisted(names: NameReads, origin: str, query: str) -> list[str]:
    """Ids of the approved unlisted agencies of ``origin`` whose name matches ``query``."""
    return [record.key for record in await search(names, origin, query, _SEARCH_LIMIT)]


async def broker_links(names: NameReads, counts: Mapping[str, int], k: int) -> list[Broker]:
    """The broker chain behind an agency (see ``names.broker_chain``), from its published
    broker counts (``recruiter_reports.publication``)."""
    if not any(count >= k for count in counts.values()):
        return []
    approved = await names.name_records(NameKind.BROKER, status=NameStatus.APPROVED)
    return broker_chain(counts, approved, k)
