"""The store ports: what each caller needs from storage, one narrow protocol each.

- ``SessionStore``: conversation state and ``/forget`` (the runner);
- ``DeliveryStore``: inbound delivery ids, handled once (the channels);
- ``RatingStore``: consent, reports and summaries (the ratings domain, the portal's data);
- ``ModerationStore``: held reports and comments waiting for a moderator (the portal);
- ``NameStore`` (``names_port``): typed agency and broker names, their moderation, merges;
- ``StakeholderStore`` (``stakeholder_port``): accounts, audit log, portal sessions;
- ``Lifecycle``: open, close, ping (the composition root, ``/readyz``).

Every adapter (in-memory, SQLite, MongoDB) implements all of them and passes
one contract suite per port (tests/integration/stores/test_*_contract.py);
``Store`` is their sum, which is what ``open_store`` returns. Keys are keyed
pseudonyms (see ``recruiter_reports.pseudonyms``); no method takes a raw
channel user id, so an adapter cannot store one by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from recruiter_reports.reports import Report
from recruiter_reports.stores.names_port import NameStore
from recruiter_reports.stores.records import Breakdown, Consent, SavedReport, StoredReport
from recruiter_reports.summaries import Summary

if TYPE_CHECKING:
    from recruiter_reports.stores.stakeholder_port import StakeholderStore

__all__ = [
    "DeliveryStore",
    "Lifecycle",
    "ModerationStore",
    "RatingStore",
    "SessionStore",
    "Store",
    "StoreUnavailable",
]


class StoreUnavailable(Exception):
    """The database cannot be reached or answered too slowly; callers tell the user to retry."""


@runtime_checkable
class Lifecycle(Protocol):
    """Connecting, migrating and answering ``/readyz``."""

    async def open(self) -> None:
        """Connect and create or migrate the schema; idempotent."""

    async def close(self) -> None: ...

    async def ping(self) -> bool:
        """True when the store answers (for ``/readyz``)."""


@runtime_checkable
class SessionStore(Protocol):
    """Conversation state, and erasing everything linked to a person."""

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None:
        """The saved conversation state, or None when there is none or it expired."""

    async def save_session(
        self,
        pseudonym: str,
        state: dict[str, Any],
        expires_at: dt.datetime,
        *,
        answer: tuple[str, str] | None = None,
    ) -> None:
        """Replace the conversation state; it is dropped after ``expires_at`` (UTC).

        ``answer`` is ``(delivery key, replies)``: what the turn that led to this
        state answered, kept on the delivery's claim in the same write (see
        ``DeliveryStore.delivery_replies``), so the state is never saved without
        the answer that goes with it. Ignored when the key is not claimed.
        """

    async def forget(self, pseudonym: str) -> None:
        """Erase everything linked to the pseudonym (``/forget``), all or nothing.

        That is the session, the consent and every report (held ones too); the
        summaries of the recruiters concerned no longer count those reports.
        Replies a delivery claim kept for the person (``save_session(answer=...)``)
        are erased too, and that claim counts as handled, so the platform's retry
        neither sends them nor runs their turn again.
        """


@runtime_checkable
class DeliveryStore(Protocol):
    """Inbound deliveries: at least once in, handled once (claim, complete, release)."""

    async def claim_delivery(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> bool:
        """Claim an inbound delivery id (e.g. ``"telegram:<update_id>"``) to handle it.

        True when the key was never seen (or expired), or was claimed but never
        completed and its lease has passed: the worker holding it died, so the
        platform's retry must be handled, not dropped. False when the delivery
        was completed, or another claim's lease still runs. One atomic step, so
        of two workers racing for the same key exactly one wins. The record is
        kept until ``expires_at`` (UTC), which should outlast the platform's
        retries; ``lease_until`` should outlast handling one message. ``owner``
        names the worker holding the claim (``release_deliveries_of``).
        """

    async def claim_delivery_answer(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> tuple[bool, str | None]:
        """``claim_delivery`` and, when claimed, ``delivery_replies`` in one step.

        (claimed, replies): the replies an abandoned claim's turn saved, which
        the channel sends instead of running the turn again. One trip to the
        store per delivery instead of two.
        """

    async def delivery_completed(self, key: str) -> bool:
        """True when the delivery was claimed and completed (and has not expired)."""

    async def delivery_replies(self, key: str) -> str | None:
        """The replies saved with a turn for this delivery (``save_session(answer=...)``).

        Only while the delivery is claimed and not completed (and not expired):
        its turn was saved but the answer may never have reached the person, so
        a retry must send these again rather than run the turn a second time on
        the state it already changed. None when nothing was saved.
        """

    async def complete_delivery(self, key: str) -> None:
        """Mark a claimed delivery handled: no later claim gets it before ``expires_at``.

        Its saved replies are dropped (they were sent). Harmless for a key that
        is not (or no longer) recorded. An adapter may write it with its next
        statement, shortly after (SQLite does, within ``COMPLETION_DELAY``): this
        store's own calls see it at once; another worker may meanwhile still find
        the claim held, which only asks the platform to retry.
        """

    async def release_delivery(self, key: str) -> None:
        """Free an uncompleted claim after handling failed, so the retry is handled at once.

        A claim without saved replies is forgotten; one with saved replies is
        kept with its lease ended, so the retry sends them. A completed
        delivery is kept: releasing never lets a handled message in twice.
        """

    async def release_deliveries_of(self, owner: str) -> int:
        """Release (as ``release_delivery``) every uncompleted claim of ``owner``; how many.

        A worker starting under a name no live process can hold calls this, so
        the platform's retry of what its crashed predecessor was handling gets in
        at once instead of after the lease.
        """


@runtime_checkable
class RatingStore(Protocol):
    """Consent, reports and the summaries derived from them.

    Rules every adapter keeps (the ratings contract suite checks each):

    - one report per (pseudonym, recruiter): saving again replaces the old one;
    - a summary is always equal to ``summaries.summarize`` over the recruiter's
      *counted* (not held) reports: adapters keep it up to date in the same
      transaction as the report write, so it cannot drift;
    - nothing returned carries a pseudonym.
    """

    async def save_consent(self, pseudonym: str, version: str, at: dt.datetime) -> None:
        """Record that the person accepted consent text ``version`` at ``at`` (UTC).

        Accepting again (a newer version) keeps the first ``first_given_at``.
        """

    async def consent(self, pseudonym: str) -> Consent | None:
        """The person's recorded consent, or None if they never gave it or withdrew it."""

    async def withdraw_consent(self, pseudonym: str) -> None:
        """Drop the consent and every report given under it (summaries updated)."""

    async def save_report(
        self,
        pseudonym: str,
        report: Report,
        *,
        held: bool = False,
        reporter_since: dt.datetime,
    ) -> SavedReport:
        """Store the person's report about ``report.recruiter_id``, replacing an earlier one.

        ``held`` keeps it out of every summary until ``accept_held``.
        ``reporter_since`` is when the person first consented (``Consent.first_given_at``),
        kept for ``recent_reports_from_new_reporters``. A non-empty comment (already
        scrubbed) waits for moderation as ``CommentStatus.PENDING``.
        """

    async def reports_of(self, pseudonym: str) -> list[StoredReport]:
        """The person's reports, oldest first (``/mydata``)."""

    async def summary(self, recruiter_id: str) -> Summary:
        """The summary of the recruiter's counted reports (zero reporters when none)."""

    async def summaries(
        self, *, origin: str | None = None, destination: str | None = None
    ) -> dict[str, Summary]:
        """Recruiter id -> summary, for every recruiter with at least one counted report.

        ``origin`` keeps recruiters of one origin country; ``destination`` counts
        only reports naming that destination (the portal's sector overview).
        """

    async def breakdown(self, recruiter_id: str, by: Breakdown) -> dict[str, Summary]:
        """The recruiter's summary split into disjoint cells whose reporters add up to the total.

        By destination: a country code, or ``""`` for reports that did not say.
        By year: the UTC year the report was made, as text ("2026").
        By destination and quarter: ``"QA|2026Q3"`` (``records.quarter_cell``), the
        UTC quarter the report was made; computed when read, not kept.
        """

    async def recompute_summaries(self) -> None:
        """Rebuild every summary from the reports (a repair; never needed in normal use)."""

    async def published(self, groups: Sequence[str]) -> dict[str, Summary]:
        """The counts of each group (``publication.cell_group``...) as last published;
        absent if never.

        See ``recruiter_reports.publication``: a figure is refreshed only after its
        group has grown by ``k`` reporters, so the last publication is kept.
        """

    async def published_under(self, prefix: str) -> dict[str, Summary]:
        """Every group whose key starts with ``prefix``, as last published (one range read),
        in no order promised (SQLite keeps wide ranges and adds new keys after the rest).

        The groups of ``recruiter_reports.publication`` are named so that one agency's,
        or one origin's, cells share a prefix (``"cell:KE-EX-KE-0002|"``).
        """

    async def publish(self, summaries: Mapping[str, Summary], at: dt.datetime) -> None:
        """Keep each summary as the last publication of its group (replacing earlier ones)."""

    async def new_reports_since(self, pseudonym: str, since: dt.datetime) -> int:
        """How many recruiters the person first rated at or after ``since``.

        Replacing an earlier report does not make it new.
        """

    async def recent_reports_from_new_reporters(
        self, recruiter_id: str, since: dt.datetime, reporters_since: dt.datetime
    ) -> int:
        """Reports (held or not) about the recruiter saved at or after ``since`` by people
        who first consented at or after ``reporters_since``: the burst rule's count."""


