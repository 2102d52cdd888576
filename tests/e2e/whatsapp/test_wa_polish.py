"""WhatsApp as a person meets it: one-tap answers, rows never cut, a shared location gets help."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.services import Services
from tests.e2e.whatsapp.conftest import WA_ID, Phone
from tests.fakes.graph_api import FakeGraphAPI, message, shown_choices, shown_text


def ids(body: dict) -> list[str]:
    return [choice_id for choice_id, _ in shown_choices(body)]


async def _to_the_fee_question(phone: Phone, locale: str = "en") -> list[dict]:
    await phone.say("hi")
    await phone.tap(f"lang:{locale}", row=True)
    replies = await phone.say("/rate")
    if "agencies:rate:KE" in ids(replies[-1]):
        await phone.tap("agencies:rate:KE")
    await phone.say("sunrise")
    await phone.tap("pick:rate:KE-EX-KE-0001", row=True)
    await phone.tap("consent:yes")
    return await phone.tap("answer:dest:QA")


HINT = "Menu for the menu, or SOS for help now."


async def test_a_yes_no_question_is_three_buttons_and_says_once_how_to_type_the_rest(
    phone: Phone, graph: FakeGraphAPI
) -> None:
    await _to_the_fee_question(phone)
    question = (await phone.tap("answer:fee:b2", row=True))[-1]
    assert question["interactive"]["type"] == "button"
    assert [title for _, title in shown_choices(question)] == [
        "👍 Yes", "👎 No", "🤐 Prefer not to say"]
    await phone.tap("answer:receipt:y")
    # Said under the first question shown this way, and only there.
    told = [body for body in graph.sent if HINT in shown_text(body)]
    assert len(told) == 1 and told[0]["interactive"]["type"] == "button"
    # What the note promises works: typed words reach the hidden buttons.
    back = await phone.say("back")
    assert "Did you get a receipt" in shown_text(back[-1])
    menu = await phone.say("Menu")
    assert "guides" in ids(menu[-1])
    assert graph.violations == []


async def test_sos_typed_at_a_yes_no_question_shows_the_numbers(phone: Phone) -> None:
    await _to_the_fee_question(phone)
    await phone.tap("answer:fee:b2", row=True)
    replies = await phone.say("sos")
    texts = "\n".join(shown_text(b) for b in replies)
    assert "999" in texts


@pytest.mark.parametrize("locale", ["en", "sw", "ne", "ar"])
async def test_fee_answers_fit_their_rows_uncut(phone: Phone, locale: str) -> None:
    question = (await _to_the_fee_question(phone, locale))[-1]
    rows = [row for section in question["interactive"]["action"]["sections"]
            for row in section["rows"]]
    fees = [row for row in rows if row["id"].startswith("answer:fee:")]
    assert len(fees) >= 6
    for row in fees:
        assert not row["title"].endswith("…"), row
        assert "description" not in row, row


async def test_no_menu_asks_to_type_a_number_where_its_rows_have_none(phone: Phone) -> None:
    await phone.say("hi")
    menu = (await phone.tap("lang:en", row=True))[-1]
    titles = [title for _, title in shown_choices(menu)]
    assert not any(title[:1].isdigit() for title in titles)
    assert "number" not in shown_text(menu)


def _location(latitude: float, longitude: float) -> dict:
    return message(WA_ID, "location", {"latitude": latitude, "longitude": longitude,
                                       "name": "Room", "address": "Street 5"})


async def test_a_location_in_qatar_gets_qatars_sos_card_and_is_never_kept(
    phone: Phone, services: Services, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await phone.say("hi")
    await phone.tap("lang:en", row=True)
    replies = await phone.deliver(_location(25.2854, 51.5310))  # Doha
    texts = "\n".join(shown_text(b) for b in replies)
    assert "In Qatar" in texts and "999" in texts
    await services.store.close()
    stored = b"".join(p.read_bytes() for p in sorted(tmp_path.glob("bot.sqlite3*")))  # noqa: ASYNC240
    for fragment in (b"25.28", b"51.53", b"Street 5"):
        assert fragment not in stored
    assert "25.28" not in caplog.text and "51.53" not in caplog.text
    await services.store.open()


async def test_a_location_the_simple_test_cannot_place_gets_the_country_question(
    phone: Phone, services: Services
) -> None:
    await phone.say("hi")
    await phone.tap("lang:en", row=True)
    replies = await phone.deliver(_location(26.2235, 50.5876))  # Manama, Bahrain
    destinations = [c.code for c in services.content.destinations()]
    if len(destinations) > 1:
        assert "Which country are you in?" in shown_text(replies[-1])
        assert {f"sos:{code}" for code in destinations} <= set(ids(replies[-1]))
    else:  # one destination: its card at once, as for /sos
        assert "999" in "\n".join(shown_text(b) for b in replies)

