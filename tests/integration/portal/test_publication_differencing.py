"""Property: reports added and removed one by one, no sequence of published figures reveals one.

Each step saves one more report about an agency (to one of several destinations
and quarters, naming a broker or not) or erases one (/forget), then reads every
figure the API publishes about it: the agency list's total, its destination
cell, its destination-and-quarter cell, the agency page's total, destinations,
quarters (the trend), year and broker chain, each period's total and
destinations, and the sector overview.

The reader is as strong as can be: they know when each report was made, its
destination and quarter, and when each one was erased; so every published
count is a sum, over a set of reports the reader can name, of one unknown
value per report ("yes" answers, answers given). A report's answer is revealed
exactly when its unit vector e_r is a linear combination of those sets; the
test checks, with exact rational arithmetic, that it never is.

How the sets are named: a (destination, quarter) cell's figure, first seen
with ``n`` reporters, is the cell's reports at that moment (and the test checks
it counts exactly them); every other figure must be the union of the cells it
covers as they are shown at that moment (checked on its reporter count), so it
is in the span of the cells' sets. A broker's count is a sum over the agency's
reports at the moment it was first seen of an unknown per-report value (named
that broker or not), checked on its own.

The rule has teeth: with the publication rule switched off for cells (a cell
published whenever it has ``k`` reporters) or for brokers, a fixed sequence is
caught revealing a report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruiter_reports import publication
from recruiter_reports.names import NameKind, broker_key
from recruiter_reports.reports import Report
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import START, Portal, open_portal

K = 5
AGENCY = "KE-EX-KE-0002"
BROKER = "Musa Juma"
QUARTERS = {"2026Q1": START, "2026Q2": dt.datetime(2026, 5, 2, 9, 0, tzinfo=dt.UTC)}
DESTINATIONS = ("QA", "SA", None)
Sets = set[frozenset[int]]

add = st.fixed_dictionaries({
    "do": st.just("add"),
    "passport_kept": st.sampled_from([True, False, None]),
    "destination": st.sampled_from(["QA", "QA", "SA", None]),
    "quarter": st.sampled_from(sorted(QUARTERS)),
    "broker": st.sampled_from([BROKER, BROKER, None]),
})  # fmt: skip
remove = st.fixed_dictionaries({"do": st.just("remove"), "which": st.integers(0, 1000)})


def _in_span(rows: Sets, target: int, size: int) -> bool:
    """True when the unit vector of report ``target`` is a combination of the rows' sets."""
    matrix = [[Fraction(int(c in row)) for c in range(size)] for row in rows]
    unit = [Fraction(int(c == target)) for c in range(size)]
    return _rank([*matrix, unit]) == _rank(matrix)


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(row) for row in matrix if any(row)]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _cell(destination: str | None, quarter: str) -> str:
    return f"{destination or ''}|{quarter}"


@dataclass
class Reader:
    """What the reader has seen so far, as sets of report numbers."""

    items: list[dict[str, Any]] = field(default_factory=list)
    live: set[int] = field(default_factory=set)
    snapshots: dict[tuple[str, int], frozenset[int]] = field(default_factory=dict)
    rows: Sets = field(default_factory=set)
    broker_rows: Sets = field(default_factory=set)

    def members(self, cell: str) -> frozenset[int]:
        items = self.items
        return frozenset(
            r for r in self.live if _cell(items[r]["destination"], items[r]["quarter"]) == cell
        )

    def snapshot(
        self, key: str, figure: dict[str, Any], now: frozenset[int], count: int
    ) -> frozenset[int]:
        """The set behind a figure first seen now; the same set when it is seen again.

        First seen, it must count ``count``: what the set holds now.
        """
        seen = self.snapshots.setdefault((key, figure["reporters"]), now)
        if seen is now:
            assert figure["reporters"] == count, f"{key} does not count its reports"
        return seen


async def _step(portal: Portal, reader: Reader, item: dict[str, Any]) -> None:
    if item["do"] == "remove":
        if reader.live:
            gone = sorted(reader.live)[item["which"] % len(reader.live)]
            await portal.store.forget(f"p{gone}")
            reader.live.discard(gone)
        return
    number = len(reader.items)
    reader.items.append(item)
    reader.live.add(number)
    report = Report(
        recruiter_id=AGENCY, origin="KE", destination=item["destination"],
        passport_kept=item["passport_kept"], fee_band="b2", broker=item["broker"],
        created_at=QUARTERS[item["quarter"]] + dt.timedelta(hours=number),
    )  # fmt: skip
    await portal.store.save_report(f"p{number}", report, reporter_since=START)
    if item["broker"]:
        await portal.store.moderate_name(NameKind.BROKER, broker_key(BROKER), True)