@runtime_checkable
class ModerationStore(Protocol):
    """Held reports and comments waiting for a moderator; only opaque report ids."""

    async def held_reports(self, limit: int = 100) -> list[StoredReport]:
        """Reports held for review, oldest first."""

    async def accept_held(self, report_id: str) -> bool:
        """Count a held report in its summaries; False when there is no such held report."""

    async def discard_held(self, report_id: str) -> bool:
        """Delete a held report; False when there is no such held report."""

    async def pending_comments(self, limit: int = 100) -> list[StoredReport]:
        """Reports whose comment waits for a moderator, oldest first."""

    async def moderate_comments(self, report_ids: Sequence[str], approve: bool) -> int:
        """Approve, or reject (deleting the text of), pending comments; returns how many."""


@runtime_checkable
class Store(
    Lifecycle, SessionStore, DeliveryStore, RatingStore, ModerationStore, NameStore, Protocol
):
    """Every port at once: what an adapter implements and ``open_store`` returns.

    Callers take the narrow port they need; only the composition root holds a ``Store``.
    """

    def stakeholders(self) -> StakeholderStore:
        """The stakeholder store beside this one (same file, database or memory)."""
        ...

    def unit_of_work(self) -> AbstractAsyncContextManager[None]:
        """Group the writes of one turn: all of them happen, or none.

        SQLite runs them in one transaction; MongoDB in a transaction on a
        replica set, and on a standalone server in the order given, each write
        idempotent, so a retry after a failure is harmless. Inside, this
        store's methods are called as usual; an exception rolls back.
        """
        ...
