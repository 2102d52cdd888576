"""One more yes/no question is one more row in the questionnaire table, nothing else.

The test adds a question (the wage paid on time) to the table and runs it
through the chat (asked in its place, with its wording and its review line),
the store (saved in the report, counted in the summary) and the API (the
figure and its description in the OpenAPI document), touching no other module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.content import load_content
from bot.core.engine import Engine
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports import questionnaire
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.questionnaire import Kind, Question, t
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stakeholders import Role
from tests.integration.portal.conftest import ROOT, open_portal
from tests.unit.engine.conftest import Person

SUNRISE = "KE-EX-KE-0001"
WAGE = Question(
    "wage", Kind.YES_NO, "wage_paid_on_time",
    chat=t("Was your wage paid in full and on time?"),
    review=t("Wage paid on time"), icon="💵",
    portal=t("Wage paid in full and on time"),
    api="Share whose wage was paid in full and on time",
)  # fmt: skip


@pytest.fixture
def extended() -> Iterator[questionnaire.Questionnaire]:
    with questionnaire.use(questionnaire.DEFAULT.with_question(WAGE, after="passport")) as table:
        yield table


async def test_an_added_question_is_asked_stored_counted_and_published(
    extended: questionnaire.Questionnaire,
) -> None:
    assert extended.steps.index("wage") == extended.steps.index("passport") + 1
    async with open_portal() as portal:
        engine = Engine(
            load_content(ROOT / "content"), Catalogs.load(ROOT / "locales", "en"), portal.store,
            min_reporters=5, clock=portal.clock,
            registries=load_registries(ROOT / "content" / "recruiters"),
        )  # fmt: skip
        turns = StoreTurns(portal.store)
        runner = Runner(engine, turns, Pseudonymizer(b"k" * 32), clock=portal.clock)
        for n in range(5):
            person = Person(runner, f"worker-{n}")
            await person.send("/start")
            await person.tap("lang:en")
            await person.send("/rate")
            if "Which country is the agency in?" in person.text:
                await person.tap("agencies:rate:KE")
            await person.send("sunrise")
            await person.tap(f"pick:rate:{SUNRISE}")
            await person.tap("consent:yes")
            assert "Question 1 of 12" in person.text
            for step, value in [("dest", "QA"), ("fee", "b2"), ("receipt", "n"), ("gap", "b1"),
                                ("job", "n"), ("contract", "y"), ("passport", "y")]:  # fmt: skip
                await person.tap(f"answer:{step}:{value}")
            assert "Question 8 of 12" in person.text
            assert "Was your wage paid in full and on time?" in person.text
            shown = [c.id for c in person.last.choices][:3]
            assert shown == ["answer:wage:y", "answer:wage:n", "answer:wage:-"]
            await person.tap("answer:wage:n" if n else "answer:wage:y")
            await person.tap("answer:orient:n")
            await person.tap("answer:rec:2")
            await person.tap("answer:broker:skip")
            await person.tap("answer:comment:skip")
            assert "💵 Wage paid on time: " + ("No" if n else "Yes") in person.text
            await person.tap("answer:send")
            assert "sees the totals (never who said what)" in person.text

        summary = await portal.store.summary(SUNRISE)
        assert summary.indicators["wage_paid_on_time"].yes == 1
        assert summary.indicators["wage_paid_on_time"].no == 4
        mine = await portal.store.reports_of(Pseudonymizer(b"k" * 32)("test", "worker-0"))
        assert mine[0].report.answer("wage_paid_on_time") is True

        await portal.add("ministry", Role.OFFICIAL, ["KE"])
        response = await portal.client.get(f"/api/v1/recruiters/{SUNRISE}",
                                           headers=portal.api("ministry"))  # fmt: skip
        assert response.status == 200
        wage = (await response.json())["total"]["indicators"]["wage_paid_on_time"]
        assert wage == {"share": 0.2, "answered": 5, "withheld": None}

        document = await (await portal.client.get("/api/v1/openapi.json")).json()
        described = document["components"]["schemas"]["Indicators"]["properties"]
        assert described["wage_paid_on_time"]["description"] == WAGE.api

        await portal.login(portal.keys["ministry"])
        page = await (await portal.client.get(f"/portal/agencies/{SUNRISE}")).text()
        assert "Wage paid in full and on time" in page


def test_the_default_questionnaire_is_back_after_the_extension(
    extended: questionnaire.Questionnaire,
) -> None:
    assert questionnaire.current() is extended
    assert "wage_paid_on_time" in questionnaire.current().indicators


def test_without_the_extension_the_default_questionnaire_is_in_use() -> None:
    assert questionnaire.current() is questionnaire.DEFAULT
    assert "wage_paid_on_time" not in questionnaire.current().indicators
