"""The agency page shows promise against reality from check-ins only at k reporters."""

from __future__ import annotations

import datetime as dt
import warnings

from bot.web.followups.figures import PROMISES, PromiseFigures
from followups import CheckinAnswers
from followups.stores.memory import MemoryFollowups
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import START, Portal, open_portal

KENYA = "KE-EX-KE-0001"
SHOWN = "workers who rated this agency and then answered a check-in after arrival found"


async def check_ins(store: MemoryFollowups, n: int, *, different: int,
                    reported: bool = True, agency: str = KENYA,
                    destination: str = "QA", first: int = 0) -> None:
    for i in range(first, first + n):
        job = i - first >= different
        await store.save_answers(CheckinAnswers(
            f"p-{i}", agency, "30", START + dt.timedelta(days=30 + i),
            {"job_now_as_promised": job, "wage_paid_in_full": True}, reported, True,
            destination))


async def page(portal: Portal) -> str:
    response = await portal.client.get(f"/portal/agencies/{KENYA}")
    assert response.status == 200
    return await response.text()


async def _portal_with(store: MemoryFollowups,
                       countries: tuple[str, ...] = ("KE",)) -> tuple[Portal, object]:
    opened = open_portal()
    portal = await opened.__aenter__()
    with warnings.catch_warnings():  # the app is built by open_portal; add the figures to it
        warnings.simplefilter("ignore", DeprecationWarning)
        portal.client.app[PROMISES] = PromiseFigures(store, portal.ctx.min_reporters)
    await portal.report(KENYA, 6)
    await portal.add("official", Role.OFFICIAL, list(countries))
    await portal.login(portal.keys["official"])
    return portal, opened


async def test_below_k_reporters_nothing_is_shown_not_even_a_count() -> None:
    store = MemoryFollowups()
    await check_ins(store, 4, different=3)
    await check_ins(store, 3, different=3, reported=False)  # no earlier report: not linked
    portal, opened = await _portal_with(store)
    try:
        html = await page(portal)
    finally:
        await opened.__aexit__(None, None, None)  # type: ignore[attr-defined]
    assert "Promise against reality" in html
    assert "Shown once at least 5 workers who rated this agency" in html
    assert SHOWN not in html
    assert "75%" not in html and " of 4 " not in html


async def test_at_k_reporters_the_share_is_shown() -> None:
    store = MemoryFollowups()
    await check_ins(store, 5, different=2)
    portal, opened = await _portal_with(store)
    try:
        html = await page(portal)
    finally:
        await opened.__aexit__(None, None, None)  # type: ignore[attr-defined]
    assert f"40% of 5 {SHOWN}" in html


async def test_a_person_answering_twice_counts_once() -> None:
    store = MemoryFollowups()
    await check_ins(store, 4, different=0)
    await store.save_answers(CheckinAnswers(
        "p-0", KENYA, "90", START + dt.timedelta(days=95),
        {"job_now_as_promised": False, "wage_paid_in_full": False}, True, True))
    portal, opened = await _portal_with(store)
    try:
        html = await page(portal)
    finally:
        await opened.__aexit__(None, None, None)  # type: ignore[attr-defined]
    assert SHOWN not in html, "four people, not five"


async def test_an_official_of_a_destination_counts_only_those_who_went_there() -> None:
    store = MemoryFollowups()
    await check_ins(store, 4, different=4, destination="QA")
    await check_ins(store, 3, different=0, destination="SA", first=10)
    portal, opened = await _portal_with(store, ("QA",))
    try:
        html = await page(portal)
    finally:
        await opened.__aexit__(None, None, None)  # type: ignore[attr-defined]
    assert SHOWN not in html, "four went to Qatar: below k for a Qatar official"

    await check_ins(store, 1, different=1, destination="QA", first=20)
    portal, opened = await _portal_with(store, ("QA",))
    try:
        html = await page(portal)
    finally:
        await opened.__aexit__(None, None, None)  # type: ignore[attr-defined]
    assert f"100% of 5 {SHOWN}" in html


async def test_the_figure_is_refreshed_only_after_k_more_people() -> None:
    store = MemoryFollowups()
    await check_ins(store, 5, different=2)
    portal, opened = await _portal_with(store)
    try:
        assert f"40% of 5 {SHOWN}" in await page(portal)
        await check_ins(store, 1, different=1, first=5)  # a sixth, who found it different
        html = await page(portal)
        assert f"40% of 5 {SHOWN}" in html, "one check-in later, the same publication"
        assert f"of 6 {SHOWN}" not in html
        await check_ins(store, 4, different=0, first=6)  # ten now: five more than published
        assert f"30% of 10 {SHOWN}" in await page(portal)
    finally:
        await opened.__aexit__(None, None, None)  # type: ignore[attr-defined]
