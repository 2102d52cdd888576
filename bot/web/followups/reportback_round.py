"""A quarter's report-back round: what it would send, and approving it.

The preview is built the way the round will be sent: per corridor (each origin
and the destinations its ``country.yaml`` names) and per language of the site,
the message ``reportback_text.compose`` makes from the corridor's sector
overview for that quarter (``PortalData.overview``: the same disclosed figure
an official sees, under the publication rule), and how many people would get it.

How many people is a count of people, so it is disclosed like one: a
corridor and language says only "k or more" or "fewer than k" (zero
included), and only the round's total is exact, once it is at least k; a
total of exact cells would give the small cells away by subtraction.

Approving checks that the messages are still those the admin saw (``digest``);
it keeps them with the round, so what is sent is exactly what was previewed,
and queues one job per person (``followups.reportback``). A round is approved
once: a second approval, by the same admin or another, queues nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from bot.content import ContentTree
from bot.web.followups.reportback_text import compose
from followups import FollowupStore
from followups.models import Round, RoundMessage
from followups.reportback import corridor_of, digest, eligible, message_key, reportback_jobs
from recruiter_reports.clock import utc_now
from recruiter_reports.quarters import Period, Quarter

if TYPE_CHECKING:  # the portal imports this module: no import back at run time
    from bot.web.portal.data import PortalData

__all__ = ["ROUNDS", "Approval", "Cell", "Preview", "ReportbackRounds", "recent_quarters"]


class Approval(enum.StrEnum):
    APPROVED = "approved"
    ALREADY = "already"
    """Approved before: nothing queued now."""
    CHANGED = "changed"
    """The messages changed since the admin looked (content edited, figures published)."""
    NOTHING = "nothing"
    """No corridor has a figure to show: there is nothing to send."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One corridor and language of a round."""

    origin: str
    destination: str
    locale: str
    message: RoundMessage | None
    people: int
    """Never shown as such: see ``enough``."""

    def enough(self, k: int) -> bool:
        return self.people >= k


@dataclass(frozen=True, slots=True)
class Preview:
    quarter: Quarter
    cells: tuple[Cell, ...]
    messages: dict[str, RoundMessage]
    digest: str
    recipients: int
    """People who would get a message (shown only when at least k)."""
    left_out: int
    """Enrolled people who get nothing because they agreed before report-back was announced
    or their destination is unknown (shown as a band too); people of a corridor without a
    message get nothing either, which the page says per corridor."""
    k: int
    approved: Round | None = None


def recent_quarters(now: dt.datetime, count: int = 4) -> list[Quarter]:
    """The last ``count`` whole quarters before ``now``'s, newest first."""
    found: list[Quarter] = []
    quarter = Quarter.of(now)
    for _ in range(count):
        quarter = quarter.previous()
        found.append(quarter)
    return found


class ReportbackRounds:
    """Previews and approves rounds; one per app."""

    def __init__(self, store: FollowupStore, data: PortalData, content: ContentTree, *,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._store = store
        self._data = data
        self._content = content
        self._clock = clock

    @property
    def k(self) -> int:
        return self._data.k

    def quarters(self) -> list[Quarter]:
        return recent_quarters(self._clock())

    async def preview(self, quarter: Quarter) -> Preview:
        """The round as it would be sent now, and its approval if it was approved."""
        round_id = str(quarter)
        people = await self._store.enrolments()
        counts: dict[str, int] = {}
        left_out = 0
        for person in people:
            corridor = corridor_of(person)
            if corridor is None or not eligible(person, round_id):
                left_out += person.last_round != round_id
                continue
            key = message_key(*corridor, person.locale)
            counts[key] = counts.get(key, 0) + 1
        cells: list[Cell] = []
        messages: dict[str, RoundMessage] = {}
        for origin in self._content.origins():
            for destination in origin.destinations:
                disclosed = (await self._data.overview(
                    [origin.code], destination, Period(quarter, quarter))).disclosed
                for locale in self._content.site.locales:
                    key = message_key(origin.code, destination, locale)
                    message = compose(disclosed, origin=origin.code, destination=destination,
                                      quarter=quarter, locale=locale, content=self._content,
                                      k=self.k)
                    if message is not None:
                        messages[key] = message
                    cells.append(Cell(origin.code, destination, locale, message,
                                      counts.get(key, 0) if message is not None else 0))
        recipients = sum(cell.people for cell in cells)
        return Preview(quarter, tuple(cells), messages, digest(round_id, messages), recipients,
                       left_out, self.k, await self._store.round(round_id))

    async def approve(self, quarter: Quarter, seen: str, account_id: str) -> Approval:
        """Approve the round whose messages hash to ``seen``; see ``Approval``."""
        round_id = str(quarter)
        known = await self._store.round(round_id)
        if known is not None and known.queued:
            return Approval.ALREADY
        preview = await self.preview(quarter)
        if preview.digest != seen:
            return Approval.CHANGED
        if not preview.messages:
            return Approval.NOTHING
        now = self._clock()
        jobs = reportback_jobs(await self._store.enrolments(), round_id, preview.messages, now)
        approved = Round(round_id, now, account_id, preview.messages, preview.digest)
        done = await self._store.approve_round(approved, jobs)
        return Approval.APPROVED if done else Approval.ALREADY


ROUNDS = web.AppKey("reportback_rounds", ReportbackRounds)
"""Set on the main app when follow-ups are on; the portal's admin page reads it."""