async def _read(portal: Portal, reader: Reader) -> None:
    """Every figure published about the agency now, as sets of reports."""
    headers = portal.api("official")

    async def get(path: str) -> dict[str, Any]:
        response = await portal.client.get(path, headers=headers)
        assert response.status == 200, await response.text()
        body: dict[str, Any] = await response.json()
        return body

    shown: dict[str, frozenset[int]] = {}  # each cell as shown now
    by_period = {quarter: await get(f"/api/v1/recruiters/{AGENCY}?quarter={quarter}")
                 for quarter in QUARTERS}  # fmt: skip
    for quarter, page in by_period.items():
        for code, figure in page["by_destination"].items():
            cell = _cell(code, quarter)
            if figure["shown"]:
                members = reader.members(cell)
                shown[cell] = reader.snapshot(cell, figure, members, len(members))
                reader.rows.add(shown[cell])

    def union(wanted: Callable[[str, str], bool], figure: dict[str, Any] | None, key: str) -> None:
        if figure is None or not figure["shown"]:
            return
        cells = [s for cell, s in shown.items() if wanted(*cell.split("|"))]
        covered = frozenset().union(*cells)
        assert figure["reporters"] == len(covered), f"{key} is not a sum of published cells"
        reader.rows.add(covered)

    page = await get(f"/api/v1/recruiters/{AGENCY}")
    union(lambda code, q: True, page["total"], "the total")
    for code, figure in page["by_destination"].items():
        union(lambda c, q, code=code: c == code, figure, f"destination {code}")
    for quarter, figure in page["by_quarter"].items():
        union(lambda c, q, quarter=quarter: q == quarter, figure, f"quarter {quarter}")
    for year, figure in page["by_year"].items():
        union(lambda c, q, year=year: q.startswith(year), figure, f"year {year}")
    for quarter, period in by_period.items():
        union(lambda c, q, quarter=quarter: q == quarter, period["total"], f"period {quarter}")
    listing = await get("/api/v1/recruiters?origin=KE")
    (row,) = [r for r in listing["recruiters"] if r["id"] == AGENCY]
    union(lambda c, q: True, row, "the listed total")
    for code in ("QA", "SA"):
        cell_list = await get(f"/api/v1/recruiters?origin=KE&destination={code}")
        (row,) = [r for r in cell_list["recruiters"] if r["id"] == AGENCY]
        union(lambda c, q, code=code: c == code, row, f"listed destination {code}")
        for quarter in QUARTERS:
            cell_list = await get(
                f"/api/v1/recruiters?origin=KE&destination={code}&quarter={quarter}"
            )
            (row,) = [r for r in cell_list["recruiters"] if r["id"] == AGENCY]
            union(lambda c, q, code=code, quarter=quarter: (c, q) == (code, quarter), row,
                  f"listed cell {code} {quarter}")  # fmt: skip
    overview = await get("/api/v1/overview?origin=KE")
    union(lambda c, q: True, overview, "the overview")
    for broker in page["brokers"]:
        named = sum(reader.items[r]["broker"] == broker["name"] for r in reader.live)
        reader.broker_rows.add(reader.snapshot(f"broker {broker['name']}", broker,
                                               frozenset(reader.live), named))  # fmt: skip


async def _publications(steps: list[dict[str, Any]]) -> Reader:
    async with open_portal() as portal:
        await portal.add("official", Role.OFFICIAL, ["KE"])
        reader = Reader()
        for item in steps:
            await _step(portal, reader, item)
            await _read(portal, reader)
        return reader


def _revealed(reader: Reader) -> list[str]:
    size = len(reader.items)
    found = [f"report {r}" for r in range(size) if _in_span(reader.rows, r, size)]
    found += [f"report {r}'s broker" for r in range(size)
              if _in_span(reader.broker_rows, r, size)]  # fmt: skip
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(add, add, add, remove), min_size=K, max_size=30))
def test_no_sequence_of_publications_reveals_one_report(steps: list[dict[str, Any]]) -> None:
    reader = asyncio.run(_publications(steps))
    assert _revealed(reader) == []
    assert all(len(row) >= K for row in reader.rows | reader.broker_rows)


def _rule_off(reporters: int, last: object, k: int) -> bool:
    return reporters >= k


def _six_in_one_cell() -> list[dict[str, Any]]:
    return [{"do": "add", "passport_kept": i % 2 == 0, "destination": "QA",
             "quarter": "2026Q1", "broker": BROKER} for i in range(K + 1)]  # fmt: skip


@pytest.mark.parametrize(
    ("switched_off", "caught"), [("due", "report 5"), ("due_after", "report 5's broker")]
)
def test_without_the_rule_the_check_catches_a_revealed_report(
    monkeypatch: pytest.MonkeyPatch, switched_off: str, caught: str
) -> None:
    """Publishing a cell (or a broker) whenever it has k reporters gives the sixth away."""
    monkeypatch.setattr(publication, switched_off, _rule_off)
    reader = asyncio.run(_publications(_six_in_one_cell()))
    assert caught in _revealed(reader)


def test_with_the_rule_the_same_sequence_reveals_nothing() -> None:
    reader = asyncio.run(_publications(_six_in_one_cell()))
    assert _revealed(reader) == []
    assert reader.rows == {frozenset(range(K))}
