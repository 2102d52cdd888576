"""Danger in a person's own words opens the SOS card, in their language, for their case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.channels.whatsapp.locale_hint import locale_hint
from bot.content import load_content
from bot.core.engine import Engine
from bot.core.runner import Runner
from bot.i18n import Catalogs
from bot.turn_storage import StoreTurns
from recruiter_reports.pseudonyms import Pseudonymizer
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import ROOT, FakeClock, Person

SW_CARD = "Ukiwa Qatar, kama uko hatarini sasa hivi"
NE_CARD = "कतारमा, तपाईं अहिले खतरामा हुनुहुन्छ"
SW_ALL = "Ukiwa hatarini sasa, piga namba ya dharura ya nchi uliyopo"
NE_ALL = "तपाईं भएको देशको आपतकालीन नम्बरमा फोन गर्नुहोस्"
EN_ALL = "call the emergency number of the country you are in"
"""The shipped content has several destinations: a new person first gets every number."""


async def test_nisaidie_as_a_first_message_gives_the_swahili_card(person: Person) -> None:
    await person.send("nisaidie")
    assert SW_ALL in person.text
    assert "999" in person.text
    assert "🌐 English" in person.labels  # one tap to read it in another language
    await person.tap("sos:QA")
    assert SW_CARD in person.text


async def test_the_language_button_shows_the_card_again_in_that_language(
    person: Person,
) -> None:
    await person.send("nataka kujiua")
    await person.tap("lang:en:sos:self-harm")
    assert EN_ALL in person.text
    assert "You matter" in person.text


async def test_the_channel_hint_chooses_the_language_of_sos(runner: Runner) -> None:
    person = Person(runner, "hari", hint="ne-NP")
    await person.send("/sos")
    assert NE_ALL in person.text
    await person.tap("sos:QA")
    assert NE_CARD in person.text


async def test_a_new_kenyan_whatsapp_number_gets_the_sos_card_in_swahili(
    runner: Runner,
) -> None:
    person = Person(runner, "254712345678", hint=locale_hint("254712345678"))
    await person.send("/sos")
    assert SW_ALL in person.text


async def test_words_in_nepali_beat_an_english_hint(runner: Runner) -> None:
    person = Person(runner, "sita", hint="en")
    await person.send("malai kutchha")
    assert NE_ALL in person.text
    assert "कुट्ने अधिकार छैन" in person.text  # the violence line


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("he beats me", "Nobody has the right to hit you."),
        ("my madam hits me every day", "Nobody has the right to hit you."),
        ("I want to kill myself", "You matter"),
        ("they locked me in the room", "Nobody may lock you in."),
        ("no food for 2 days", "You have the right to food and water."),
    ],
)
async def test_the_category_speaks_to_the_situation_after_the_numbers(
    person: Person, text: str, line: str
) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.send(text)
    first = person.replies[0].text
    assert first.startswith("🆘")
    assert first.index("999") < first.index(line)


async def test_self_harm_adds_the_sourced_crisis_line_after_the_emergency_number(
    person: Person,
) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("i want to die")
    assert "call the emergency number now" in person.text
    await person.tap("sos:QA:self-harm")
    assert person.text.index("999") < person.text.index("16000")
    assert "National Mental Health Helpline" in person.text


async def test_a_known_persons_language_is_kept(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    await person.send("nisaidie")
    assert EN_ALL in person.text


@pytest.fixture
def two_destinations(tmp_path: Path) -> Runner:
    """The shipped content plus a second destination (test data, not a real country)."""
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    folder = root / "countries" / "xq"
    folder.mkdir()
    text = (root / "countries" / "qa" / "country.yaml").read_text(encoding="utf-8")
    text = text.replace("code: QA", "code: XQ").replace("en: Qatar", "en: Testland")
    text = text.replace('number: "999"', 'number: "112"')
    (folder / "country.yaml").write_text(text, encoding="utf-8")
    content = load_content(root)
    clock = FakeClock()
    store = MemoryStore(now=clock)
    catalogs = Catalogs.load(ROOT / "locales", "en")
    engine = Engine(content, catalogs, store, clock=clock)
    return Runner(engine, StoreTurns(store), Pseudonymizer(b"k" * 32), clock=clock)


async def test_unknown_destination_gets_every_number_then_the_question(
    two_destinations: Runner,
) -> None:
    person = Person(two_destinations, "new", hint="en")
    await person.send("he beats me")
    numbers = person.replies[0].text
    assert "Qatar: 999" in numbers and "Testland: 112" in numbers
    assert "Nobody has the right to hit you." in numbers
    assert "Which country are you in?" in person.last.text
    assert "sos:QA:violence" in [c.id for c in person.last.choices]
    await person.tap("sos:QA:violence")
    assert "In Qatar, if you are in danger now, call" in person.text
    assert "Nobody has the right to hit you." in person.text


async def test_without_a_sourced_crisis_line_the_card_says_to_call_the_emergency_number(
    two_destinations: Runner,
) -> None:
    person = Person(two_destinations, "new", hint="en")
    await person.send("i want to kill myself")
    await person.tap("sos:XQ:self-harm")
    assert "112" in person.text
    assert "call the emergency number now" in person.text
    assert "16000" not in person.text  # Qatar's line is not invented for another country
