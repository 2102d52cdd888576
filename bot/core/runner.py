"""The one loop every channel shares: pseudonymise -> load state -> engine -> save.

Channels call ``Runner.handle`` with an ``Inbound`` and render what it returns.
Conversation state lives in the store, so any worker can serve the next
message; a per-pseudonym lock keeps one person's messages in order inside a
worker.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from bot.core.messages import Inbound, Outbound
from recruiter_reports.stores import Store, StoreUnavailable

log = logging.getLogger(__name__)

SESSION_TTL = dt.timedelta(days=30)
"""How long an idle conversation is kept: long enough to come back, short enough to forget."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Turn(Protocol):
    state: dict[str, Any]
    messages: list[Outbound]
    forget: bool


class Engine(Protocol):
    async def handle(
        self, inbound: Inbound, state: dict[str, Any] | None, pseudonym: str
    ) -> Turn: ...


class Runner:
    """Runs one inbound message through the engine with the person's stored state."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        pseudonymize: Callable[[str, str], str],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        session_ttl: dt.timedelta = SESSION_TTL,
    ) -> None:
        self._engine = engine
        self._store = store
        self._pseudonymize = pseudonymize
        self._clock = clock
        self._ttl = session_ttl
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        # Last state seen per pseudonym, used only while the store is down so a
        # person mid-flow is not thrown back to the start (bounded, in memory).
        self._fallback: dict[str, dict[str, Any]] = {}

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
            state = await self._store.load_session(pseudonym)
        except StoreUnavailable:
            log.warning("store unavailable while loading a session; using memory")
            state = self._fallback.get(pseudonym)
        turn = await self._engine.handle(inbound, state, pseudonym)
        if turn.forget:
            self._fallback.pop(pseudonym, None)
            return turn.messages
        try:
            await self._store.save_session(pseudonym, turn.state, self._clock() + self._ttl)
            self._fallback.pop(pseudonym, None)
        except StoreUnavailable:
            log.warning("store unavailable while saving a session; kept in memory")
            if len(self._fallback) > 10_000:
                self._fallback.pop(next(iter(self._fallback)))
            self._fallback[pseudonym] = turn.state
        return turn.messages
