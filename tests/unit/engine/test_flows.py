"""The engine's flows as a person meets them, with the shipped content and catalogs."""

from __future__ import annotations

import pytest

from bot.core.messages import Inbound, Media
from bot.i18n import Catalogs
from recruiter_reports.stores.memory import MemoryStore
from tests.unit.engine.conftest import FakeClock, Person

MENU_PROMPT = "What do you need? Tap a button."
KENYA_EMBASSY_DOHA = "+974 4493 1870"


async def test_first_contact_offers_every_language_by_its_own_name(person: Person) -> None:
    await person.send("hello")
    assert "free and anonymous" in person.text
    assert set(person.labels) == {"English", "Kiswahili", "नेपाली", "العربية"}


async def test_locale_hint_greets_in_that_language_and_lists_it_first(
    runner, catalogs: Catalogs
) -> None:
    person = Person(runner, hint="sw-KE")
    await person.send("/start")
    assert person.labels[0] == "Kiswahili"
    assert catalogs.translator("sw")("Choose your language:") in person.text


async def test_choosing_kiswahili_gives_swahili_menus(person: Person, catalogs: Catalogs) -> None:
    sw = catalogs.translator("sw")
    await person.send("/start")
    await person.tap("lang:sw")
    assert sw(MENU_PROMPT) != MENU_PROMPT
    assert sw(MENU_PROMPT) in person.text
    assert "⚖️ Haki zangu" in person.labels
    assert person.labels[-1] == "🆘 " + sw("Help now")


@pytest.mark.parametrize("locale", ["sw", "ne", "ar"])
async def test_no_main_menu_button_stays_in_english(person: Person, locale: str) -> None:
    await person.send("/start")
    await person.tap("lang:en")
    english = set(person.labels)
    await person.send("/language")
    await person.tap(f"lang:{locale}")
    assert len(person.labels) == len(english)
    assert english.isdisjoint(person.labels), english & set(person.labels)


async def test_a_choice_can_be_typed_as_its_number_or_label(person: Person) -> None:
    await person.send("/start")
    index = person.labels.index("Kiswahili") + 1
    await person.send(str(index))
    assert any("🆘" in label for label in person.labels)
    await person.send("/language")
    await person.send("ENGLISH")
    assert MENU_PROMPT in person.text


