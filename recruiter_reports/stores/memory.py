"""An in-memory store: the engine's unit tests run against it, with a fake clock.

It keeps state in plain dicts, round-tripping every session through JSON so
that it accepts and returns exactly what the SQLite and MongoDB adapters do
(a test that passes here does not rely on sharing mutable objects).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recruiter_reports.clock import Clock, epoch, is_expired, utc_now
from recruiter_reports.stores.memory_names import MemoryNames
from recruiter_reports.stores.memory_ratings import MemoryRatings

if TYPE_CHECKING:
    from recruiter_reports.stores.stakeholder_port import StakeholderStore

__all__ = ["MemoryStore"]

_PURGE_EVERY = 1000
"""Writes between two sweeps of expired entries, so a long-running process stays small."""


@dataclass(slots=True)
class _Delivery:
    """A claimed delivery id: kept until ``expires_at``; reclaimable once the lease passed."""

    expires_at: float
    lease_until: float
    completed: bool = False
    owner: str = ""
    replies: str | None = None
    pseudonym: str | None = None
    """Whose turn saved ``replies``: /forget erases them."""


class MemoryStore(MemoryRatings, MemoryNames):
    """Implements ``Store`` in the process's memory; nothing survives the process."""

    def __init__(self, now: Clock = utc_now) -> None:
        super().__init__()
        self._now = now
        self._sessions: dict[str, tuple[str, float]] = {}
        self._deliveries: dict[str, _Delivery] = {}
        self._writes = 0
        self._stakeholders: StakeholderStore | None = None

    async def open(self) -> None:
        """Nothing to connect to; present so the store is swappable with the others."""

    async def close(self) -> None:
        """Keeps the data: reopening the same object behaves like reopening a database file."""

    async def ping(self) -> bool:
        return True

    async def load_session(self, pseudonym: str) -> dict[str, Any] | None:
        entry = self._sessions.get(pseudonym)
        if entry is None:
            return None
        document, expires_at = entry
        if is_expired(expires_at, self._now()):
            del self._sessions[pseudonym]
            return None
        state: dict[str, Any] = json.loads(document)
        return state

    async def save_session(
        self,
        pseudonym: str,
        state: dict[str, Any],
        expires_at: dt.datetime,
        *,
        answer: tuple[str, str] | None = None,
    ) -> None:
        await self._wait_for_turns()
        document = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        self._sessions[pseudonym] = (document, epoch(expires_at))
        if answer is not None:
            claimed = self._deliveries.get(answer[0])
            if claimed is not None and not claimed.completed:
                claimed.replies, claimed.pseudonym = answer[1], pseudonym
        self._count_write()

    async def claim_delivery(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> bool:
        claimed, _ = await self.claim_delivery_answer(
            key, lease_until=lease_until, expires_at=expires_at, owner=owner
        )
        return claimed

    async def claim_delivery_answer(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> tuple[bool, str | None]:
        await self._wait_for_turns()
        now = self._now()
        seen = self._deliveries.get(key)
        replies = pseudonym = None
        if seen is not None and not is_expired(seen.expires_at, now):
            if seen.completed or not is_expired(seen.lease_until, now):
                return False, None
            # An abandoned claim keeps what its turn answered.
            replies, pseudonym = seen.replies, seen.pseudonym
        self._deliveries[key] = _Delivery(
            epoch(expires_at), epoch(lease_until), owner=owner, replies=replies,
            pseudonym=pseudonym,
        )  # fmt: skip
        self._count_write()
        return True, replies

    async def delivery_completed(self, key: str) -> bool:
        seen = self._deliveries.get(key)
        return seen is not None and seen.completed and not is_expired(seen.expires_at, self._now())

    async def complete_delivery(self, key: str) -> None:
        await self._wait_for_turns()
        seen = self._deliveries.get(key)
        if seen is not None:
            seen.completed = True
            seen.replies = seen.pseudonym = None

    async def delivery_replies(self, key: str) -> str | None:
        seen = self._deliveries.get(key)
        if seen is None or seen.completed or is_expired(seen.expires_at, self._now()):
            return None
        return seen.replies

    async def release_delivery(self, key: str) -> None:
        await self._wait_for_turns()
        seen = self._deliveries.get(key)
        if seen is not None and not seen.completed:
            self._release(key, seen)

    async def release_deliveries_of(self, owner: str) -> int:
        left = [(k, d) for k, d in self._deliveries.items() if d.owner == owner and not d.completed]
        for key, seen in left:
            self._release(key, seen)
        return len(left)

    def _release(self, key: str, seen: _Delivery) -> None:
        """Forget the claim, or (saved replies) end its lease so the retry sends them."""
        if seen.replies is None:
            del self._deliveries[key]
        else:
            seen.lease_until, seen.owner = 0.0, ""

    async def forget(self, pseudonym: str) -> None:
        await self._wait_for_turns()
        self._sessions.pop(pseudonym, None)
        for seen in self._deliveries.values():
            if seen.pseudonym == pseudonym:  # handled: a retry must not run that turn again
                seen.completed, seen.replies, seen.pseudonym = True, None, None
        self._forget_ratings(pseudonym)

    def stakeholders(self) -> StakeholderStore:
        """One per memory store, so the CLI, the portal and the API in one process agree."""
        if self._stakeholders is None:
            from recruiter_reports.stores.stakeholders_memory import MemoryStakeholderStore

            self._stakeholders = MemoryStakeholderStore()
        return self._stakeholders

    @contextlib.asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """A snapshot of what a turn can write, put back when the turn fails.

        Other coroutines' writes wait until the unit ends, so a rollback never
        undoes them.
        """
        if self._owner.get():
            yield
            return
        async with self._work_lock:
            token = self._owner.set(True)
            saved = (dict(self._sessions), dict(self._consents), copy.deepcopy(self._reports),
                     dict(self._published), dict(self._names))  # fmt: skip
            try:
                yield
            except BaseException:
                (self._sessions, self._consents, self._reports, self._published,
                 self._names) = saved  # fmt: skip
                raise
            finally:
                self._owner.reset(token)

    def _count_write(self) -> None:
        self._writes += 1
        if self._writes % _PURGE_EVERY:
            return
        now = self._now()
        for pseudonym in [p for p, (_, exp) in self._sessions.items() if is_expired(exp, now)]:
            del self._sessions[pseudonym]
        for key in [k for k, d in self._deliveries.items() if is_expired(d.expires_at, now)]:
            del self._deliveries[key]
