"""Moving through the rating questionnaire: progress, Back, and typed numbers."""

from __future__ import annotations

import pytest

from bot.content import ContentTree
from bot.core.engine import Engine
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.registry_csv import load_registries
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import ROOT, FakeClock, Person

SUNRISE = "KE-EX-KE-0001"


@pytest.fixture
def runner(
    content: ContentTree, catalogs: Catalogs, store: MemoryStore, clock: FakeClock
) -> Runner:
    registries = load_registries(ROOT / "content" / "recruiters")
    engine = Engine(content, catalogs, store, min_reporters=5, clock=clock, registries=registries)
    return Runner(engine, StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)


async def _first_question(runner: Runner) -> Person:
    person = Person(runner)
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/rate")
    if "Which country is the agency in?" in person.text:
        await person.tap("agencies:rate:KE")
    await person.send("sunrise")
    await person.tap(f"pick:rate:{SUNRISE}")
    await person.tap("consent:yes")
    return person


async def test_the_first_question_has_no_back_and_the_second_has(runner: Runner) -> None:
    person = await _first_question(runner)
    assert "Question 1 of 11" in person.text
    assert "answer:back" not in [c.id for c in person.last.choices]
    await person.tap("answer:dest:QA")
    assert "Question 2 of 11" in person.text
    assert "⬅️ Back" in person.labels


async def test_back_asks_the_previous_question_again_and_forgets_its_answer(
    runner: Runner,
) -> None:
    person = await _first_question(runner)
    await person.tap("answer:dest:QA")
    await person.tap("answer:fee:b2")
    await person.tap("answer:receipt:n")
    assert "Question 4 of 11" in person.text
    await person.tap("answer:back")
    assert "Question 3 of 11" in person.text
    assert "receipt for the full amount" in person.text
    await person.tap("answer:receipt:y")
    assert "Question 5 of 11" in person.text  # a full receipt shows no smaller amount


async def test_back_skips_the_question_that_was_not_asked(runner: Runner) -> None:
    """Who paid nothing was not asked about a receipt: Back goes to the fee question."""
    person = await _first_question(runner)
    await person.tap("answer:dest:QA")
    await person.tap("answer:fee:none")
    assert "Question 5 of 11" in person.text
    await person.tap("answer:back")
    assert "Question 2 of 11" in person.text
    await person.tap("answer:fee:b1")
    assert "Question 3 of 11" in person.text  # now the receipt is asked


async def test_back_from_the_review_reopens_the_comment(runner: Runner) -> None:
    person = await _first_question(runner)
    for step, value in [("dest", "QA"), ("fee", "b2"), ("receipt", "n"), ("gap", "no-receipt"),
                        ("job", "n"), ("contract", "y"), ("passport", "y"), ("orient", "n"),
                        ("rec", "2"), ("broker", "skip")]:
        await person.tap(f"answer:{step}:{value}")
    await person.tap("answer:comment:skip")
    assert "Please check your answers" in person.text
    await person.tap("answer:back")
    assert "Question 11 of 11" in person.text
    await person.send("They kept my passport for a year")
    assert "Comment: written" in person.text


async def test_a_typed_number_at_the_comment_is_the_button_it_matches(runner: Runner) -> None:
    person = await _first_question(runner)
    for step, value in [("dest", "QA"), ("fee", "b2"), ("receipt", "n"), ("gap", "no-receipt"),
                        ("job", "n"), ("contract", "y"), ("passport", "y"), ("orient", "n"),
                        ("rec", "2"), ("broker", "skip")]:
        await person.tap(f"answer:{step}:{value}")
    assert person.labels[0] == "⏭️ Skip"
    await person.send("1")
    assert "Comment: none" in person.text


async def test_a_typed_number_at_the_licence_question_is_a_licence_number(
    runner: Runner,
) -> None:
    person = Person(runner)
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("/check")
    if "Which country is the agency in?" in person.text:
        await person.tap("agencies:check:KE")
    assert "A number you type here is read as a licence number" in person.text
    await person.send("1")
    assert "Main menu" not in person.text
    assert "“1”" in person.text or "Which one is it?" in person.text
