"""What every channel is and shares: the ``Channel`` contract, one delivery policy, order.

A channel adapter only translates (payload -> ``Inbound``, ``Outbound`` -> API
call). What does not depend on the platform lives here, once:

- ``Channel``: the shape the web app mounts (name, stats, routes, start, stop).
  The app builds channels from a registry; no channel reads ``Settings``: each
  receives a frozen config of plain values.
- ``Deliveries``: platforms deliver at least once and retry. Each inbound
  delivery id is *claimed* in the store with a lease before it is handled,
  *completed* when it was handled, *released* when handling stopped half-way.
  ``claim`` tells apart a new delivery, one another worker is handling right
  now (``BUSY``) and one already handled (``DONE``): Telegram must answer the
  first with its reply, the second with "retry later", the third with "ok".
  While the store cannot write, claims are kept in this worker's memory (an
  outage must not silence the SOS card); handling a message twice is better
  than dropping someone's message. A worker that crashed leaves claims behind:
  ``recover`` releases the claims of this worker's previous life at start.
  A turn saves its replies with its state (``Runner.handle(delivery=key)``);
  a retry of a delivery whose turn was saved but never answered (the process
  died between the two) gets those replies again (``saved_replies``): running
  the turn twice would answer the changed state ("This rating is no longer
  open" instead of the thank-you). Completing drops them.
- ``PersonOrder``: one person's messages handled (and answered) in the order
  they arrived inside a worker; different people never wait for each other.
- ``clean_text``: text from a platform as a string every part can store and send.
- ``Push``, ``Pusher``, ``PushResult``, ``Pushers``: reaching a person outside a reply
  (a caseworker's answer, a check-in), defined in ``bot.channels.push``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
import socket
import weakref
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Protocol, runtime_checkable

from aiohttp import web

from bot.channels.push import (
    PersonWrote,
    Push,
    Pusher,
    Pushers,
    PushResult,
    PushStatus,
    Template,
    TemplatePurpose,
)
from bot.core.messages import Outbound, decode_replies
from recruiter_reports.clock import utc_now
from recruiter_reports.stores import StoreUnavailable

__all__ = [
    "Channel",
    "Claim",
    "Deliveries",
    "DeliveryLog",
    "PersonOrder",
    "PersonWrote",
    "Push",
    "PushResult",
    "PushStatus",
    "Pusher",
    "Pushers",
    "Template",
    "TemplatePurpose",
    "clean_text",
    "worker_name",
]

log = logging.getLogger(__name__)


@runtime_checkable
class Channel(Protocol):
    """One messaging platform, as the web app mounts it.

    ``stats`` are counters per kind of event (exported by ``/metrics``), never per
    person. ``routes`` are the HTTP endpoints the platform calls (none in polling
    mode). ``start`` connects and registers (webhook, commands) and releases the
    claims a crashed predecessor left; ``stop`` finishes what is in flight.
    """

    name: str
    stats: Counter[str]

    def routes(self) -> Sequence[web.RouteDef]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Claim(enum.Enum):
    """What ``Deliveries.claim`` found."""

    NEW = "new"
    """Handle it now: nobody has (or the worker that had it died)."""
    BUSY = "busy"
    """Claimed and not finished yet (here or in another worker): ask for a retry."""
    DONE = "done"
    """Already handled: a repeat, answer "ok" and do nothing."""


class DeliveryLog(Protocol):
    """The deliveries part of the store port: claim, complete, release."""

    async def claim_delivery(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> bool: ...

    async def claim_delivery_answer(
        self, key: str, *, lease_until: dt.datetime, expires_at: dt.datetime, owner: str = ""
    ) -> tuple[bool, str | None]: ...

    async def delivery_completed(self, key: str) -> bool: ...

    async def complete_delivery(self, key: str) -> None: ...

    async def release_delivery(self, key: str) -> None: ...

    async def release_deliveries_of(self, owner: str) -> int: ...


def worker_name(port: int | str = "") -> str:
    """Who holds a claim: this host and the port it serves.

    Two live servers cannot listen on one host and port, so a server starting
    under the same name knows that the claims held under it belong to a dead
    process. Names no person; the port keeps two workers on one host apart.
    """
    return f"{socket.gethostname()}:{port}"


class Deliveries:
    """Claims of one channel's delivery ids: the one policy every channel follows."""

    def __init__(
        self,
        store: DeliveryLog,
        *,
        lease: dt.timedelta,
        ttl: dt.timedelta,
        owner: str = "",
        clock: Callable[[], dt.datetime] = utc_now,
        memory: int = 10_000,
        stats: Counter[str] | None = None,
    ) -> None:
        """``lease`` outlasts handling one message (rate-limit waits included);
        ``ttl`` outlasts the platform's retries; ``memory`` bounds the ids kept
        in memory during an outage; ``stats`` are the channel's counters."""
        self._store = store
        self.lease = lease
        self.ttl = ttl
        self.owner = owner
        self._clock = clock
        self._memory = memory
        self._recent: OrderedDict[str, bool] = OrderedDict()
        """Ids claimed in memory while the store was down -> completed yet."""
        self._answers: dict[str, str] = {}
        """Ids just claimed -> the replies their abandoned claim saved (``saved_replies``)."""
        self.stats: Counter[str] = stats if stats is not None else Counter()
        """``fallback`` counts claims made in memory, ``recovered`` claims released at start."""

    async def claim(self, key: str) -> Claim:
        """Whether this worker should handle the delivery now (see ``Claim``)."""
        now = self._clock()
        try:
            claimed, replies = await self._store.claim_delivery_answer(
                key, lease_until=now + self.lease, expires_at=now + self.ttl, owner=self.owner
            )
            if claimed:
                if replies is not None:
                    self._answers[key] = replies
                return Claim.NEW
            # Not ours: finished, or someone is at it. A claim released meanwhile
            # reads as BUSY, which only asks the platform to try again.
            return Claim.DONE if await self._store.delivery_completed(key) else Claim.BUSY
        except StoreUnavailable:
            log.warning("delivery log unavailable; checking repeats in memory")
        self.stats["fallback"] += 1
        done = self._recent.get(key)
        if done is not None:
            return Claim.DONE if done else Claim.BUSY
        self._recent[key] = False
        if len(self._recent) > self._memory:
            self._recent.popitem(last=False)
        return Claim.NEW

    async def saved_replies(self, key: str) -> list[Outbound] | None:
        """What the saved turn of a claimed delivery answered, when it was never completed.

        Known from ``claim`` (one trip to the store): call it right after a
        ``NEW`` claim. None for a delivery handled for the first time, and for
        one claimed in memory while the store was down.
        """
        saved = self._answers.pop(key, None)
        if saved is None:
            return None
        self.stats["resent"] += 1
        return decode_replies(saved)

    async def complete(self, key: str) -> None:
        """The delivery was handled: a retry of it is a repeat from now on."""
        self._answers.pop(key, None)
        if key in self._recent:
            self._recent[key] = True
        try:
            await self._store.complete_delivery(key)
        except StoreUnavailable:
            # The claim stays leased; after the lease a retry would be handled again.
            log.warning("delivery log unavailable; a handled delivery stays only claimed")

    async def release(self, key: str) -> None:
        """Handling stopped before the end: let the platform's retry in without waiting."""
        self._answers.pop(key, None)
        self._recent.pop(key, None)
        try:
            await self._store.release_delivery(key)
        except StoreUnavailable:
            log.warning("delivery log unavailable; the retry waits for the lease")

    async def recover(self) -> int:
        """Release what this worker's previous life claimed and never finished (at start)."""
        if not self.owner:
            return 0
        try:
            released = await self._store.release_deliveries_of(self.owner)
        except StoreUnavailable:
            log.warning("delivery log unavailable at start; left claims wait for their lease")
            return 0
        if released:
            self.stats["recovered"] += released
            log.warning("released %d delivery claim(s) left by a stopped process", released)
        return released

    @asynccontextmanager
    async def handling(self, key: str) -> AsyncIterator[None]:
        """Complete the claim when the body ends, release it when the body is cut off."""
        try:
            yield
        except BaseException:
            await self.release(key)
            raise
        await self.complete(key)


class PersonOrder:
    """One lock per person (by pseudonym), so their messages are handled one at a time.

    Locks live only while someone waits on them (a weak dictionary), so idle
    people cost nothing; memory only, never stored.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def lock(self, person: str) -> asyncio.Lock:
        found = self._locks.get(person)
        if found is None:
            found = self._locks[person] = asyncio.Lock()
        return found


def clean_text(text: str) -> tuple[str, bool]:
    """``text`` as valid Unicode, and whether it had to be repaired.

    JSON may carry a lone surrogate (``"\\ud800"``): Python decodes it, but it
    cannot be encoded as UTF-8, so saving or sending it would fail and the
    person would get no reply. It becomes U+FFFD, the replacement character.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _replace_surrogates(text), True
    return text, False


def _replace_surrogates(text: str) -> str:
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
