"""Delivering what caseworkers send to the person's chat: the loop inside ``serve``.

A reply is durable before anything is sent: the portal or the API saves it in
the case (sealed) and queues an outbox entry (``casework.outbox``) in the same
request. This loop, in every worker, claims due entries with a lease (so two
workers never send the same one), opens the reply address and the text only
in memory, pushes them through the person's channel (``bot.channels.push``)
and records the outcome:

| push result | the entry |
|---|---|
| delivered | removed; a reply is marked delivered in the case |
| template sent, or window closed | waits until the person writes (``wake``) |
| no template, a refusal only an operator fixes | stuck: retried (at most hourly), shown |
| blocked | unreachable: not tried again, shown as such |
| a passing fault, channel not on this server | retried with backoff (10 s, 20 s ... 1 h) |

A person who chose discreet notifications first gets only the neutral notice
(``bot.web.notice``); the entry then waits as after a template. When they open
it or write, it goes out in full, and so does the rest of their queue in the
same round (``deliver_to``), so opening one notice does not bring another.

A worker killed mid-send leaves its lease; when the lease runs out another
worker sends the entry. The message may then arrive twice (the platform took
it, the worker died before recording it), which beats never.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.channels.push import Push, Pushers, PushResult, PushStatus, Template, TemplatePurpose
from bot.core.case_buttons import answer_choices, closed_choices
from bot.core.messages import Outbound
from bot.i18n import Catalogs
from bot.web.notice import NOTICE_DETAIL, NeutralNotices, woken
from casework import CaseStore, CasesUnavailable, Sealer, SealingError
from casework.models import Case, Direction, ReplyAddress, message_context, reply_context
from casework.outbox import EntryKind, EntryStatus, OutboxEntry, OutboxStore, backoff

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)
"""Longer than one push takes (the channels' own retries included)."""
WAIT_FOR_PERSON = dt.timedelta(days=365)
"""A waiting entry is due again only when the person writes (``wake``)."""

_NEXT: dict[PushStatus, EntryStatus] = {
    PushStatus.TEMPLATE_SENT: EntryStatus.WAITING,
    PushStatus.WINDOW_CLOSED: EntryStatus.WAITING,
    PushStatus.NO_TEMPLATE: EntryStatus.STUCK,
    PushStatus.FAILED: EntryStatus.STUCK,
    PushStatus.BLOCKED: EntryStatus.UNREACHABLE,
    PushStatus.RETRY: EntryStatus.PENDING,
    PushStatus.NO_CHANNEL: EntryStatus.PENDING,
}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Wording:
    """The words of pushed messages, in the person's language."""

    catalogs: Catalogs
    partner_name: Callable[[str, str], str]
    """(partner id, locale) -> the name the person reads."""

    def messages(self, entry: OutboxEntry, case: Case, text: str | None) -> tuple[Outbound, ...]:
        t = self.catalogs.translator(case.locale)
        partner = self.partner_name(case.partner_id, case.locale)
        answer = tuple(answer_choices(t, case.id))
        match entry.kind:
            case EntryKind.REPLY:
                head = t("Reply from {partner} (case {case}):", partner=partner, case=case.id)
                body = f"{head}\n\n{t.isolate(text or '')}".strip()
                return (Outbound(body, answer, rtl=t.rtl),)
            case EntryKind.READ:
                return (Outbound(t("{partner} has read your message.", partner=partner),
                                 answer, rtl=t.rtl),)
            case EntryKind.CLOSED:
                return (Outbound(t("{partner} closed your case {case}. To write to them "
                                   "again, type /talk.", partner=partner, case=case.id),
                                 tuple(closed_choices(t)), rtl=t.rtl),)
        raise AssertionError(entry.kind)


class CaseDelivery:
    """Claims due outbox entries and pushes them; one instance per worker."""

    def __init__(
        self,
        cases: CaseStore,
        outbox: OutboxStore,
        sealer: Sealer,
        pushers: Pushers,
        wording: Wording,
        *,
        owner: str,
        clock: Callable[[], dt.datetime] = _utcnow,
        interval: float = 2.0,
        notices: NeutralNotices | None = None,
    ) -> None:
        """``notices``: who gets a neutral notice instead of the words (default: nobody)."""
        self._cases = cases
        self._outbox = outbox
        self._sealer = sealer
        self._pushers = pushers
        self._wording = wording
        self._notices = notices or NeutralNotices(wording.catalogs)
        self._owner = owner
        self._clock = clock
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self._kick = asyncio.Event()

    def now(self) -> dt.datetime:
        return self._clock()

    def kick(self) -> None:
        """Something was queued or a person wrote: look now instead of at the next tick."""
        self._kick.set()

    async def person_wrote(self, channel: str, pseudonym: str, at: dt.datetime) -> None:
        """A channel with a window heard the person (``PersonWrote``): what waited goes out."""
        if await self._outbox.wake(pseudonym, at):
            self.kick()

    async def run_once(self) -> int:
        """Deliver what is due now; how many entries were tried."""
        now = self._clock()
        entries = await self._outbox.claim(now, lease_until=now + LEASE, owner=self._owner)
        for entry in entries:
            if await self._deliver(entry):
                await self.deliver_to(entry.person)  # they are reading now: the rest follows
        return len(entries)

    async def deliver_to(self, person: str, most: int = 100) -> int:
        """Deliver everything waiting for one person now, in order, in full; how many were
        tried.

        For a person who is reading the chat this moment: the terminal of ``python
        -m bot chat`` runs it when they write (a channel one process serves only
        while they use it), and this loop after it delivered a message they woke
        by opening a notice. It takes their entries even if a server put them off
        (``claim(person=...)``), and sends words, never a notice.
        """
        seen: set[str] = set()
        while len(seen) < most:
            now = self._clock()
            entries = await self._outbox.claim(now, lease_until=now + LEASE, owner=self._owner,
                                               limit=1, person=person)
            if not entries or entries[0].id in seen:
                break  # nothing left, or the one left did not go: not again this time
            seen.add(entries[0].id)
            await self._deliver(entries[0], present=True)
        return len(seen)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        while True:
            try:
                tried = await self.run_once()
            except CasesUnavailable:
                log.warning("case outbox unavailable; delivery retried shortly")
                tried = 0
            except Exception as error:
                log.error("case delivery failed: %s", type(error).__name__)
                tried = 0
            if tried:
                continue  # the next entry of the same people may be due now
            self._kick.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), self._interval)

    async def _deliver(self, entry: OutboxEntry, *, present: bool = False) -> bool:
        """Push one entry; True when its words reached a person who woke it (``seen_at``).

        ``present``: the person is reading the chat now, so no notice.
        """
        case = await self._cases.get(entry.case_id)
        if case is None or case.withdrawn or case.reply_to is None:
            await self._outbox.done(entry.id, self._owner)  # erased or withdrawn: nobody to tell
            return False
        try:
            address = ReplyAddress.from_bytes(
                self._sealer.open(case.reply_to, context=reply_context(case.id)))
            text = self._reply_text(case, entry) if entry.kind is EntryKind.REPLY else None
        except SealingError:
            # A key was dropped from CONTACT_KEY too early: an operator must put it back.
            await self._outbox.retry(
                entry.id, self._owner, due_at=self._clock() + backoff(entry.attempts + 1),
                status=EntryStatus.STUCK,
                detail="cannot open the case with CONTACT_KEY (was a key removed too early?)")
            log.error("case %s: cannot open its sealed values with CONTACT_KEY", case.id)
            return False
        if entry.kind is EntryKind.REPLY and text is None:
            await self._outbox.done(entry.id, self._owner)
            return False
        template = None
        if entry.kind is EntryKind.REPLY:
            template = Template(TemplatePurpose.CASE_REPLY,
                                (self._wording.partner_name(case.partner_id, case.locale),),
                                case.locale)
        push = Push(address.address, self._wording.messages(entry, case, text),
                    person=case.pseudonym, last_seen=_last_seen(case, entry), template=template)
        awake = woken(entry.seen_at, self._clock())  # the person opened the notice, or wrote
        notice = not (present or awake) and await self._notices.wanted(case.pseudonym)
        if notice:
            push = self._notices.notice(push, case.locale)
        result = await self._pushers.push(address.channel, push)
        await self._record(entry, case, result, notice=notice)
        return awake and not present and result.delivered

    def _reply_text(self, case: Case, entry: OutboxEntry) -> str | None:
        for message in case.messages:
            if message.id == entry.ref and message.direction is Direction.CASEWORKER:
                opened = self._sealer.open(message.body,
                                           context=message_context(case.id, message.id))
                return opened.decode("utf-8")
        return None

    async def _record(self, entry: OutboxEntry, case: Case, result: PushResult, *,
                      notice: bool = False) -> None:
        now = self._clock()
        if notice and result.status in {PushStatus.SENT, PushStatus.TEMPLATE_SENT}:
            await self._outbox.retry(entry.id, self._owner, due_at=now + WAIT_FOR_PERSON,
                                     status=EntryStatus.WAITING, detail=NOTICE_DETAIL)
            log.info("case %s: %s announced by a neutral notice", case.id, entry.kind.value)
            return
        if result.delivered:
            if entry.kind is EntryKind.REPLY:
                await self._cases.mark_delivered(case.id, entry.ref, now)
            await self._outbox.done(entry.id, self._owner)
            log.info("case %s: %s delivered", case.id, entry.kind.value)
            return
        if entry.kind is EntryKind.READ and result.status is PushStatus.WINDOW_CLOSED:
            # Not worth a template, and waiting would hold back a reply behind it: the
            # person learns it was read from the reply itself.
            await self._outbox.done(entry.id, self._owner)
            log.info("case %s: read notice dropped, the window is closed", case.id)
            return
        status = _NEXT[result.status]
        if status is EntryStatus.WAITING:
            due = now + WAIT_FOR_PERSON
        else:
            due = now + backoff(entry.attempts + 1)
        await self._outbox.retry(entry.id, self._owner, due_at=due, status=status,
                                 detail=_detail(result))
        log.info("case %s: %s not delivered (%s)", case.id, entry.kind.value, result.status)


def _last_seen(case: Case, entry: OutboxEntry) -> dt.datetime | None:
    """When the person last wrote, as far as the case and the outbox know."""
    times = [m.at for m in case.messages if m.direction is Direction.WORKER]
    if entry.seen_at is not None:
        times.append(entry.seen_at)
    return max(times, default=None)


def _detail(result: PushResult) -> str:
    if result.status is PushStatus.TEMPLATE_SENT:
        return "the person was asked to write (WhatsApp template); delivered when they do"
    if result.status is PushStatus.WINDOW_CLOSED:
        return "waiting for the person to write (more than 24 hours since their last message)"
    return result.detail or result.status.value
