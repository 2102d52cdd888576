"""The one loop every channel shares: pseudonymise -> load state -> engine -> commit.

Channels call ``Runner.handle`` with an ``Inbound`` and render what it returns.
The engine returns a ``Turn`` (state, replies, effects); the runner hands the
turn to a ``TurnStorage``, which applies its effects and saves its state in
one unit of work, so a turn happens whole or not at all. Conversation state
lives in storage, so any worker can serve the next message; a per-pseudonym
lock keeps one person's messages in order inside a worker.

When storage is down: a turn without effects still answers, and its state is
kept in memory until storage returns; a turn with effects (a rating, consent,
erasing) is rolled back and the person is asked to try again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from bot.core.effects import Effect
from bot.core.messages import Inbound, Outbound
from recruiter_reports.clock import utc_now
from recruiter_reports.stores import StoreUnavailable

log = logging.getLogger(__name__)

__all__ = ["SESSION_TTL", "Engine", "Runner", "Turn", "TurnStorage"]


SESSION_TTL = dt.timedelta(days=30)
"""How long an idle conversation is kept: long enough to come back, short enough to forget."""


class Turn(Protocol):
    state: dict[str, Any]
    messages: list[Outbound]
    effects: list[Effect]

    @property
    def forget(self) -> bool: ...


class Engine(Protocol):
    async def handle(
        self, inbound: Inbound, state: dict[str, Any] | None, pseudonym: str
    ) -> Turn: ...

    def could_not_save(self, inbound: Inbound, state: dict[str, Any] | None) -> Turn: ...


class TurnStorage(Protocol):
    """Where turns are kept: the port the runner needs (``bot.turn_storage`` implements it)."""

    async def load_state(self, pseudonym: str) -> dict[str, Any] | None:
        """The person's conversation state, or None (new, or expired)."""

    async def commit(
        self,
        pseudonym: str,
        effects: Sequence[Effect],
        state: dict[str, Any] | None,
        expires_at: dt.datetime,
    ) -> None:
        """Apply ``effects`` and save ``state`` (None: save nothing) as one unit of work.

        Raises ``StoreUnavailable`` when it could not, having changed nothing
        (or, where the store has no transactions, nothing a retry would repeat).
        """


class Runner:
    """Runs one inbound message through the engine with the person's stored state."""

    def __init__(
        self,
        engine: Engine,
        storage: TurnStorage,
        pseudonymize: Callable[[str, str], str],
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        session_ttl: dt.timedelta = SESSION_TTL,
    ) -> None:
        self._engine = engine
        self._storage = storage
        self._pseudonymize = pseudonymize
        self._clock = clock
        self._ttl = session_ttl
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._recent = _RecentStates()

    def pseudonym(self, inbound: Inbound) -> str:
        return self._pseudonymize(inbound.channel, inbound.user_ref)

    async def handle(self, inbound: Inbound) -> list[Outbound]:
        pseudonym = self.pseudonym(inbound)
        lock = self._locks.get(pseudonym)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[pseudonym] = lock
        async with lock:
            return await self._handle_locked(inbound, pseudonym)

    async def _handle_locked(self, inbound: Inbound, pseudonym: str) -> list[Outbound]:
        try:
            stored = await self._storage.load_state(pseudonym)
            state = self._recent.newer_than_store(pseudonym, stored)
        except StoreUnavailable:
            log.warning("store unavailable while loading a session; using memory")
            state = self._recent.get(pseudonym)
        turn = await self._engine.handle(inbound, state, pseudonym)
        expires_at = self._clock() + self._ttl
        if turn.effects:
            try:
                await self._storage.commit(
                    pseudonym, turn.effects, None if turn.forget else turn.state, expires_at
                )
            except StoreUnavailable:
                log.warning("store unavailable while applying a turn; the turn is rolled back")
                return self._engine.could_not_save(inbound, state).messages
            if turn.forget:
                self._recent.drop(pseudonym)
            else:
                self._recent.put(pseudonym, turn.state, saved=True)
            return turn.messages
        try:
            await self._storage.commit(pseudonym, (), turn.state, expires_at)
        except StoreUnavailable:
            log.warning("store unavailable while saving a session; kept in memory")
            self._recent.put(pseudonym, turn.state, saved=False)
        else:
            self._recent.put(pseudonym, turn.state, saved=True)
        return turn.messages


class _RecentStates:
    """The last state of recently active people, so an outage of the store does not
    throw anyone back to the start, and what they did meanwhile is not lost.

    Bounded (least recently used first out) and per worker: it bridges an outage,
    it is not a second store.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._states: OrderedDict[str, tuple[dict[str, Any], bool]] = OrderedDict()

    def get(self, pseudonym: str) -> dict[str, Any] | None:
        found = self._states.get(pseudonym)
        return found[0] if found else None

    def newer_than_store(
        self, pseudonym: str, stored: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The stored state, unless this worker holds a newer one it could not save."""
        found = self._states.get(pseudonym)
        if found is not None and not found[1]:
            return found[0]
        return stored

    def put(self, pseudonym: str, state: dict[str, Any], *, saved: bool) -> None:
        self._states[pseudonym] = (state, saved)
        self._states.move_to_end(pseudonym)
        while len(self._states) > self._capacity:
            self._states.popitem(last=False)

    def drop(self, pseudonym: str) -> None:
        self._states.pop(pseudonym, None)
