"""The durable outbox of messages to a person about their case: replies, "read", "closed".

A caseworker's reply is saved in the case first (``CaseStore.add_message``),
then an ``OutboxEntry`` says it must reach the person. The entry holds no
text and no address: the delivery loop reads both from the case (sealed) at
send time, so the outbox can be inspected without revealing anything.

Several workers share the outbox. ``claim`` leases due entries to one worker
(``owner``) until ``lease_until``; another worker sees them again only after
the lease ran out (the first one died), so an entry is sent by one worker at
a time and a crash loses none. Only the *oldest* entry of each person is ever
claimable, so one person's messages arrive in the order they were written,
even when the first one waits for a retry.

An entry ends in ``done`` (delivered: removed) or moves on with ``retry``
(due again later, with what went wrong for the caseworker to see). An entry
*waiting* for the person (WhatsApp's window was closed; the template told them
to write) is not due until ``wake`` says the person wrote.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from storekit.backoff import backoff

__all__ = [
    "EntryKind", "EntryStatus", "OutboxEntry", "OutboxStore", "backoff", "claimable",
    "claimable_now", "heads", "order",
]


class EntryKind(enum.StrEnum):
    REPLY = "reply"
    """A caseworker's reply (``ref`` is the message id in the case)."""
    READ = "read"
    """"Your message was read" (``ref``: the newest message read)."""
    CLOSED = "closed"
    """"Your case was closed"."""


class EntryStatus(enum.StrEnum):
    PENDING = "pending"
    """Due at ``due_at``: never tried, or tried and failing for a passing reason."""
    WAITING = "waiting"
    """Sent what could be sent (a template); waits for the person to write (``wake``)."""
    STUCK = "stuck"
    """Refused in a way only an operator can fix (no template configured, a bad token):
    tried again now and then, shown to the caseworker as not delivered."""
    UNREACHABLE = "unreachable"
    """The person blocked the bot or cannot receive messages: not tried again."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One message to deliver. ``id`` is unique (enqueueing it twice adds one)."""

    id: str
    case_id: str
    person: str
    """The person's pseudonym: the order is kept per person."""
    kind: EntryKind
    ref: str
    created_at: dt.datetime
    due_at: dt.datetime
    status: EntryStatus = EntryStatus.PENDING
    attempts: int = 0
    detail: str = ""
    """Why it is not delivered yet, in an operator's words (never a message or an address)."""
    seen_at: dt.datetime | None = None
    """When the person last wrote, as ``wake`` heard it (opens WhatsApp's window)."""
    lease_until: dt.datetime | None = None
    owner: str = ""


@runtime_checkable
class OutboxStore(Protocol):
    """The outbox port (memory, SQLite and MongoDB adapters, one contract suite)."""

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def enqueue(self, entry: OutboxEntry) -> bool:
        """Add the entry; False when one with its id is already there (nothing changes)."""

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50,
        person: str | None = None,
    ) -> list[OutboxEntry]:
        """Lease the due entries that are the oldest of their person, oldest first.

        Due: ``due_at <= now``, not ``WAITING`` nor ``UNREACHABLE``, and no lease
        running at ``now``. The returned entries carry the new lease.

        With ``person``: only that person's oldest entry, due or not and waiting
        or not (``claimable_now``), because the person is writing this moment in
        a channel only one process serves (the terminal of ``python -m bot
        chat``): a server that tried it first and put it off must not delay it.
        A running lease is still respected, and an unreachable entry never claimed.
        """

    async def done(self, entry_id: str, owner: str) -> bool:
        """Remove a delivered entry, if ``owner`` still holds its lease."""

    async def retry(
        self, entry_id: str, owner: str, *, due_at: dt.datetime, status: EntryStatus,
        detail: str,
    ) -> bool:
        """Record a failed try (attempts + 1), set when it is due again and why; ends the lease."""

    async def wake(self, person: str, at: dt.datetime) -> int:
        """The person wrote at ``at``: their waiting entries are due now; how many."""

    async def of_case(self, case_id: str) -> list[OutboxEntry]:
        """The case's entries not delivered yet, oldest first (for the caseworker's view)."""

    async def drop_person(self, person: str) -> int:
        """Remove every entry of the person (``/forget``); how many."""


def order(entry: OutboxEntry) -> tuple[dt.datetime, str]:
    """The one order of entries: when they were written, then by id."""
    return entry.created_at, entry.id


def heads(entries: Iterable[OutboxEntry]) -> list[OutboxEntry]:
    """The oldest entry of each person, oldest first (what may be sent next)."""
    first: dict[str, OutboxEntry] = {}
    for entry in sorted(entries, key=order):
        first.setdefault(entry.person, entry)
    return sorted(first.values(), key=order)


def claimable_now(entry: OutboxEntry, now: dt.datetime) -> bool:
    """What ``claim(..., person=...)`` takes: anything not unreachable and not leased."""
    return entry.status is not EntryStatus.UNREACHABLE and (
        entry.lease_until is None or entry.lease_until <= now)


def claimable(entry: OutboxEntry, now: dt.datetime) -> bool:
    """Due, not waiting for the person, not unreachable, not leased at ``now``."""
    return (
        entry.status in {EntryStatus.PENDING, EntryStatus.STUCK}
        and entry.due_at <= now
        and (entry.lease_until is None or entry.lease_until <= now)
    )
