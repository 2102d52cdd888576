"""What the portal, the exports and the API may show: every figure through ``disclosure``.

How subtraction is kept from revealing a small group:

- an agency's total comes from ``disclose``; its cells by destination and by
  year from ``disclose_breakdown`` (complementary suppression), and the agency
  list filtered by destination shows exactly that destination cell;
- a corridor overview adds up, over agencies, only what their own pages
  already show (shown cells, and within them only the shown figures), then
  passes the sum through ``disclose`` again. Any difference between two
  published numbers is then a union of groups that the agency breakdowns
  already protect, each of at least ``k`` reporters.

A below-threshold group never says how many reports it lacks: that would
give its size away.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.content import Country
from bot.core.fees import band_label
from bot.i18n import Translator
from bot.web.portal.unlisted import broker_links, matching_unlisted, unlisted_name
from recruiter_reports import questionnaire
from recruiter_reports.demo import DemoStore, holds_demo_reports
from recruiter_reports.disclosure import Disclosed, Withheld, disclose, disclose_breakdown
from recruiter_reports.names import Broker
from recruiter_reports.registry import LicenceStatus, Recruiter, Registry, is_pending_id
from recruiter_reports.summaries import Summary, YesNo

__all__ = ["Agency", "AgencyDetail", "AgencyRow", "PortalData"]

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
    """One line of the agency list: the agency and what may be shown of it."""

    agency: Agency
    disclosed: Disclosed


@dataclass(frozen=True, slots=True)
class AgencyDetail:
    """An agency page. ``total`` and ``by_year`` are None when only a destination is in scope."""

    agency: Agency
    total: Disclosed | None
    by_destination: dict[str, Disclosed]
    by_year: dict[str, Disclosed] | None
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
    ) -> None:
        self._store = store
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

    async def brokers(self, agency: Agency) -> tuple[Broker, ...]:
        """The broker chain behind ``agency``: approved brokers named by ``k`` or more."""
        return tuple(await broker_links(self._store, agency.id, self._k))

    async def agencies(
        self,
        origins: Iterable[str],
        destination: str | None = None,
        query: str | None = None,
        status: str | None = None,
    ) -> list[AgencyRow]:
        """Agencies of ``origins`` (registry order), with their total or one destination cell."""
        rows: list[AgencyRow] = []
        for origin in origins:
            registry = self._registries.get(origin)
            summaries = await self._store.summaries(origin=origin)
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
                if destination is None:
                    disclosed = self._disclose(summary, origin)
                else:
                    cells = await self._destination_cells(agency.id, summary, origin)
                    disclosed = cells.get(destination) or _nothing(agency.id, self._k)
                rows.append(AgencyRow(agency, disclosed))
        return rows

    async def detail(self, agency: Agency, destinations: Iterable[str] | None) -> AgencyDetail:
        """The agency page; with ``destinations`` given, only those cells (scope by destination)."""
        summary = await self._store.summary(agency.id)
        by_destination = await self._destination_cells(agency.id, summary, agency.origin)
        if destinations is not None:
            wanted = set(destinations)
            cells = {name: cell for name, cell in by_destination.items() if name in wanted}
            return AgencyDetail(agency, None, cells, None)
        years = await self._store.breakdown(agency.id, "year")
        by_year = disclose_breakdown(years, summary, self._k, self._bands(agency.origin))
        return AgencyDetail(agency, self._disclose(summary, agency.origin), by_destination,
                            dict(sorted(by_year.items())), await self.brokers(agency))  # fmt: skip

    async def overview(self, origins: Iterable[str], destination: str | None) -> Disclosed:
        """The corridor's landscape: what agencies' own pages show, added up, disclosed again."""
        label = "overview"
        total = Summary(recruiter_id=label)
        bands: tuple[str, ...] = ()
        for origin in origins:
            bands = bands or self._bands(origin)
            for rid, summary in (await self._store.summaries(origin=origin)).items():
                whole = self._disclose(summary, origin)
                if not whole.shown:
                    continue
                if destination is None:
                    part, shown = summary, whole
                else:
                    cells = await self._store.breakdown(rid, "destination")
                    disclosed = disclose_breakdown(cells, summary, self._k, self._bands(origin))
                    if destination not in cells or not disclosed[destination].shown:
                        continue
                    part, shown = cells[destination], disclosed[destination]
                total = _add(total, _visible_part(part, shown), label)
        return disclose(total, self._k, bands).model_copy(update={"reporters_needed": None})

    async def _destination_cells(
        self, recruiter_id: str, summary: Summary, origin: str
    ) -> dict[str, Disclosed]:
        cells = await self._store.breakdown(recruiter_id, "destination")
        disclosed = disclose_breakdown(cells, summary, self._k, self._bands(origin))
        return dict(sorted(disclosed.items()))

    def _disclose(self, summary: Summary, origin: str) -> Disclosed:
        disclosed = disclose(summary, self._k, self._bands(origin))
        # How many reports a hidden agency lacks would tell its exact count.
        return disclosed.model_copy(update={"reporters_needed": None})

    def _bands(self, origin: str) -> tuple[str, ...]:
        return self._fee_bands.get(origin, ())


    def fee_label(self, origin: str | None, band: str, t: Translator) -> str:
        """A fee band in words with the origin's currency; the bare id when unknown."""
        country = self._countries.get(origin) if origin else None
        return band_label(country, band, t) if country is not None else band


def _agency(recruiter: Recruiter) -> Agency:
    return Agency(recruiter.id, recruiter.name, recruiter.country, recruiter.licence_no,
                  recruiter.status, recruiter.example)  # fmt: skip


def _nothing(recruiter_id: str, k: int) -> Disclosed:
    return Disclosed(recruiter_id=recruiter_id, k=k, shown=False,
                     withheld=Withheld.TOO_FEW_REPORTERS)  # fmt: skip


def _visible_part(summary: Summary, shown: Disclosed) -> Summary:
    """The counts behind what ``shown`` displays: withheld figures contribute nothing."""
    indicators = {
        name: summary.indicators.get(name, YesNo())
        if shown.indicators.get(name) is not None and shown.indicators[name].withheld is None
        else YesNo()
        for name in questionnaire.current().indicators
    }
    keep_recommend = shown.recommend is not None and shown.recommend.withheld is None
    keep_fee = shown.fee is not None and shown.fee.withheld is None
    return Summary(
        recruiter_id=summary.recruiter_id,
        reporters=summary.reporters,
        indicators=indicators,
        fee_bands=dict(summary.fee_bands) if keep_fee else {},
        recommend_sum=summary.recommend_sum if keep_recommend else 0,
        recommend_count=summary.recommend_count if keep_recommend else 0,
    )


def _add(left: Summary, right: Summary, label: str) -> Summary:
    """Counts of two disjoint groups together (for a corridor of several agencies)."""
    bands = dict(left.fee_bands)
    for band, count in right.fee_bands.items():
        bands[band] = bands.get(band, 0) + count
    return Summary(
        recruiter_id=label,
        reporters=left.reporters + right.reporters,
        indicators={
            name: YesNo(yes=left.indicators[name].yes + right.indicators[name].yes,
                        no=left.indicators[name].no + right.indicators[name].no)
            for name in questionnaire.current().indicators
        },
        fee_bands=bands,
        recommend_sum=left.recommend_sum + right.recommend_sum,
        recommend_count=left.recommend_count + right.recommend_count,
    )

