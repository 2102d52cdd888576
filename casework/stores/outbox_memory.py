"""The case outbox in the process's memory (tests, ``memory://``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from casework.outbox import EntryStatus, OutboxEntry, claimable, claimable_now, heads, order

__all__ = ["MemoryOutbox"]


class MemoryOutbox:
    """Implements ``OutboxStore`` in a dict of frozen entries."""

    def __init__(self) -> None:
        self._entries: dict[str, OutboxEntry] = {}

    async def open(self) -> None:
        """Nothing to connect to."""

    async def close(self) -> None:
        """Keeps the entries, like closing a database file."""

    async def enqueue(self, entry: OutboxEntry) -> bool:
        if entry.id in self._entries:
            return False
        self._entries[entry.id] = entry
        return True

    async def claim(
        self, now: dt.datetime, *, lease_until: dt.datetime, owner: str, limit: int = 50,
        person: str | None = None,
    ) -> list[OutboxEntry]:
        if person is not None:
            due = [e for e in heads(self._entries.values())
                   if e.person == person and claimable_now(e, now)][:limit]
        else:
            due = [e for e in heads(self._entries.values()) if claimable(e, now)][:limit]
        leased = [dataclasses.replace(e, lease_until=lease_until, owner=owner) for e in due]
        for entry in leased:
            self._entries[entry.id] = entry
        return leased

    async def done(self, entry_id: str, owner: str) -> bool:
        entry = self._entries.get(entry_id)
        if entry is None or entry.owner != owner:
            return False
        del self._entries[entry_id]
        return True

    async def retry(
        self, entry_id: str, owner: str, *, due_at: dt.datetime, status: EntryStatus,
        detail: str,
    ) -> bool:
        entry = self._entries.get(entry_id)
        if entry is None or entry.owner != owner:
            return False
        self._entries[entry_id] = dataclasses.replace(
            entry, due_at=due_at, status=status, detail=detail, attempts=entry.attempts + 1,
            lease_until=None, owner="",
        )
        return True

    async def wake(self, person: str, at: dt.datetime) -> int:
        woken = 0
        for entry in list(self._entries.values()):
            if entry.person == person and entry.status is EntryStatus.WAITING:
                self._entries[entry.id] = dataclasses.replace(
                    entry, status=EntryStatus.PENDING, due_at=at, seen_at=at)
                woken += 1
        return woken

    async def of_case(self, case_id: str) -> list[OutboxEntry]:
        return sorted((e for e in self._entries.values() if e.case_id == case_id), key=order)

    async def drop_person(self, person: str) -> int:
        gone = [key for key, e in self._entries.items() if e.person == person]
        for key in gone:
            del self._entries[key]
        return len(gone)

