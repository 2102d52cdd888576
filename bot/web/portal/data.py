"""What the portal, the exports and the API may show: every figure through ``disclosure``.

How subtraction is kept from revealing a small group:

- an agency's total comes from ``disclose``; its cells by destination from
  ``disclose_breakdown`` (complementary suppression), and the agency list
  filtered by destination shows exactly that destination cell;
- everything over time (a period, the quarters of the trend, the years) adds
  up the shown parts of the agency's (destination, quarter) cells
  (``bot.web.portal.periods``), so periods cannot be subtracted from each
  other or from the total to single out a few reports;
- a corridor overview adds up, over agencies, only what their own pages
  already show (shown cells, and within them only the shown figures), then
  passes the sum through ``disclose`` again. Any difference between two
  published numbers is then a union of groups that the agency breakdowns
  already protect, each of at least ``k`` reporters.

A below-threshold group never says how many reports it lacks: that would
give its size away.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bot.content import Country
from bot.core.fees import FeeTally, band_label, tally
from bot.i18n import Translator
from bot.web.portal.fee_law import FeeLaw, LegalRule, fee_law, fee_law_of, rules
from bot.web.portal.periods import Cells, visible_cells
from bot.web.portal.periods import add as _add
from bot.web.portal.periods import visible_part as _visible_part
from bot.web.portal.unlisted import broker_links, matching_unlisted, unlisted_name
from recruiter_reports import publication
from recruiter_reports.clock import utc_now
from recruiter_reports.demo import DemoStore, holds_demo_reports
from recruiter_reports.disclosure import Disclosed, Withheld, disclose, disclose_breakdown
from recruiter_reports.names import Broker
from recruiter_reports.quarters import Period
from recruiter_reports.registry import LicenceStatus, Recruiter, Registry, is_pending_id
from recruiter_reports.replies import PublicReply
from recruiter_reports.stores.replies_port import ReplyReads
from recruiter_reports.stores.stakeholder_port import stakeholder_store_for
from recruiter_reports.summaries import Summary

__all__ = ["Agency", "AgencyDetail", "AgencyRow", "Overview", "PortalData"]

_DEMO_CHECK_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Agency:
    """The registry facts about an agency (public, never derived from reports)."""

    id: str
    name: str
    origin: str
    licence_no: str
    status: LicenceStatus
    example: bool

    @property
    def unlisted(self) -> bool:
        """Not in the official list: a name workers typed (shown once a moderator approved it)."""
        return self.status is LicenceStatus.NOT_LISTED


@dataclass(frozen=True, slots=True)
class AgencyRow:
    """One line of the agency list: the agency, what may be shown of it, and its fees."""

    agency: Agency
    disclosed: Disclosed
    fees: FeeLaw
    rules: tuple[LegalRule, ...] = ()
    """The fee rules of the origin and of the destinations the row covers."""


@dataclass(frozen=True, slots=True)
class Overview:
    """The sector overview: the corridor's figures and its fees against the law."""

    disclosed: Disclosed
    fees: FeeLaw


@dataclass(frozen=True, slots=True)
class AgencyDetail:
    """An agency page. ``total`` and ``by_year`` are None when only a destination is in scope."""

    agency: Agency
    total: Disclosed | None
    by_destination: dict[str, Disclosed]
    by_year: dict[str, Disclosed] | None
    fees: FeeLaw | None = None
    """The total's fees against the law (None with the total)."""
    destination_fees: dict[str, FeeLaw] | None = None
    rules: tuple[LegalRule, ...] = ()
    by_quarter: dict[str, Disclosed] | None = None
    """The trend: one cell per quarter with reports (None when only a destination is in scope)."""
    quarter_fees: dict[str, FeeLaw] | None = None
    period: Period | None = None
    brokers: tuple[Broker, ...] = ()
    """The broker chain (only for a reader who may see the whole agency)."""


