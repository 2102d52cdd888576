"""Sending due check-ins: the loop inside ``serve`` and ``python -m bot followups run``.

The queue is durable (``followups.port``): a check-in is queued when the
person agrees, and this loop, in every worker, claims due jobs with a lease
(so two workers never send the same one), opens the reply address only in
memory, pushes the invitation through the person's channel
(``bot.channels.push``) and records the outcome:

| push result | the job |
|---|---|
| delivered | removed |
| template sent, or window closed (WhatsApp, 24 hours) | waits until the person writes (``wake``) |
| no template, a refusal only an operator fixes | stuck: retried with backoff, at most hourly |
| blocked (the person blocked the number) | every follow-up of the person stops, the address goes |
| a passing fault, channel not on this server | retried with backoff (10 s, 20 s ... 1 h) |

A person who chose discreet notifications first gets only the neutral notice
(``bot.web.notice``); the job then waits as after a template, and the
check-in itself goes out when they open it or write.

A check-in still failing ``GIVE_UP`` after it was due is dropped: asked weeks
late it would not be the 30-day check-in any more. A worker killed mid-send
leaves its lease; when the lease runs out another worker sends the job. The
invitation may then arrive twice (the platform took it, the worker died before
recording it), which beats never; answering twice keeps one set of answers.

The quarterly report-back (``JobKind.REPORTBACK``) goes through the same loop,
neutral notices included: its words are the approved round's
(``reportback_wording``), its WhatsApp template ``REPORT_BACK``, and a delivered
one is recorded on the person (``mark_reported``) before the job goes, so a
round queued again never reaches them twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.channels.push import Push, Pushers, PushResult, PushStatus, Template, TemplatePurpose
from bot.core.context import MENU, SOS
from bot.core.messages import Choice, Outbound
from bot.i18n import Catalogs
from bot.web.followups.reportback_wording import ReportbackWording
from bot.web.notice import NOTICE_DETAIL, NeutralNotices, woken
from casework.models import ReplyAddress
from casework.sealing import SealingError
from followups import (
    Enrolment,
    FollowupStore,
    FollowupsUnavailable,
    Job,
    JobKind,
    JobStatus,
    Sealer,
)
from followups.models import address_context
from recruiter_reports.clock import utc_now
from storekit.backoff import backoff

log = logging.getLogger(__name__)

__all__ = ["GIVE_UP", "LEASE", "CheckinDelivery", "CheckinWording"]

LEASE = dt.timedelta(minutes=2)
"""Longer than one push takes (the channels' own retries included)."""
WAIT_FOR_PERSON = dt.timedelta(days=365)
"""A waiting job is due again only when the person writes (``wake``)."""
GIVE_UP = dt.timedelta(days=14)
"""A check-in not sent this long after it was due is dropped."""

_NEXT: dict[PushStatus, JobStatus] = {
    PushStatus.TEMPLATE_SENT: JobStatus.WAITING,
    PushStatus.WINDOW_CLOSED: JobStatus.WAITING,
    PushStatus.NO_TEMPLATE: JobStatus.STUCK,
    PushStatus.FAILED: JobStatus.STUCK,
    PushStatus.RETRY: JobStatus.PENDING,
    PushStatus.NO_CHANNEL: JobStatus.PENDING,
}


@dataclass(frozen=True, slots=True)
class CheckinWording:
    """The words of a check-in invitation, in the person's language."""

    catalogs: Catalogs
    agency_name: Callable[[str], str | None]
    """recruiter id -> the agency's name in the registry, or None."""

    def messages(self, job: Job, enrolment: Enrolment) -> tuple[Outbound, ...]:
        t = self.catalogs.translator(enrolment.locale)
        agency = self.agency_name(enrolment.recruiter_id) or t("your agency")
        days = t.number(int(job.ref)) if job.ref.isdigit() else job.ref
        text = t("It is time for your check-in: {days} days after arriving, how is it going "
                 "with {agency}? Five short questions, about one minute. Nobody sees who "
                 "answered.", days=days, agency=t.isolate(agency))
        buttons = (
            Choice(f"ci:s:{job.ref}", "▶️ " + t("Start")),
            Choice("stop", "🔕 " + t("Stop check-ins")),
            Choice(MENU, "🏠 " + t("Menu")),
            Choice(SOS, "🆘 " + t("Help now")),
        )
        return (Outbound(text, buttons, rtl=t.rtl),)


class CheckinDelivery:
    """Claims due check-ins and pushes them; one instance per worker."""

    def __init__(
        self,
        store: FollowupStore,
        sealer: Sealer,
        pushers: Pushers,
        wording: CheckinWording,
        *,
        owner: str,
        clock: Callable[[], dt.datetime] = utc_now,
        interval: float = 30.0,
        batch: int = 20,
        notices: NeutralNotices | None = None,
    ) -> None:
        """``batch``: jobs leased at a time, so several workers share a burst of due ones;
        ``notices``: who gets a neutral notice instead (default: nobody)."""
        self._store = store
        self._sealer = sealer
        self._pushers = pushers
        self._wording = wording
        self._reportback = ReportbackWording(wording.catalogs)
        self._notices = notices or NeutralNotices(wording.catalogs)
        self._owner = owner
        self._clock = clock
        self._interval = interval
        self._batch = batch
        self._task: asyncio.Task[None] | None = None
        self._kick = asyncio.Event()

    async def person_wrote(self, channel: str, pseudonym: str, at: dt.datetime) -> None:
        """A channel with a window heard the person: a check-in announced by a template
        goes out now."""
        try:
            if await self._store.wake(pseudonym, at):
                self._kick.set()
        except FollowupsUnavailable:
            log.warning("follow-up store unavailable; a waiting check-in waits for the next "
                        "message")

    async def run_once(self) -> int:
        """Send what is due now; how many jobs were tried."""
        now = self._clock()
        jobs = await self._store.claim(now, lease_until=now + LEASE, owner=self._owner,
                                       limit=self._batch)
        for job in jobs:
            await self._deliver(job)
        return len(jobs)

    async def run_until_done(self) -> int:
        """Run until nothing more is due now (``followups run``); how many were tried."""
        total = 0
        while tried := await self.run_once():
            total += tried
        return total

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="checkin-delivery")

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
            except FollowupsUnavailable:
                log.warning("follow-up store unavailable; check-ins retried shortly")
                tried = 0
            except Exception as error:
                log.error("check-in delivery failed: %s", type(error).__name__)
                tried = 0
            if tried:
                continue
            self._kick.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), self._interval)

    async def _deliver(self, job: Job) -> None:
        enrolment = await self._store.enrolment(job.person)
        if enrolment is None:
            await self._store.done(job.id, self._owner)  # stopped meanwhile: nobody to ask
            return
        now = self._clock()
        if now - job.due_at > GIVE_UP and job.status is not JobStatus.WAITING:
            await self._store.done(job.id, self._owner)
            log.info("check-in %s dropped: not sent within %s of its day", job.ref, GIVE_UP)
            return
        try:
            address = ReplyAddress.from_bytes(
                self._sealer.open(enrolment.address, context=address_context(job.person)))
        except SealingError:
            await self._store.retry(
                job.id, self._owner, due_at=now + backoff(job.attempts + 1),
                status=JobStatus.STUCK,
                detail="cannot open the address with CONTACT_KEY (was a key removed too early?)")
            log.error("a check-in cannot open its sealed address with CONTACT_KEY")
            return
        if job.kind is JobKind.REPORTBACK:
            if enrolment.last_round == job.ref:  # queued again after it was sent
                await self._store.done(job.id, self._owner)
                return
            found = await self._reportback.messages(self._store, job, enrolment)
            if found is None:
                await self._store.done(job.id, self._owner)
                log.info("report-back %s dropped: no message for the person's corridor", job.ref)
                return
            messages, purpose = found, TemplatePurpose.REPORT_BACK
        else:
            messages, purpose = self._wording.messages(job, enrolment), TemplatePurpose.CHECKIN
        push = Push(address.address, messages, person=job.person, last_seen=job.seen_at,
                    template=Template(purpose, (), enrolment.locale))
        # Woken (seen_at): the person just opened the notice or wrote, so the words go now.
        notice = not woken(job.seen_at, now) and await self._notices.wanted(job.person)
        if notice:
            push = self._notices.notice(push, enrolment.locale)
        result = await self._pushers.push(address.channel, push)
        await self._record(job, result, notice=notice)

    async def _record(self, job: Job, result: PushResult, *, notice: bool = False) -> None:
        now = self._clock()
        if notice and result.status in {PushStatus.SENT, PushStatus.TEMPLATE_SENT}:
            await self._store.retry(job.id, self._owner, due_at=now + WAIT_FOR_PERSON,
                                    status=JobStatus.WAITING, detail=NOTICE_DETAIL)
            log.info("check-in %s announced by a neutral notice", job.ref)
            return
        if result.delivered:
            if job.kind is JobKind.REPORTBACK:
                await self._store.mark_reported(job.person, job.ref)
            await self._store.done(job.id, self._owner)
            log.info("%s %s sent", job.kind.value, job.ref)
            return
        if result.status is PushStatus.BLOCKED:
            # Nothing will reach them again: stop retrying and drop the address.
            await self._store.stop(job.person)
            log.info("check-ins stopped: the person cannot be reached (%s)", result.detail)
            return
        status = _NEXT[result.status]
        due = now + WAIT_FOR_PERSON if status is JobStatus.WAITING else \
            now + backoff(job.attempts + 1)
        await self._store.retry(job.id, self._owner, due_at=due, status=status,
                                detail=result.detail or result.status.value)
        log.info("check-in %s not sent (%s)", job.ref, result.status)
