"""A conversation never traps anyone: Back goes back, any digits work, errors get an answer."""

from __future__ import annotations

import logging

import pytest

from bot.core.engine import Engine
from bot.core.runner import Runner
from tests.unit.engine.conftest import Person


async def _english(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")


def _back(person: Person) -> str:
    return next(c.id for c in person.last.choices if c.id.startswith("back"))


async def test_back_walks_the_trail_and_never_shows_the_same_screen_twice(
    person: Person,
) -> None:
    await _english(person)
    screens = []
    for tap in ("guides", "guide:QA", "topic:QA:passport"):  # a topic with one article
        await person.tap(tap)
        screens.append(person.text)
    assert "YOUR PASSPORT" in screens[-1].upper()
    await person.tap(_back(person))
    assert person.text != screens[-1]
    assert person.text == screens[1]  # the topics of Qatar, not the article again
    assert "topic:QA:passport" in [c.id for c in person.last.choices]


async def test_back_from_every_page_of_an_article_leaves_the_article(person: Person) -> None:
    await _english(person)
    await person.tap("guides")
    await person.tap("guide:QA")
    topics = person.text
    await person.tap("topic:QA:wages")
    pages = 1
    while "Next page" in person.labels[0]:
        await person.tap(person.last.choices[0].id)
        pages += 1
    assert pages > 1
    before = person.text
    await person.tap(_back(person))
    assert person.text != before
    assert person.text == topics


async def test_back_from_an_article_found_by_search_goes_to_its_country(
    person: Person,
) -> None:
    await _english(person)
    await person.send("passport")
    await person.tap("article:qa-passport:0")
    article = person.text
    await person.tap(_back(person))
    assert person.text != article
    assert "Qatar" in person.text and "choose a topic" in person.text


@pytest.mark.parametrize("typed", ["2", "²", "②", "٢", "२", "۲"])
async def test_a_number_in_any_digits_picks_the_button(person: Person, typed: str) -> None:
    await _english(person)
    await person.send(typed)
    assert "Your rights in" in person.text  # button 2 of the menu: My rights


async def test_a_number_with_no_button_says_which_numbers_there_are(person: Person) -> None:
    await _english(person)
    await person.send("47")
    assert "There is no number 47 here. Type a number from 1 to 10" in person.text
    assert "rights" in [c.id for c in person.last.choices]


@pytest.mark.parametrize("text", ["asante", "thanks!", "Thank you so much", "धन्यवाद", "شكرا"])
async def test_thanks_gets_a_kind_answer_not_a_search_miss(person: Person, text: str) -> None:
    await _english(person)
    await person.send(text)
    assert "I found nothing" not in person.text
    assert "You are welcome" in person.text
    assert "sos" in [c.id for c in person.last.choices]


async def test_menu_in_english_works_in_every_language(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:ne")
    await person.send("menu")
    assert "rate" in [c.id for c in person.last.choices]
    assert "I found nothing" not in person.text


async def test_an_unexpected_error_answers_with_menu_and_sos(
    runner: Runner, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    person = Person(runner, "zawadi")
    await _english(person)

    async def broken(self: Engine, ctx: object, text: str) -> None:
        raise ValueError("secret words the person typed")

    monkeypatch.setattr(Engine, "_dispatch", broken)
    with caplog.at_level(logging.ERROR):
        await person.send("anything")
    assert "Sorry, something went wrong" in person.text
    assert {"menu", "sos"} <= {c.id for c in person.last.choices}
    assert "secret words" not in caplog.text
    monkeypatch.undo()
    await person.send("/sos")
    assert "999" in person.text  # the session survived


@pytest.mark.parametrize(
    ("query", "article"),
    [
        ("bosi amechukua pasipoti yangu", "article:qa-passport:0"),
        ("they want 2 lakh for visa", "article:qa-recruitment-fees:0"),
        ("how do I change employer", "article:qa-changing-employer:0"),
    ],
)
async def test_everyday_words_find_the_right_article_first(
    person: Person, query: str, article: str
) -> None:
    await _english(person)
    await person.tap("guides")
    await person.tap("guide:QA")  # reading about Qatar: Qatar's articles come first
    await person.send(query)
    assert person.last.choices[0].id == article


async def test_going_home_in_swahili_finds_the_going_home_article(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:sw")
    await person.tap("guides")
    await person.tap("guide:QA")
    await person.send("nataka kurudi nyumbani")
    assert person.last.choices[0].id == "article:qa-going-home:0"