class PortalData:
    """Reads summaries from the store and hands out only disclosed figures."""

    def __init__(
        self,
        store: DemoStore,
        registries: Mapping[str, Registry],
        k: int,
        fee_bands: Mapping[str, tuple[str, ...]] | None = None,
        countries: Mapping[str, Country] | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        replies: ReplyReads | None = None,
    ) -> None:
        """``replies`` reads agencies' replies; by default from the stakeholder store beside
        ``store``, none when it has no such store."""
        self._store = store
        self._replies = replies if replies is not None else _replies_beside(store)
        self._clock = clock
        self._registries = dict(registries)
        self._k = k
        self._fee_bands = dict(fee_bands or {})
        self._countries = dict(countries or {})
        self._demo_checked: tuple[float, bool] | None = None

    @property
    def k(self) -> int:
        return self._k

    @property
    def origins(self) -> list[str]:
        return sorted(self._registries)

    async def holds_demo_data(self) -> bool:
        """True when seed-demo's synthetic reports are in the store (checked once a minute)."""
        now = time.monotonic()
        if self._demo_checked is None or now - self._demo_checked[0] > _DEMO_CHECK_SECONDS:
            recruiters = [r for registry in self._registries.values() for r in registry]
            self._demo_checked = (now, await holds_demo_reports(self._store, recruiters))
        return self._demo_checked[1]

    def listed(self, recruiter_id: str) -> Agency | None:
        """The registry entry with this id, or None."""
        registry = self._registries.get(recruiter_id[:2].upper())
        found = registry.get(recruiter_id) if registry is not None else None
        return None if found is None else _agency(found)

    def by_licence(self, origin: str, licence_or_id: str) -> Agency | None:
        """The registry entry of ``origin`` with this licence number (or id), or None."""
        registry = self._registries.get(origin.upper())
        if registry is None:
            return None
        found = registry.by_licence(licence_or_id) or registry.get(licence_or_id.strip())
        return None if found is None else _agency(found)

    async def agency(self, recruiter_id: str) -> Agency | None:
        """The agency with this id: listed, or an unlisted one under its approved name
        (a merged spelling is shown as the agency it was merged into)."""
        found = self.listed(recruiter_id)
        if found is not None or not is_pending_id(recruiter_id):
            return found
        named = await unlisted_name(self._store, recruiter_id)
        if named.status is not LicenceStatus.NOT_LISTED:
            return self.listed(named.id)
        return Agency(named.id, named.name, recruiter_id[:2].upper(), "",
                      LicenceStatus.NOT_LISTED, False)  # fmt: skip

    async def reply(self, agency: Agency) -> PublicReply | None:
        """The agency's approved reply (shown beside its figures to every reader), or None."""
        return None if self._replies is None else await self._replies.public_reply(agency.id)

    async def replies(self) -> dict[str, PublicReply]:
        """Every approved reply by agency id (for the lists and the exports)."""
        return {} if self._replies is None else await self._replies.public_replies()

    async def brokers(self, agency: Agency) -> tuple[Broker, ...]:
        """The broker chain behind ``agency``: approved brokers named by ``k`` or more."""
        return tuple(await broker_links(self._store, agency.id, self._k))

    async def agencies(
        self,
        origins: Iterable[str],
        destination: str | None = None,
        query: str | None = None,
        status: str | None = None,
        period: Period | None = None,
    ) -> list[AgencyRow]:
        """Agencies of ``origins`` (registry order), with their total or one destination cell."""
        rows: list[AgencyRow] = []
        for origin in origins:
            registry = self._registries.get(origin)
            live = await self._store.summaries(origin=origin)
            summaries = await self._published(live)
            listed = list(registry) if registry is not None else []
            if query and registry is not None:
                listed = [match.recruiter for match in registry.search(query, limit=50)]
            agencies = [_agency(recruiter) for recruiter in listed]
            known = {agency.id for agency in agencies}
            if query:  # unlisted agencies are found by their approved names
                others = await matching_unlisted(self._store, origin, query)
            else:
                others = sorted(rid for rid in summaries if rid not in known)
            for rid in others:
                found = await self.agency(rid)
                if found is not None and found.id not in known:
                    known.add(found.id)
                    agencies.append(found)
            for agency in agencies:
                if status and agency.status.value != status:
                    continue
                summary = summaries.get(agency.id) or Summary(recruiter_id=agency.id)
                if (period is not None or destination is not None) and not _fresh(
                    live.get(agency.id), summary
                ):
                    hidden = _nothing(agency.id, self._k, Withheld.NOT_REFRESHED)
                    rows.append(AgencyRow(agency, hidden, fee_law(hidden, None, {}, {}),
                                          self.rules(origin, [destination] if destination
                                                     else self._destinations_of(origin))))
                    continue
                if period is not None:
                    rows.append(await self._period_row(agency, summary, destination, period))
                    continue
                if destination is None:
                    disclosed = self._disclose(summary, origin)
                    fees = await self._fees(disclosed, agency.id, origin, None,
                                            fresh=_fresh(live.get(agency.id), summary))
                    covered = self._destinations_of(origin)
                else:
                    raw, cells = await self._destination_cells(agency.id, summary, origin)
                    disclosed = cells.get(destination) or _nothing(agency.id, self._k)
                    fees = await self._fees(disclosed, agency.id, origin, destination, raw)
                    covered = [destination]
                rows.append(AgencyRow(agency, disclosed, fees, self.rules(origin, covered)))
        return rows

    async def _published(self, live: Mapping[str, Summary]) -> dict[str, Summary]:
        """The counts to show of each agency: its last publication until ``k`` more reported.

        A group that is due (first reaching ``k``, or ``k`` past its last publication)
        is published now, so what is shown next time is the same until it is due again.
        """
        wanted = [rid for rid, summary in live.items() if summary.reporters >= self._k]
        last = await self._store.published(wanted) if wanted else {}
        now_due = {rid: live[rid] for rid in wanted
                   if publication.due(live[rid].reporters, last.get(rid), self._k)}  # fmt: skip
        if now_due:
            # The cells by destination are kept with the total: the share above the legal
            # limit of a total shown from an older publication is read from them.
            cells = {
                f"{rid}|{code}": cell
                for rid in now_due
                for code, cell in (await self._store.breakdown(rid, "destination")).items()
            }  # fmt: skip
            await self._store.publish({**now_due, **cells}, self._clock())
        return {rid: publication.shown(summary, last.get(rid) if rid not in now_due else None,
                                       self._k) for rid, summary in live.items()}  # fmt: skip

    async def _period_row(
        self, agency: Agency, summary: Summary, destination: str | None, period: Period
    ) -> AgencyRow:
        origin = agency.origin
        windows = await self._windows(agency.id, summary, origin)
        disclosed = self._disclose(windows.window(period, destination), origin)
        fees = fee_law(disclosed, self._countries.get(origin),
                       windows.fee_bands(period, destination), self._countries)  # fmt: skip
        covered = [destination] if destination is not None else self._destinations_of(origin)
        return AgencyRow(agency, disclosed, fees, self.rules(origin, covered))

    async def _windows(self, recruiter_id: str, summary: Summary, origin: str) -> Cells:
        """The agency's shown (destination, quarter) cells; none when its total is hidden."""
        if summary.reporters < self._k:
            return Cells(recruiter_id, {})
        raw, shown = await self._destination_cells(recruiter_id, summary, origin)
        fine = await self._store.breakdown(recruiter_id, "destination_quarter")
        return visible_cells(recruiter_id, fine, raw, shown, self._k, self._bands(origin))

    def rules(self, origin: str, destinations: Iterable[str]) -> tuple[LegalRule, ...]:
        """The fee rules that apply: the origin's, then each destination's, with sources."""
        codes = [origin, *destinations]
        return tuple(rules(self._countries.get(code) for code in codes))

    def _destinations_of(self, origin: str) -> list[str]:
        country = self._countries.get(origin)
        return list(country.destinations) if country is not None else []

    async def _fees(
        self,
        disclosed: Disclosed,
        recruiter_id: str,
        origin: str,
        destination: str | None,
        cells: Mapping[str, Summary] | None = None,
        *,
        fresh: bool = True,
    ) -> FeeLaw:
        """The group's fees against each report's legal limit (read only when the fee is shown).

        ``cells`` is the agency's breakdown by destination when the caller has it already.
        """
        fee = disclosed.fee
        if not disclosed.shown or fee is None or fee.withheld is not None:
            return fee_law(disclosed, None, {}, self._countries)
        if cells is None:
            fresh = fresh or destination is not None
            cells = await self._fee_cells(recruiter_id, origin, fresh=fresh)
        bands = {
            code: cell.fee_bands for code, cell in cells.items()
            if destination is None or code == destination
        }  # fmt: skip
        return fee_law(disclosed, self._countries.get(origin), bands, self._countries)

    async def _fee_cells(
        self, recruiter_id: str, origin: str, *, fresh: bool
    ) -> Mapping[str, Summary]:
        """The agency's cells by destination behind its shown total: today's, or when the
        total shown is an older publication, the cells published with it."""
        if fresh:
            return await self._store.breakdown(recruiter_id, "destination")
        codes = ["", *self._destinations_of(origin)]
        kept = await self._store.published([f"{recruiter_id}|{code}" for code in codes])
        return {key.partition("|")[2]: cell for key, cell in kept.items()}

    async def detail(
        self, agency: Agency, destinations: Iterable[str] | None, period: Period | None = None
    ) -> AgencyDetail:
        """The agency page; with ``destinations`` given, only those cells (scope by destination).

        With ``period``, every figure counts only the reports of those quarters.
        """
        live = await self._store.summary(agency.id)
        summary = (await self._published({agency.id: live}))[agency.id]
        if not _fresh(live, summary):
            return await self._stale(agency, summary, destinations, period)
        raw, by_destination = await self._destination_cells(agency.id, summary, agency.origin)
        origin = agency.origin
        windows = await self._windows(agency.id, summary, origin)
        if period is not None:
            by_destination = {
                name: self._disclose(windows.window(period, name), origin)
                for name in by_destination
            }  # fmt: skip
        if destinations is not None:
            wanted = set(destinations)
            cells = {name: cell for name, cell in by_destination.items() if name in wanted}
            return AgencyDetail(
                agency, None, cells, None,
                destination_fees={name: await self._cell_fees(cell, agency.id, origin, name,
                                                              raw, windows, period)
                                  for name, cell in cells.items()},
                rules=self.rules(origin, sorted(wanted)), period=period,
            )  # fmt: skip
        total = self._disclose(summary if period is None else windows.window(period), origin)
        quarters = [q for q in windows.quarters() if period is None or period.holds(q)]
        by_quarter = {
            str(q): self._disclose(windows.window(Period(q, q)), origin) for q in quarters
        }
        by_year = {
            str(year): self._disclose(windows.window(period, year=year), origin)
            for year in sorted({q.year for q in quarters})
        }  # fmt: skip
        return AgencyDetail(
            agency, total, by_destination, by_year,
            fees=await self._cell_fees(total, agency.id, origin, None, raw, windows, period),
            destination_fees={name: await self._cell_fees(cell, agency.id, origin, name, raw,
                                                          windows, period)
                              for name, cell in by_destination.items()},
            rules=self.rules(origin, self._destinations_of(origin)),
            by_quarter=by_quarter, period=period, brokers=await self.brokers(agency),
            quarter_fees={
                str(q): fee_law(by_quarter[str(q)], self._countries.get(origin),
                                windows.fee_bands(Period(q, q)), self._countries)
                for q in quarters
            },
        )  # fmt: skip

    async def _stale(
        self, agency: Agency, summary: Summary, destinations: Iterable[str] | None,
        period: Period | None,
    ) -> AgencyDetail:
        """The page of an agency whose published total is older than its reports.

        The total and its cells by destination come from that publication (kept
        together, so the breakdown protects the total as when it was published);
        everything over time waits until it is published again.
        """
        origin = agency.origin
        hidden = _nothing(agency.id, self._k, Withheld.NOT_REFRESHED)
        codes = ["", *self._destinations_of(origin)]
        kept = await self._store.published([f"{agency.id}|{code}" for code in codes])
        raw = {key.partition("|")[2]: cell for key, cell in kept.items()}
        shown = dict(sorted(disclose_breakdown(raw, summary, self._k, self._bands(origin)).items()))
        if period is not None:
            shown = dict.fromkeys(shown, hidden)
        fees = {name: await self._fees(cell, agency.id, origin, name, raw)
                for name, cell in shown.items()}  # fmt: skip
        if destinations is not None:
            wanted = set(destinations)
            return AgencyDetail(
                agency, None, {n: c for n, c in shown.items() if n in wanted}, None,
                destination_fees={n: f for n, f in fees.items() if n in wanted},
                rules=self.rules(origin, sorted(wanted)), period=period,
            )  # fmt: skip
        total = self._disclose(summary, origin) if period is None else hidden
        return AgencyDetail(
            agency, total, shown, {}, fees=await self._fees(total, agency.id, origin, None, raw),
            destination_fees=fees, by_quarter={}, quarter_fees={}, period=period,
            rules=self.rules(origin, self._destinations_of(origin)),
        )  # fmt: skip

    async def _cell_fees(
        self, disclosed: Disclosed, recruiter_id: str, origin: str, destination: str | None,
        raw: Mapping[str, Summary], windows: Cells, period: Period | None,
    ) -> FeeLaw:
        if period is None:
            return await self._fees(disclosed, recruiter_id, origin, destination, raw)
        bands = windows.fee_bands(period, destination)
        return fee_law(disclosed, self._countries.get(origin), bands, self._countries)

    async def overview(
        self, origins: Iterable[str], destination: str | None, period: Period | None = None
    ) -> Overview:
        """The corridor's landscape: what agencies' own pages show, added up, disclosed again.

        Its share above the legal limit counts the same shown fee answers, each
        against the limit of its own origin and destination.
        """
        label = "overview"
        total = Summary(recruiter_id=label)
        bands: tuple[str, ...] = ()
        tallies: list[FeeTally] = []
        origins = list(origins)
        for origin in origins:
            bands = bands or self._bands(origin)
            live = await self._store.summaries(origin=origin)
            fee_answers: dict[str, dict[str, int]] = {}
            for rid, summary in (await self._published(live)).items():
                whole = self._disclose(summary, origin)
                if not whole.shown:
                    continue
                fresh = _fresh(live.get(rid), summary)
                if (period is not None or destination is not None) and not fresh:
                    continue  # its cells wait for its next publication
                if period is not None:
                    windows = await self._windows(rid, summary, origin)
                    total = _add(total, windows.window(period, destination), label)
                    _merge(fee_answers, windows.fee_bands(period, destination))
                    continue
                if destination is None:
                    part, shown = summary, whole
                    if _fee_shown(whole):
                        cells = await self._fee_cells(rid, origin, fresh=fresh)
                        _merge(fee_answers, {code: c.fee_bands for code, c in cells.items()})
                else:
                    cells = await self._store.breakdown(rid, "destination")
                    split = disclose_breakdown(cells, summary, self._k, self._bands(origin))
                    if destination not in cells or not split[destination].shown:
                        continue
                    part, shown = cells[destination], split[destination]
                    if _fee_shown(shown):
                        _merge(fee_answers, {destination: part.fee_bands})
                total = _add(total, _visible_part(part, shown), label)
            tallies.append(tally(self._countries.get(origin), fee_answers, self._countries))
        disclosed = disclose(total, self._k, bands)
        counted = FeeTally(
            *(
                sum(getattr(t, name) for t in tallies)
                for name in ("answered", "above", "straddles", "unknown")
            )
        )
        origin_country = self._countries.get(origins[0]) if len(origins) == 1 else None
        return Overview(disclosed, fee_law_of(disclosed, origin_country, counted))

    async def _destination_cells(
        self, recruiter_id: str, summary: Summary, origin: str
    ) -> tuple[dict[str, Summary], dict[str, Disclosed]]:
        """The agency's cells by destination, as counted and as they may be shown."""
        cells = await self._store.breakdown(recruiter_id, "destination")
        disclosed = disclose_breakdown(cells, summary, self._k, self._bands(origin))
        return cells, dict(sorted(disclosed.items()))

    def _disclose(self, summary: Summary, origin: str) -> Disclosed:
        return disclose(summary, self._k, self._bands(origin))

    def _bands(self, origin: str) -> tuple[str, ...]:
        return self._fee_bands.get(origin, ())

    def fee_label(self, origin: str | None, band: str, t: Translator) -> str:
        """A fee band in words with the origin's currency; the bare id when unknown."""
        country = self._countries.get(origin) if origin else None
        return band_label(country, band, t) if country is not None else band