async def _english(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:en")


async def test_reading_about_wages_in_qatar_pages_a_long_article(person: Person) -> None:
    await _english(person)
    await person.tap("guides")
    await person.tap("guide:QA")
    await person.tap("topic:QA:wages")
    assert "1,000" in person.text or "1000" in person.text
    assert "Page 1 of" in person.text
    await person.tap("article:qa-minimum-wage:1")
    assert "Page 2 of" in person.text
    pages = "article:qa-minimum-wage:"
    while any(c.id.startswith(pages) for c in person.last.choices):
        next_page = next(c.id for c in person.last.choices if c.id.startswith(pages))
        await person.tap(next_page)
    assert "Sources:" in person.text
    assert "Last updated:" in person.text
    assert "source dated 2021-04-08" in person.text


async def test_rights_lists_only_rights_topics(person: Person) -> None:
    await _english(person)
    await person.tap("rights")
    await person.tap("rights_in:QA")
    ids = [c.id for c in person.last.choices]
    assert "topic:QA:passport" in ids
    assert "topic:QA:emergency" not in ids


async def test_sos_from_the_middle_of_a_flow_shows_qatar_numbers_and_embassy(
    person: Person,
) -> None:
    await _english(person)
    await person.tap("guides")
    await person.tap("guide:QA")
    await person.send("/sos")
    assert "999" in person.text
    assert KENYA_EMBASSY_DOHA in person.text
    assert person.replies[0].text.startswith("🆘")


async def test_a_trigger_phrase_opens_sos_even_before_a_language_is_chosen(
    person: Person,
) -> None:
    await person.send("they took my passport")
    assert person.text.startswith("🆘")
    await person.tap("sos:QA")
    assert "999" in person.text


async def test_every_menu_has_the_help_button(person: Person) -> None:
    await _english(person)
    for route in ("guides", "rights", "find", "search", "about"):
        await person.send("/menu")
        await person.tap(route)
        assert any(c.id == "sos" for c in person.last.choices), route


async def test_find_help_lists_the_embassy_with_source_and_date(person: Person) -> None:
    await _english(person)
    await person.tap("find")
    await person.tap("find:QA")
    await person.tap("find:QA:embassy")
    assert KENYA_EMBASSY_DOHA in person.text
    assert "Source: National Employment Authority migrant portal: Qatar (source undated)" in (
        person.text
    )
    assert "checked" not in person.text


async def test_free_text_is_a_fuzzy_search(person: Person) -> None:
    await _english(person)
    await person.send("minimum wag qatar")
    assert any(c.id == "article:qa-minimum-wage:0" for c in person.last.choices)


async def test_search_in_arabic_falls_back_to_english_with_a_label(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:ar")
    await person.send("neaims")
    assert any("(English)" in label for label in person.labels)
    assert person.last.rtl


async def test_search_in_arabic_finds_the_arabic_article(person: Person) -> None:
    await person.send("/start")
    await person.tap("lang:ar")
    await person.send("جواز السفر")
    assert any(
        c.id == "article:qa-passport:0" and "(English)" not in c.label for c in person.last.choices
    )


async def test_arabic_menus_are_right_to_left_with_isolated_numbers(
    person: Person, catalogs: Catalogs
) -> None:
    await person.send("/start")
    await person.tap("lang:ar")
    assert catalogs.translator("ar")(MENU_PROMPT) in person.text
    assert all(reply.rtl for reply in person.replies)
    await person.send("/sos")
    await person.tap("sos:QA")
    assert "\u2066999\u2069" in person.text


async def test_forget_erases_everything_after_a_confirmation(
    person: Person, store: MemoryStore
) -> None:
    await _english(person)
    pseudonym = person.runner.pseudonym(_inbound(person))
    assert await store.load_session(pseudonym) is not None
    await person.send("/forget")
    assert await store.load_session(pseudonym) is not None
    await person.tap("forget:yes")
    assert person.replies[-1].end
    assert await store.load_session(pseudonym) is None
    await person.send("hi")
    assert "Kiswahili" in person.labels


async def test_mydata_says_what_is_kept(person: Person) -> None:
    await _english(person)
    await person.tap("guides")
    await person.tap("guide:QA")
    await person.send("/mydata")
    assert "Country of work: Qatar" in person.text
    assert "Language: English" in person.text


async def test_voice_notes_get_a_kind_answer_and_the_menu(person: Person, runner) -> None:
    await _english(person)
    replies = await runner.handle(Inbound("test", "amina", media=Media.VOICE))
    assert "voice" in replies[0].text
    assert any(c.id == "guides" for c in replies[-1].choices)


async def test_an_old_button_and_an_unknown_command_lead_to_the_menu(person: Person) -> None:
    await _english(person)
    replies = await person.runner.handle(Inbound("test", "amina", choice="gone:away"))
    assert "no longer works" in replies[0].text
    await person.send("/nonsense")
    assert "don't know that command" in person.text
    assert MENU_PROMPT in person.text


async def test_the_conversation_expires_after_thirty_idle_days(
    person: Person, clock: FakeClock
) -> None:
    await _english(person)
    clock.advance(days=31)
    await person.send("hello")
    assert "Kiswahili" in person.labels


def _inbound(person: Person) -> Inbound:
    return Inbound("test", person.user)


async def test_a_new_person_can_type_their_language_first(
    person: Person, catalogs: Catalogs
) -> None:
    await person.send("kiswahili")
    assert catalogs.translator("sw")(MENU_PROMPT) in person.text
