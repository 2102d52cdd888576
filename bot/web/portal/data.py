"""What the portal, the exports and the API may show: every figure through ``disclosure``.

Every figure is built from an agency's *published cells* (its reports by
destination and quarter, each kept as last published and refreshed only once it
has ``k`` more reporters: ``recruiter_reports.publication``), never from the
reports as they are now; so two views a report apart show the same numbers,
and a total counts only the reporters of cells published so far. Within that,
subtraction is kept from revealing a small group of answers:

- an agency's total (the sum of its published cells) comes from ``disclose``;
  its cells by destination from ``disclose_breakdown`` (complementary
  suppression), and the agency list filtered by destination shows exactly
  that destination cell;
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
from dataclasses import dataclass, field, replace
from functools import cached_property

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
from recruiter_reports.publication import Published
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
    by_quarter: Mapping[str, tuple[Disclosed, FeeLaw]] = field(default_factory=dict)
    """Quarter (``"2026Q3"``) -> the row's figures in that quarter (exports only)."""


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
    """The trend: one cell per quarter with published cells (None when only a destination is
    in scope)."""
    quarter_fees: dict[str, FeeLaw] | None = None
    period: Period | None = None
    brokers: tuple[Broker, ...] = ()
    """The broker chain (only for a reader who may see the whole agency)."""


