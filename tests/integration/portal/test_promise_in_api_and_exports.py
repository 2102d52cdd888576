"""Promise against reality leaves the agency page too: the API's agency detail (valid against
the OpenAPI schema it publishes) and the CSV and JSON exports give it under the same
disclosure control. Below k people nothing is given, not even how many answered."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from followups import CheckinAnswers
from followups.stores.memory import MemoryFollowups
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import START, Portal, open_portal

SUNRISE = "KE-EX-KE-0001"
SAVANNAH = "KE-EX-KE-0002"
DETAIL = "/recruiters/{id}"


async def check_ins(store: MemoryFollowups, n: int, *, different: int, first: int = 0,
                    destination: str = "QA") -> None:
    """``n`` people who rated Sunrise answer a check-in; the first ``different`` found the
    job not as promised."""
    for i in range(first, first + n):
        await store.save_answers(CheckinAnswers(
            f"p-{i}", SUNRISE, "30", START + dt.timedelta(days=30 + i),
            {"job_now_as_promised": i - first >= different, "wage_paid_in_full": True},
            True, True, destination))


@pytest.fixture
def followups() -> MemoryFollowups:
    return MemoryFollowups()


@pytest.fixture
async def portal(followups: MemoryFollowups) -> AsyncIterator[Portal]:
    async with open_portal(followups=followups) as opened:
        await opened.report(SUNRISE, 6)
        await opened.report(SAVANNAH, 6, start=100)
        await opened.add("official", Role.OFFICIAL, ["KE"])
        yield opened


async def detail(portal: Portal, account: str = "official") -> dict[str, Any]:
    """The API's agency detail, checked against the schema the server publishes."""
    schema_doc = await (await portal.client.get("/api/v1/openapi.json")).json()
    response = await portal.client.get(f"/api/v1/recruiters/{SUNRISE}",
                                       headers=portal.api(account))
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    declared = schema_doc["paths"][DETAIL]["get"]["responses"]["200"]
    validator = Draft202012Validator({**declared["content"]["application/json"]["schema"],
                                      "components": schema_doc["components"]})
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == []
    return body


async def exported(portal: Portal, query: str = "origin=KE") -> tuple[dict[str, dict[str, str]],
                                                                      dict[str, Any]]:
    await portal.login(portal.keys["official"])
    rows_csv = await (await portal.client.get(f"/portal/export.csv?{query}")).text()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(rows_csv)) if not row["quarter"]}
    body = json.loads(await (await portal.client.get(f"/portal/export.json?{query}")).text())
    return rows, {agency["id"]: agency for agency in body["agencies"]}


async def test_at_k_the_api_gives_the_share_and_how_many(
    portal: Portal, followups: MemoryFollowups,
) -> None:
    await check_ins(followups, 5, different=2)

    promise = (await detail(portal))["promise_against_reality"]

    assert promise == {"shown": True, "reporters": 5, "different_share": 0.4,
                       "withheld": None, "unavailable": False}


async def test_below_k_the_api_gives_no_number_at_all(
    portal: Portal, followups: MemoryFollowups,
) -> None:
    await check_ins(followups, 4, different=3)

    promise = (await detail(portal))["promise_against_reality"]

    assert promise == {"shown": False, "reporters": None, "different_share": None,
                       "withheld": "too_few_reporters", "unavailable": False}


async def test_the_api_gives_the_last_publication_until_k_more_answered(
    portal: Portal, followups: MemoryFollowups,
) -> None:
    await check_ins(followups, 5, different=2)
    assert (await detail(portal))["promise_against_reality"]["reporters"] == 5
    await check_ins(followups, 1, different=1, first=5)

    promise = (await detail(portal))["promise_against_reality"]

    assert (promise["reporters"], promise["different_share"]) == (5, 0.4)


async def test_without_check_ins_the_api_says_null_and_stays_valid() -> None:
    async with open_portal() as portal:
        await portal.report(SUNRISE, 6)
        await portal.add("official", Role.OFFICIAL, ["KE"])
        assert (await detail(portal))["promise_against_reality"] is None


async def test_the_exports_carry_it_at_k(portal: Portal, followups: MemoryFollowups) -> None:
    await check_ins(followups, 5, different=2)

    rows, agencies = await exported(portal)

    assert rows[SUNRISE]["promise_reporters"] == "5"
    assert rows[SUNRISE]["promise_different_share"] == "0.4"
    assert rows[SUNRISE]["promise_withheld"] == ""
    assert agencies[SUNRISE]["promise_against_reality"]["different_share"] == 0.4
    assert rows[SAVANNAH]["promise_reporters"] == "" and \
        rows[SAVANNAH]["promise_withheld"] == "too_few_reporters"


async def test_below_k_the_exports_show_nothing(
    portal: Portal, followups: MemoryFollowups,
) -> None:
    await check_ins(followups, 4, different=3)

    rows, agencies = await exported(portal)

    row = rows[SUNRISE]
    assert (row["promise_reporters"], row["promise_different_share"]) == ("", "")
    assert row["promise_withheld"] == "too_few_reporters"
    promise = agencies[SUNRISE]["promise_against_reality"]
    assert promise["reporters"] is None and promise["different_share"] is None
    assert "0.75" not in json.dumps(agencies) and "0.75" not in str(rows)


async def test_an_export_of_one_destination_leaves_it_out(
    portal: Portal, followups: MemoryFollowups,
) -> None:
    """Like the broker chain, it belongs to the whole agency, not to one destination's cell."""
    await check_ins(followups, 5, different=2)

    rows, agencies = await exported(portal, "origin=KE&destination=QA")

    assert rows[SUNRISE]["promise_reporters"] == "" and rows[SUNRISE]["promise_withheld"] == ""
    assert agencies[SUNRISE]["promise_against_reality"] is None


async def test_an_official_of_a_destination_gets_only_those_who_went_there(
    portal: Portal, followups: MemoryFollowups,
) -> None:
    await check_ins(followups, 4, different=4, destination="QA")
    await check_ins(followups, 3, different=0, destination="SA", first=10)
    await portal.add("qatar", Role.OFFICIAL, ["QA"])

    promise = (await detail(portal, "qatar"))["promise_against_reality"]

    assert promise["shown"] is False and promise["reporters"] is None
