"""Property: reports added one by one, no sequence of published figures reveals one report.

Each step saves one more report about an agency and reads what the portal
publishes of the agency's total (the agency list and the agency page). The
reader is as strong as can be: they know the order in which people reported
and the destination of each, so every published count ("yes" answers,
answers given) is a sum, over a known set of reporters, of one unknown value
per report. A report's answer is revealed exactly when its unit vector e_r is
a linear combination of the published sets; the test checks, with exact
rational arithmetic, that it never is.

A second test shows the check has teeth: publishing every time the agency
has k reporters (no publication rule) is caught revealing a report.

Not covered: the breakdown cells. Added to the published sets (the cells by
destination, shown only at the moments the total is published), this check
finds sequences that reveal a report: a destination cell can grow by fewer
than k between two publications of the total. The cells need a publication
rule of their own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruiter_reports.disclosure import disclose
from recruiter_reports.reports import Report
from recruiter_reports.stakeholders import Role
from recruiter_reports.summaries import summarize
from tests.integration.portal.conftest import START, open_portal

K = 5
AGENCY = "KE-EX-KE-0002"
Sets = list[frozenset[int]]

report_strategy = st.fixed_dictionaries({
    "passport_kept": st.sampled_from([True, False, None]),
    "destination": st.sampled_from(["QA", "QA", "QA", "SA", None]),
})  # fmt: skip


def _report(item: dict[str, Any], i: int) -> Report:
    return Report(
        recruiter_id=AGENCY, origin="KE", destination=item["destination"],
        passport_kept=item["passport_kept"], fee_band="b2",
        created_at=START + dt.timedelta(days=3 * i),
    )  # fmt: skip


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


def _published_sets(items: list[dict[str, Any]], body: dict[str, Any], step: int) -> Sets:
    """The sets of reports behind the counts an agency page shows after ``step`` additions.

    Reports only arrive, so a group of ``n`` reporters is the first ``n`` of it.
    """
    sets: Sets = []
    groups = {"": list(range(step + 1))}
    for code in ("QA", "SA", ""):
        members = [i for i in range(step + 1) if (items[i]["destination"] or "") == code]
        groups[f"destination:{code}"] = members
    shown = [("", body["total"])]
    for group, figures in shown:
        if figures is None or not figures["shown"]:
            continue
        # Every figure of the group ("yes" answers, answers given) is a sum over these
        # reporters of a per-report value the reader does not know.
        sets.append(frozenset(groups[group][: figures["reporters"]]))
    return sets


async def _publications(items: list[dict[str, Any]]) -> Sets:
    async with open_portal() as portal:
        await portal.add("official", Role.OFFICIAL, ["KE"])
        headers = portal.api("official")
        published: Sets = []
        for step, item in enumerate(items):
            await portal.store.save_report(f"p{step}", _report(item, step), reporter_since=START)
            listing = await portal.client.get("/api/v1/recruiters?origin=KE", headers=headers)
            assert listing.status == 200
            page = await portal.client.get(f"/api/v1/recruiters/{AGENCY}", headers=headers)
            published += _published_sets(items, await page.json(), step)
        return published


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(report_strategy, min_size=K, max_size=22))
def test_no_sequence_of_publications_reveals_one_report(items: list[dict[str, Any]]) -> None:
    published = list(dict.fromkeys(asyncio.run(_publications(items))))
    for target in range(len(items)):
        assert not _in_span(published, target, len(items)), f"report {target} is revealed"
    sizes = sorted({len(s) for s in published if s})
    assert all(size >= K for size in sizes)


def test_without_the_rule_two_publications_a_report_apart_reveal_it() -> None:
    """The check above can fail: publishing at every report from k on gives report k away."""
    items = [{"passport_kept": i % 2 == 0, "destination": "QA"} for i in range(K + 1)]
    published: Sets = []
    for step in range(K - 1, K + 1):
        reports = [_report(item, i) for i, item in enumerate(items[: step + 1])]
        if disclose(summarize(reports), K).shown:
            published.append(frozenset(range(step + 1)))
    assert _in_span(published, K, len(items))