def _agency(recruiter: Recruiter) -> Agency:
    return Agency(recruiter.id, recruiter.name, recruiter.country, recruiter.licence_no,
                  recruiter.status, recruiter.example)  # fmt: skip


def _replies_beside(store: object) -> ReplyReads | None:
    try:
        found = stakeholder_store_for(store)  # type: ignore[arg-type]
    except NotImplementedError:
        return None
    return found if isinstance(found, ReplyReads) else None


def _fee_shown(disclosed: Disclosed) -> bool:
    return disclosed.shown and disclosed.fee is not None and disclosed.fee.withheld is None


def _merge(into: dict[str, dict[str, int]], more: Mapping[str, Mapping[str, int]]) -> None:
    """Adds fee answers (destination -> band -> count) into ``into``."""
    for code, bands in more.items():
        found = into.setdefault(code, {})
        for band, count in bands.items():
            found[band] = found.get(band, 0) + count


def _nothing(
    recruiter_id: str, k: int, reason: Withheld = Withheld.TOO_FEW_REPORTERS
) -> Disclosed:
    return Disclosed(recruiter_id=recruiter_id, k=k, shown=False, withheld=reason)


def _fresh(live: Summary | None, shown: Summary) -> bool:
    """True when what is shown is today's counts, so its cells may be shown beside it."""
    return live is None or live == shown
