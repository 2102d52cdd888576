"""A rating that describes abuse ends with the articles and the complaint channel."""

from __future__ import annotations

from bot.core.runner import Runner
from tests.unit.engine.test_ratings_flow import ANSWERS, _english, _rate, runner  # noqa: F401

CLEAN = [
    ("dest", "QA"), ("fee", "none"), ("job", "y"), ("contract", "n"),
    ("passport", "n"), ("orient", "y"), ("rec", "5"), ("broker", "skip"),
]  # fmt: skip


async def test_passport_contract_and_a_fee_in_qatar_get_help(runner: Runner) -> None:  # noqa: F811
    person = await _english(runner, "amina")
    await _rate(person, answers=[*ANSWERS[:1], ("fee", "b5"), *ANSWERS[2:]])
    text = person.text
    assert "Thank you. Your answers help other workers" in text
    assert "your passport was kept" in text
    assert "you had to sign a different contract" in text
    assert "you paid a fee the law does not allow" in text
    assert "may not take any recruitment fee" in text  # Qatar's fee rule, from country.yaml
    ids = [choice.id for choice in person.last.choices]
    assert "article:qa-passport:0" in ids
    assert "article:qa-recruitment-fees:0" in ids
    assert "find:QA:labour-complaint" in ids


async def test_a_clean_rating_gets_only_the_thank_you(runner: Runner) -> None:  # noqa: F811
    person = await _english(runner, "baraka")
    await _rate(person, answers=CLEAN)
    assert "The law protects you" not in person.text
    assert "find:QA:labour-complaint" not in [choice.id for choice in person.last.choices]
