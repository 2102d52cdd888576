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

A turn that changed nothing (reading a guide, the menu again) writes nothing,
unless its state was last written a day ago or more, so the 30-day expiry keeps
moving with the conversation. A channel that claims deliveries passes the
delivery's key: the turn's replies are saved with its state, in the same write,
so a platform's retry after a crash between saving and sending gets the same
answer again (``bot.channels.base.Deliveries``) instead of a second turn on the
changed state. A turn that writes nothing needs no saved answer: run again, it
answers the same.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from bot.core.effects import AddCaseMessage, Effect, OpenCase, ScheduleFollowups
from bot.core.messages import Inbound, Outbound, encode_replies
from bot.core.notices import notify_neutral
from casework.models import ReplyAddress
from recruiter_reports.clock import utc_now
from recruiter_reports.stores import StoreUnavailable

log = logging.getLogger(__name__)

__all__ = [
    "DISCREET_TTL", "SESSION_REFRESH", "SESSION_TTL", "Engine", "Runner", "Turn", "TurnConflict",
    "TurnStorage",
]


class TurnConflict(Exception):
    """What the turn read changed before it could be applied, and nothing was applied.

    A caseworker closed the case a moment after the engine read it open, so the
    person's message has no case to go into. Raised by ``TurnStorage.commit``; the
    runner then runs the turn once more on fresh reads, so the person reads what
    is true now ("this case is closed, your message was not sent") instead of a
    "sent" that is not.
    """


SESSION_TTL = dt.timedelta(days=30)
"""How long an idle conversation is kept: long enough to come back, short enough to forget."""
DISCREET_TTL = dt.timedelta(days=400)
"""How long the conversation of a person who chose neutral notifications is kept.

The choice lives in the conversation (``Session.notify``), and the senders of
check-ins (30 and 90 days), quarterly report-back and case replies read it
there: with the usual 30 days it would be gone before the first check-in, and
the full words would reach a lock screen the person wanted blank. Longer than
a 90-day check-in plus a quarter; ``/forget`` still erases it at once.
"""
SESSION_REFRESH = dt.timedelta(days=1)
"""An unchanged state is written again once its last write (by this worker) is this old."""


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
        answer: tuple[str, str] | None = None,
        *,
        address: ReplyAddress | None = None,
    ) -> None:
        """Apply ``effects`` and save ``state`` (None: save nothing) as one unit of work.

        ``answer`` (delivery key, encoded replies) is saved with the state.
        ``address`` is where a caseworker's reply reaches the person (the channel and
        its raw user id), given only with a case effect; it may be kept only sealed.

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

    def _kept_for(self, state: dict[str, Any]) -> dt.timedelta:
        """The usual keep, or ``DISCREET_TTL`` while the person wants neutral notices."""
        return max(self._ttl, DISCREET_TTL) if notify_neutral(state) else self._ttl

    def pseudonym(self, inbound: Inbound) -> str:
        return self._pseudonymize(inbound.channel, inbound.user_ref)

    async def handle(self, inbound: Inbound, *, delivery: str | None = None) -> list[Outbound]:
        """The replies to ``inbound``; ``delivery`` is the claimed delivery's key, if any."""
        pseudonym = self.pseudonym(inbound)
        lock = self._locks.get(pseudonym)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[pseudonym] = lock
        async with lock:
            return await self._handle_locked(inbound, pseudonym, delivery)

    async def _handle_locked(
        self, inbound: Inbound, pseudonym: str, delivery: str | None
    ) -> list[Outbound]:
        from_store = True
        try:
            stored = await self._storage.load_state(pseudonym)
            state = self._recent.newer_than_store(pseudonym, stored)
            from_store = state is stored
        except StoreUnavailable:
            log.warning("store unavailable while loading a session; using memory")
            state = self._recent.get(pseudonym)
            from_store = False
        before = _document(state)  # the engine may change nested parts of ``state`` in place
        for attempt in (1, 2):
            again = state if attempt == 1 else json.loads(before)  # the first run may change it
            turn = await self._engine.handle(inbound, again, pseudonym)
            now = self._clock()
            expires_at = now + self._kept_for(turn.state)
            answer = None if delivery is None else (delivery, encode_replies(turn.messages))
            if not turn.effects:
                break
            try:
                await self._storage.commit(
                    pseudonym,
                    turn.effects,
                    None if turn.forget else turn.state,
                    expires_at,
                    answer,
                    address=_address_for(inbound, turn.effects),
                )
            except TurnConflict:
                if attempt == 1:
                    log.info("a turn's reads changed before it was applied; running it again")
                    continue
                log.warning("a turn conflicted twice; the person is asked to try again")
                return self._engine.could_not_save(inbound, state).messages
            except StoreUnavailable:
                log.warning("store unavailable while applying a turn; the turn is rolled back")
                return self._engine.could_not_save(inbound, state).messages
            if turn.forget:
                self._recent.drop(pseudonym)
            else:
                self._recent.put(pseudonym, turn.state, saved_at=now)
            return turn.messages
        if from_store and _document(turn.state) == before and self._recent.fresh(pseudonym, now):
            return turn.messages  # nothing changed, and the stored expiry is far off
        try:
            await self._storage.commit(pseudonym, (), turn.state, expires_at, answer)
        except StoreUnavailable:
            log.warning("store unavailable while saving a session; kept in memory")
            self._recent.put(pseudonym, turn.state, saved_at=None)
        else:
            self._recent.put(pseudonym, turn.state, saved_at=now)
        return turn.messages