class _View:
    """An agency's figures, every one built from its published cells (computed when asked:
    an overview of thousands of agencies needs only their totals)."""

    def __init__(self, published: Published, origin: str, k: int, bands: tuple[str, ...]):
        self.published, self.origin, self._k, self._bands = published, origin, k, bands

    @cached_property
    def total(self) -> Summary:
        return self.published.total()

    @cached_property
    def raw(self) -> dict[str, Summary]:
        """The published cells summed by destination."""
        return self.published.by_destination()

    @cached_property
    def by_destination(self) -> dict[str, Disclosed]:
        """The destinations as shown (complementary suppression of small answer counts)."""
        return dict(sorted(disclose_breakdown(self.raw, self.total, self._k, self._bands).items()))

    @cached_property
    def windows(self) -> Cells:
        """The shown parts of the (destination, quarter) cells, for figures over time."""
        rid = self.published.recruiter_id
        if self.total.reporters < self._k:
            return Cells(rid, {})
        return visible_cells(rid, self.published.cells, self.raw, self.by_destination,
                             self._k, self._bands)  # fmt: skip


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
        """The broker chain behind ``agency`` as published (approved brokers, each named by
        ``k`` or more)."""
        return await self._chain(
            await publication.refresh(self._store, agency.id, self._k, self._clock())
        )

    async def _chain(self, published: Published) -> tuple[Broker, ...]:
        return tuple(await broker_links(self._store, published.brokers, self._k))

    async def agencies(
        self,
        origins: Iterable[str],
        destination: str | None = None,
        query: str | None = None,
        status: str | None = None,
        period: Period | None = None,
        *,
        quarters: bool = False,
    ) -> list[AgencyRow]:
        """Agencies of ``origins`` (registry order), with their total or one destination cell.

        ``quarters`` adds each row's figures quarter by quarter (the exports).
        """
        rows: list[AgencyRow] = []
        for origin in origins:
            registry = self._registries.get(origin)
            published = await publication.refresh_origin(
                self._store, origin, self._k, self._clock()
            )
            listed = list(registry) if registry is not None else []
            if query and registry is not None:
                listed = [match.recruiter for match in registry.search(query, limit=50)]
            agencies = [_agency(recruiter) for recruiter in listed]
            known = {agency.id for agency in agencies}
            if query:  # unlisted agencies are found by their approved names
                others = await matching_unlisted(self._store, origin, query)
            else:
                others = sorted(rid for rid in published if rid not in known)
            for rid in others:
                found = await self.agency(rid)
                if found is not None and found.id not in known:
                    known.add(found.id)
                    agencies.append(found)
            for agency in agencies:
                if status and agency.status.value != status:
                    continue
                view = self._view(published.get(agency.id) or Published(agency.id), origin)
                row = self._row(agency, view, destination, period)
                if quarters:
                    row = replace(row, by_quarter=self._quarters(view, destination, period))
                rows.append(row)
        return rows

    def _row(
        self, agency: Agency, view: _View, destination: str | None, period: Period | None
    ) -> AgencyRow:
        origin = agency.origin
        covered = [destination] if destination is not None else self._destinations_of(origin)
        if period is not None:
            disclosed = self._disclose(view.windows.window(period, destination), origin)
            bands = view.windows.fee_bands(period, destination)
            fees = fee_law(disclosed, self._countries.get(origin), bands, self._countries)
        elif destination is None:
            disclosed = self._disclose(view.total, origin)
            fees = self._fees(disclosed, origin, view.raw, None)
        else:
            disclosed = view.by_destination.get(destination) or _nothing(agency.id, self._k)
            fees = self._fees(disclosed, origin, view.raw, destination)
        return AgencyRow(agency, disclosed, fees, self.rules(origin, covered))

    def _quarters(
        self, view: _View, destination: str | None, period: Period | None
    ) -> dict[str, tuple[Disclosed, FeeLaw]]:
        """The figures of each quarter with published cells (of one destination, in a period)."""
        windows, origin = view.windows, view.origin
        found = sorted({quarter for code, quarter in windows.cells
                        if destination is None or code == destination})  # fmt: skip
        figures = {}
        for quarter in found:
            if period is not None and not period.holds(quarter):
                continue
            one = Period(quarter, quarter)
            disclosed = self._disclose(windows.window(one, destination), origin)
            figures[str(quarter)] = (disclosed, fee_law(
                disclosed, self._countries.get(origin), windows.fee_bands(one, destination),
                self._countries))  # fmt: skip
        return figures

    def _view(self, published: Published, origin: str) -> _View:
        return _View(published, origin, self._k, self._bands(origin))

    def rules(self, origin: str, destinations: Iterable[str]) -> tuple[LegalRule, ...]:
        """The fee rules that apply: the origin's, then each destination's, with sources."""
        codes = [origin, *destinations]
        return tuple(rules(self._countries.get(code) for code in codes))

    def _destinations_of(self, origin: str) -> list[str]:
        country = self._countries.get(origin)
        return list(country.destinations) if country is not None else []

    def _fees(
        self,
        disclosed: Disclosed,
        origin: str,
        cells: Mapping[str, Summary],
        destination: str | None,
    ) -> FeeLaw:
        """The group's fees against each report's legal limit (read only when the fee is shown).

        ``cells`` is the agency's published cells summed by destination.
        """
        fee = disclosed.fee
        if not disclosed.shown or fee is None or fee.withheld is not None:
            return fee_law(disclosed, None, {}, self._countries)
        bands = {
            code: cell.fee_bands for code, cell in cells.items()
            if destination is None or code == destination
        }  # fmt: skip
        return fee_law(disclosed, self._countries.get(origin), bands, self._countries)

    async def detail(
        self, agency: Agency, destinations: Iterable[str] | None, period: Period | None = None
    ) -> AgencyDetail:
        """The agency page; with ``destinations`` given, only those cells (scope by destination).

        With ``period``, every figure counts only the reports of those quarters.
        """
        origin = agency.origin
        published = await publication.refresh(self._store, agency.id, self._k, self._clock())
        view = self._view(published, origin)
        windows = view.windows
        by_destination = view.by_destination
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
                destination_fees={name: self._cell_fees(cell, view, name, period)
                                  for name, cell in cells.items()},
                rules=self.rules(origin, sorted(wanted)), period=period,
            )  # fmt: skip
        total = self._disclose(view.total if period is None else windows.window(period), origin)
        quarters = self._quarters(view, None, period)
        years = sorted({int(name[:4]) for name in quarters})
        by_year = {
            str(year): self._disclose(windows.window(period, year=year), origin) for year in years
        }
        return AgencyDetail(
            agency, total, by_destination, by_year,
            fees=self._cell_fees(total, view, None, period),
            destination_fees={name: self._cell_fees(cell, view, name, period)
                              for name, cell in by_destination.items()},
            rules=self.rules(origin, self._destinations_of(origin)),
            by_quarter={name: figures[0] for name, figures in quarters.items()},
            period=period, brokers=await self._chain(published),
            quarter_fees={name: figures[1] for name, figures in quarters.items()},
        )  # fmt: skip

    def _cell_fees(
        self, disclosed: Disclosed, view: _View, destination: str | None, period: Period | None
    ) -> FeeLaw:
        if period is None:
            return self._fees(disclosed, view.origin, view.raw, destination)
        bands = view.windows.fee_bands(period, destination)
        return fee_law(disclosed, self._countries.get(view.origin), bands, self._countries)

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
            fee_answers: dict[str, dict[str, int]] = {}
            published = await publication.refresh_origin(
                self._store, origin, self._k, self._clock()
            )
            for cells in published.values():
                view = self._view(cells, origin)
                whole = self._disclose(view.total, origin)
                if not whole.shown:
                    continue
                if period is not None:
                    total = _add(total, view.windows.window(period, destination), label)
                    _merge(fee_answers, view.windows.fee_bands(period, destination))
                    continue
                if destination is None:
                    part, shown = view.total, whole
                    if _fee_shown(whole):
                        _merge(fee_answers, {code: c.fee_bands for code, c in view.raw.items()})
                else:
                    split = view.by_destination
                    if destination not in split or not split[destination].shown:
                        continue
                    part, shown = view.raw[destination], split[destination]
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

