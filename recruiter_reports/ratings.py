"""The ratings service: consent, abuse limits, submitting a rating, checking an agency.

The chat (and later any other front end) asks this module, never the store
directly, so the rules live in one place. It only reads (``RatingReads``):
``prepare`` turns answers into the report to store and says what storing it
will do; the caller stores it (the chat's runner, in the turn's unit of work).
The rules:

- consent comes first and is versioned: a new ``CONSENT_VERSION`` asks again;
- a person may make ``Limits.daily`` *new* ratings per day (replacing one of
  their own ratings is always allowed);
- a burst of ratings of one agency by people who only just started (more than
  ``Limits.burst`` in ``Limits.burst_window`` from people whose first consent is
  younger than ``Limits.newcomer``) is held aside, not counted, until a
  moderator accepts it;
- comments are scrubbed of phone numbers, e-mails and ID numbers before they
  are stored, and only moderators read them;
- what a check shows goes through ``disclosure.disclose`` and nothing else.

Both limits are logged without pseudonyms (the recruiter id is not personal).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from recruiter_reports import publication
from recruiter_reports import unlisted as unlisted_names
from recruiter_reports.disclosure import Disclosed, disclose
from recruiter_reports.names import NameKind, NameStatus
from recruiter_reports.registry import (
    LicenceStatus,
    Recruiter,
    Registry,
    is_pending_id,
    pending_recruiter,
)
from recruiter_reports.replies import PublicReply
from recruiter_reports.reports import Report
from recruiter_reports.scrub import scrub
from recruiter_reports.stores.names_port import NameReads
from recruiter_reports.stores.records import Breakdown, Consent, StoredReport
from recruiter_reports.stores.replies_port import ReplyReads
from recruiter_reports.summaries import Summary

__all__ = [
    "CONSENT_VERSION",
    "Limits",
    "Prepared",
    "RatingLimitReached",
    "RatingReads",
    "Ratings",
    "Submitted",
]

log = logging.getLogger(__name__)

CONSENT_VERSION = "1"
"""Bump when the consent text changes in substance: everyone is asked again before rating."""

_SEARCH_RESULTS = 5
_UNLISTED_RESULTS = 3
_LICENCE_SCORE = 95.0
"""A registry hit this good for a typed number is that licence (see ``Registry.search``)."""


@dataclass(frozen=True)
class Limits:
    """The abuse limits (see the module docstring)."""

    daily: int = 3
    day: dt.timedelta = dt.timedelta(hours=24)
    burst: int = 5
    burst_window: dt.timedelta = dt.timedelta(hours=1)
    newcomer: dt.timedelta = dt.timedelta(hours=24)


class RatingReads(NameReads, Protocol):
    """What the ratings rules read; a narrow, read-only view of ``RatingStore`` (and of the
    names: approved unlisted agencies are found by name, merged spellings followed)."""

    async def consent(self, pseudonym: str) -> Consent | None: ...

    async def reports_of(self, pseudonym: str) -> list[StoredReport]: ...

    async def summary(self, recruiter_id: str) -> Summary: ...

    async def breakdown(self, recruiter_id: str, by: Breakdown) -> dict[str, Summary]: ...

    async def published(self, groups: Sequence[str]) -> dict[str, Summary]: ...

    async def published_under(self, prefix: str) -> dict[str, Summary]: ...

    async def new_reports_since(self, pseudonym: str, since: dt.datetime) -> int: ...

    async def recent_reports_from_new_reporters(
        self, recruiter_id: str, since: dt.datetime, reporters_since: dt.datetime
    ) -> int: ...


class RatingLimitReached(Exception):
    """The person made ``Limits.daily`` new ratings in the last day; nothing was stored."""


@dataclass(frozen=True)
class Submitted:
    """What happened to a rating, for the thank-you message.

    ``reporters`` is how many people are now counted for the agency;
    ``removed`` counts what the scrubber took out of the comment, by kind.
    """

    reporters: int
    replaced: bool
    held: bool
    removed: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """A rating ready to store: the report, whether it is held, since when the person
    consented, and what the thank-you will say once it is stored (``outcome``)."""

    report: Report
    held: bool
    reporter_since: dt.datetime
    outcome: Submitted
    publish: int | None = None
    """``k`` when, stored, the rating makes its cell (the agency, its destination and
    quarter) due for a new publication (``recruiter_reports.publication``): whoever
    stores it checks the rule again in the same unit of work, since another rating of
    that cell may have been published in between."""


class Ratings:
    """One per process: the registries, the reads and the threshold ``min_reporters``."""

    def __init__(
        self,
        reads: RatingReads,
        registries: Mapping[str, Registry],
        *,
        min_reporters: int,
        clock: Callable[[], dt.datetime],
        limits: Limits = Limits(),
        replies: ReplyReads | None = None,
    ) -> None:
        """``replies`` reads agencies' approved replies (None: none are shown)."""
        self.reads = reads
        self.replies = replies
        self.registries = {code.upper(): registry for code, registry in registries.items()}
        self.min_reporters = min_reporters
        self.clock = clock
        self.limits = limits

    # -- agencies ------------------------------------------------------------------

    @property
    def origins(self) -> list[str]:
        """Countries whose agencies can be checked and rated, in a stable order."""
        return sorted(self.registries)

    def find(self, origin: str, query: str) -> list[Recruiter]:
        """The best few agencies of ``origin`` for a typed name or licence number."""
        registry = self.registries.get(origin.upper())
        if registry is None:
            return []
        return [match.recruiter for match in registry.search(query, _SEARCH_RESULTS)]

    def recruiter(self, recruiter_id: str) -> Recruiter | None:
        """A listed agency by id; None for a pending (not listed) id or an unknown one."""
        registry = self.registries.get(recruiter_id[:2].upper())
        if registry is None or is_pending_id(recruiter_id):
            return None
        return registry.get(recruiter_id)

    @staticmethod
    def not_listed(origin: str, name: str) -> Recruiter:
        """An agency the person typed that is not in the registry (a stable pending id)."""
        return pending_recruiter(origin, name)

    def by_licence(self, origin: str, query: str) -> Recruiter | None:
        """The listed agency whose licence number ``query`` is (look-alike letters, a typo
        or the bare digits allowed), or None; a typed name never matches here."""
        registry = self.registries.get(origin.upper())
        if registry is None or not any(ch.isdigit() for ch in query):
            return None
        exact = registry.by_licence(query)
        if exact is not None:
            return exact
        best = registry.search(query, 1)
        if best and best[0].score >= _LICENCE_SCORE and best[0].recruiter.licence_no:
            return best[0].recruiter
        return None

    async def find_unlisted(self, origin: str, query: str) -> list[Recruiter]:
        """Unlisted agencies of ``origin`` whose name a moderator approved, best first."""
        found = await unlisted_names.search(self.reads, origin, query, _UNLISTED_RESULTS)
        return [_unlisted(record.key, str(record.text)) for record in found]

    async def unlisted(self, recruiter_id: str) -> Recruiter | None:
        """An unlisted agency by id, under its approved name; None when not approved."""
        if not is_pending_id(recruiter_id):
            return None
        record = await self.reads.name_record(NameKind.AGENCY, recruiter_id)
        if record is None or record.status is not NameStatus.APPROVED or not record.text:
            return None
        return _unlisted(recruiter_id, record.text)

    async def resolve(self, recruiter: Recruiter) -> Recruiter:
        """Where a typed unlisted agency now lives: its registry entry or the spelling a
        moderator merged it into (``recruiter`` itself when it was never merged)."""
        target, record = await unlisted_names.follow(self.reads, recruiter.id)
        if target == recruiter.id:
            return recruiter
        if not is_pending_id(target):
            return self.recruiter(target) or recruiter
        if record is not None and record.status is NameStatus.APPROVED and record.text:
            return _unlisted(target, record.text)
        return recruiter.model_copy(update={"id": target})

    # -- consent -------------------------------------------------------------------

    async def has_consent(self, pseudonym: str) -> bool:
        """True when the person accepted the current consent text."""
        consent = await self.reads.consent(pseudonym)
        return consent is not None and consent.version == CONSENT_VERSION

    async def consent(self, pseudonym: str) -> Consent | None:
        return await self.reads.consent(pseudonym)

    # -- rating --------------------------------------------------------------------

    async def may_rate(self, pseudonym: str, recruiter_id: str) -> bool:
        """False when a new rating would pass the daily limit (replacing one's own never does)."""
        if await self._rated(pseudonym, recruiter_id):
            return True
        since = self.clock() - self.limits.day
        return await self.reads.new_reports_since(pseudonym, since) < self.limits.daily

    async def rated_before(self, pseudonym: str, recruiter_id: str) -> bool:
        """True when the person already rated this agency (a new rating will replace it)."""
        return await self._rated(pseudonym, recruiter_id)

    async def prepare(self, pseudonym: str, answers: Mapping[str, Any]) -> Prepared:
        """The rating to store; ``answers`` are ``Report`` fields except ``created_at``.

        Raises ``RatingLimitReached`` and ``PermissionError`` (when the person has
        not accepted the current consent). Nothing is written: the caller stores
        ``Prepared.report`` (``held`` as said) and then shows ``outcome``.
        """
        consent = await self.reads.consent(pseudonym)
        if consent is None or consent.version != CONSENT_VERSION:
            raise PermissionError("no consent to the current version")
        fields = dict(answers)
        removed: dict[str, int] = {}
        comment = fields.get("comment")
        if isinstance(comment, str) and comment.strip():
            cleaned = scrub(comment)
            fields["comment"], removed = cleaned.text, dict(cleaned.removed)
        now = self.clock()
        report = Report.model_validate({**fields, "created_at": now})
        mine = await self.reads.reports_of(pseudonym)
        earlier = [s for s in mine if s.report.recruiter_id == report.recruiter_id]
        if not earlier:
            since = now - self.limits.day
            if await self.reads.new_reports_since(pseudonym, since) >= self.limits.daily:
                log.info("rating limit reached")
                raise RatingLimitReached
        held = await self._burst(report.recruiter_id, consent, now)
        counted = (await self.reads.summary(report.recruiter_id)).reporters
        counted -= sum(not s.held for s in earlier)  # the earlier rating it replaces
        counted += not held
        outcome = Submitted(counted, bool(earlier), held, removed)
        cell = publication.cell_of(report)
        live = (await self.reads.breakdown(report.recruiter_id, "destination_quarter")).get(cell)
        in_cell = 0 if live is None else live.reporters
        in_cell -= sum(not s.held and publication.cell_of(s.report) == cell for s in earlier)
        in_cell += not held
        group = publication.cell_group(report.recruiter_id, cell)
        last = (await self.reads.published([group])).get(group)
        k = self.min_reporters
        publish = k if publication.due(in_cell, last, k) else None
        return Prepared(report, held, consent.first_given_at, outcome, publish)

    async def reports_of(self, pseudonym: str) -> list[StoredReport]:
        return await self.reads.reports_of(pseudonym)

    # -- checking ------------------------------------------------------------------

    async def disclosed(self, recruiter_id: str, fee_bands: Sequence[str] = ()) -> Disclosed:
        """What may be shown about an agency: through disclosure control, never raw counts.

        The counts are the sum of the agency's published cells, as the portal shows them
        (``recruiter_reports.publication``); reading publishes nothing.
        """
        cells = await publication.published(self.reads, recruiter_id, self.min_reporters)
        return disclose(cells.total(), self.min_reporters, fee_bands)

    async def reply(self, recruiter_id: str) -> PublicReply | None:
        """The agency's approved public reply, shown beside its figures; None without one."""
        return None if self.replies is None else await self.replies.public_reply(recruiter_id)

    async def _rated(self, pseudonym: str, recruiter_id: str) -> bool:
        reports = await self.reads.reports_of(pseudonym)
        return any(stored.report.recruiter_id == recruiter_id for stored in reports)

    async def _burst(self, recruiter_id: str, consent: Consent, now: dt.datetime) -> bool:
        """True when this rating comes from a newcomer during a burst for the agency."""
        limits = self.limits
        newcomers_since = now - limits.newcomer
        if consent.first_given_at < newcomers_since:
            return False
        recent = await self.reads.recent_reports_from_new_reporters(
            recruiter_id, now - limits.burst_window, newcomers_since
        )
        if recent < limits.burst:
            return False
        log.warning("burst of ratings held for review: recruiter %s", recruiter_id)
        return True


def _unlisted(recruiter_id: str, name: str) -> Recruiter:
    return Recruiter(id=recruiter_id, country=recruiter_id[:2].upper(), name=name,
                     licence_no="", status=LicenceStatus.NOT_LISTED)  # fmt: skip