def _address_for(inbound: Inbound, effects: Sequence[Effect]) -> ReplyAddress | None:
    """The reply address, only for a turn that opens a case, adds to one or agrees to
    check-ins (memory only: it is kept only sealed)."""
    if any(isinstance(effect, OpenCase | AddCaseMessage | ScheduleFollowups)
           for effect in effects):
        return ReplyAddress(inbound.channel, inbound.user_ref)
    return None


def _document(state: dict[str, Any] | None) -> str:
    """The state as the store writes it, to tell whether a turn changed it."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"), default=str)


class _RecentStates:
    """The last state of recently active people, so an outage of the store does not
    throw anyone back to the start, and what they did meanwhile is not lost.

    Bounded (least recently used first out) and per worker: it bridges an outage,
    it is not a second store. It also remembers when this worker last saved a
    person's state: the stored expiry is at least that late (another worker's
    save only moves it on), so an unchanged state need not be written again soon.
    """

    def __init__(self, capacity: int = 10_000, refresh: dt.timedelta = SESSION_REFRESH) -> None:
        self._capacity = capacity
        self._refresh = refresh
        self._states: OrderedDict[str, tuple[dict[str, Any], dt.datetime | None]] = OrderedDict()
        """pseudonym -> (state, when this worker saved it, or None: not saved yet)."""

    def get(self, pseudonym: str) -> dict[str, Any] | None:
        found = self._states.get(pseudonym)
        return found[0] if found else None

    def newer_than_store(
        self, pseudonym: str, stored: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The stored state, unless this worker holds a newer one it could not save."""
        found = self._states.get(pseudonym)
        if found is not None and found[1] is None:
            return found[0]
        return stored

    def fresh(self, pseudonym: str, now: dt.datetime) -> bool:
        """True when this worker saved the person's state less than ``refresh`` ago."""
        found = self._states.get(pseudonym)
        if found is None or found[1] is None:
            return False
        self._states.move_to_end(pseudonym)
        return now - found[1] < self._refresh

    def put(self, pseudonym: str, state: dict[str, Any], *, saved_at: dt.datetime | None) -> None:
        self._states[pseudonym] = (state, saved_at)
        self._states.move_to_end(pseudonym)
        while len(self._states) > self._capacity:
            self._states.popitem(last=False)

    def drop(self, pseudonym: str) -> None:
        self._states.pop(pseudonym, None)
